"""A report file → its paragraphs, in reading order.

`.docx` (paragraphs and table rows, python-docx), `.pdf` with a text layer
(pdfplumber; encryption checked with pypdf), `.txt` and `.md`. Anything else,
and files that cannot be read (an old binary .doc, a scanned PDF, an encrypted
PDF, a file larger than the limit) raise a TrackerError with a message for
people; nothing is read halfway.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from tracker.errors import TrackerError

MAX_BYTES = 20 * 1024 * 1024  # a report is a few hundred kB; a bigger file is not a report's text
FORMATS = (".docx", ".pdf", ".txt", ".md")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the header of an old binary .doc / .xls


def paragraphs(data: bytes, file_name: str) -> list[str]:
    """The paragraphs of a report file given as bytes."""
    suffix = Path(file_name).suffix.lower()
    if len(data) > MAX_BYTES:
        raise TrackerError("reading.too_large", name=file_name, size=f"{len(data) / 1e6:.0f}", limit=f"{MAX_BYTES / 1e6:.0f}")
    if data.startswith(_OLE) or suffix == ".doc":
        raise TrackerError("reading.old_doc", name=file_name)
    if suffix == ".docx":
        return _docx(data, file_name)
    if suffix == ".pdf":
        return _pdf(data, file_name)
    if suffix in (".txt", ".md", ""):
        return text_paragraphs(_decode(data, file_name), markdown=suffix == ".md")
    raise TrackerError("reading.unsupported", name=file_name, formats=", ".join(FORMATS))


def _decode(data: bytes, file_name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TrackerError("reading.not_utf8", name=file_name) from None


def text_paragraphs(text: str, markdown: bool = False) -> list[str]:
    """Plain or Markdown text → paragraphs (one a line; Markdown marks dropped)."""
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if markdown:
            if re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", line):
                continue  # a table's separator row
            line = re.sub(r"^\s{0,3}(#{1,6}|>)\s*", "", line)
            line = re.sub(r"(\*\*|__|`)", "", line)
            if line.strip().startswith("|"):
                line = "; ".join(c.strip() for c in line.strip().strip("|").split("|") if c.strip())
        if line.strip():
            out.append(line.strip())
    return out


def _docx(data: bytes, file_name: str) -> list[str]:
    # The document libraries load when a report of their format is read, not with the upload page.
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise TrackerError("reading.unreadable", name=file_name) from None
    out: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(block, document).text.strip()
            if text:
                out.extend(t.strip() for t in text.split("\n") if t.strip())
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                        cells.append(text)
                if cells:
                    out.append("; ".join(cells))
    return out


def _pdf(data: bytes, file_name: str) -> list[str]:
    # As for .docx: pdfplumber and pypdf load only when a PDF is read.
    import pdfplumber
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise TrackerError("reading.encrypted", name=file_name)
    except TrackerError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError):
        raise TrackerError("reading.unreadable", name=file_name) from None
    if reader.is_encrypted:
        raise TrackerError("reading.encrypted", name=file_name)
    lines: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                lines.extend((page.extract_text() or "").split("\n"))
    except Exception:  # pdfminer raises many kinds of errors on damaged files
        raise TrackerError("reading.unreadable", name=file_name) from None
    if sum(len(x.strip()) for x in lines) < 20:
        raise TrackerError("reading.no_text_layer", name=file_name)
    return _join_wrapped(lines)


def _join_wrapped(lines: list[str]) -> list[str]:
    """PDF lines wrapped at the page width → paragraphs: a line continues the
    previous one unless that one ended a sentence or this one starts a heading."""
    out: list[str] = []
    width = max((len(x.strip()) for x in lines), default=0)
    previous = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            previous = ""
            continue
        starts_block = re.match(r"^([-+•*]\s|[IVX]+\.\s|\d+(\.\d+)*[.)]\s|[a-zđ]\)\s|Phần thứ)", line)
        # a line that stops short of the width ended its paragraph (a title, a heading), unless
        # the next one plainly goes on with the sentence
        wrapped = len(previous) >= 0.9 * width or (len(previous) >= 0.6 * width and not line[:1].isupper())
        if out and wrapped and not starts_block and not out[-1].endswith((".", ":", ";", "!", "?")) and not out[-1].isupper():
            out[-1] += " " + line
        else:
            out.append(line)
        previous = line
    return out
