"""What the words around a figure say about it: year, period, kind, source.

Headings set year, period and kind for the sentences under them ("6 tháng đầu
năm 2023" → H1; "tháng 9, quý III và 9 tháng" → 9M; "Mục tiêu năm 2019" →
target); a sentence's own words override its heading. All patterns work on
folded text (lower case, no diacritics).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from loaders.reading.phrases import fold

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# a year that is not the figure's: a span, a term, a comparison, a school year, a horizon
_NOT_A_YEAR = re.compile(r"(so voi|den|giai doan|hoc|tu|thoi ky|nhiem ky|khoa|truoc|sau|ngay|so|cung ky|gia so sanh)\s*$")


@dataclass(frozen=True)
class Context:
    """Year, period and kind as far as known (None: not said here)."""

    year: int | None = None
    period: str | None = None
    kind: str | None = None

    def over(self, base: Context) -> Context:
        """These fields where said, `base` elsewhere."""
        return Context(
            self.year if self.year is not None else base.year,
            self.period if self.period is not None else base.period,
            self.kind if self.kind is not None else base.kind,
        )


def _months_period(n: int) -> str | None:
    return {3: "Q1", 6: "H1", 9: "9M", 12: "FY"}.get(n) or (f"M{n:02d}" if 1 <= n <= 12 else None)


# (months covered, cumulative) decides between cues in one heading: "tháng 9, quý III và 9 tháng" → 9M
_SPAN = {"FY": 12, "9M": 9, "H1": 6, "H2": 5.5, "Q1": 3}


def _span(period: str) -> float:
    if period in _SPAN:
        return _SPAN[period]
    if period == "month":
        return 1
    if period.startswith("M"):
        return int(period[1:])
    return 2.5  # Q2..Q4: one quarter on its own


PERIOD_WORDS = [
    (re.compile(r"\b6 thang cuoi( nam)?\b"), lambda m: "H2"),
    (re.compile(r"(?<!thang )\b(\d{1,2}) thang\b(?! cuoi)"), lambda m: _months_period(int(m.group(1)))),
    (re.compile(r"\bca nam\b"), lambda m: "FY"),
    (re.compile(r"\bquy (iv|iii|ii|i|[1-4])\b"), lambda m: f"Q{_ROMAN.get(m.group(1)) or m.group(1)}"),
    (re.compile(r"\b(?:het|ket thuc|den het|tinh den het) thang (\d{1,2})(?:/\d{4})?\b"), lambda m: _months_period(int(m.group(1)))),
    (re.compile(r"(?<!het )(?<!ket thuc )\bthang (\d{1,2})\b(?!/\d{1,2}/)"), lambda m: "M01" if m.group(1) in ("1", "01") else "month"),
]
DATE_CUE = re.compile(r"\b(?:den|het|tinh den|luy ke den)(?: het)?(?: ngay)? (\d{1,2})/(\d{1,2})(?:/(\d{4}))?\b(?!/)")
YEAR_CUE = re.compile(r"\bnam (\d{4})\b(?!\s*-\s*\d{4})|\b(?:quy [ivx1-4]+|thang \d{1,2})/(\d{4})\b")
DATE_LINE = re.compile(r"ngày \d{1,2} tháng \d{1,2} năm \d{4}|^Số\s*:")  # a letterhead's place, date and number
SAME_PERIOD_YEAR = re.compile(r"(?<!so voi )\bcung ky nam (\d{4})\b")


def period_of_date(day: int, month: int) -> str | None:
    """The period a stock figure "đến dd/mm" closes: quarter and month ends only."""
    ends = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
    if month not in ends or day < ends[month] - (1 if month == 2 else 0):
        return None
    return {3: "Q1", 6: "H1", 9: "9M", 12: "FY"}.get(month) or f"M{month:02d}"


def period_cues(folded: str, skip: list[tuple[int, int]] = ()) -> list[tuple[int, str]]:
    """(position, period) of every period said in words, outside `skip` spans."""
    found = []
    for pattern, to_period in PERIOD_WORDS:
        for m in pattern.finditer(folded):
            if any(a <= m.start() < b for a, b in skip):
                continue
            if any(m.start() <= p < m.end() or p <= m.start() < p + 3 for p, _ in found):
                continue
            period = to_period(m)
            if period:
                found.append((m.start(), period))
    return sorted(found)


def year_cues(folded: str, skip: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(position, year) of every "năm YYYY" that names the figure's year."""
    found = []
    for m in YEAR_CUE.finditer(folded):
        if any(a <= m.start() < b for a, b in skip) or _NOT_A_YEAR.search(folded[max(0, m.start() - 14):m.start()]):
            continue
        found.append((m.start(), int(m.group(1) or m.group(2))))  # "năm 2023", "quý I/2023", "tháng 9/2021"
    return found


def date_cue(folded: str) -> tuple[int, Context] | None:
    """Where and what the first "đến 30/6/2018" / "hết tháng 5/2018" of a text says."""
    for m in DATE_CUE.finditer(folded):
        period = period_of_date(int(m.group(1)), int(m.group(2)))
        if period:
            return m.start(), Context(int(m.group(3)) if m.group(3) else None, period)
    m = re.search(r"\bhet thang (\d{1,2})/(\d{4})\b", folded)
    if m:
        return m.start(), Context(int(m.group(2)), _months_period(int(m.group(1))))
    return None


KIND_WORDS = (
    ("estimate", ("uoc thuc hien", "uoc tinh", "uoc dat", "uoc ca nam", "du bao", "kha nang thuc hien",
                  "du kien dat", "du kien ca nam", "du kien thuc hien", "uoc")),
    ("target", ("ke hoach", "muc tieu", "phan dau", "nhiem vu")),
    ("actual", ("so bo", "tinh hinh", "ket qua", "thuc hien")),
)


def kind_in(folded: str, heading: bool) -> str | None:
    """The kind the words say: estimate words first, then plan words, then
    achieved words. In a sentence only the unmistakable ones count ("đạt 50%
    kế hoạch" is not a target)."""
    words = folded
    if heading:
        words = words.replace("du kien ke hoach", "ke hoach")
        for kind, cues in KIND_WORDS:
            if any(re.search(rf"\b{c}\b", words) for c in cues):
                return kind
        return None
    if re.search(r"\b(uoc thuc hien|uoc tinh|uoc dat|uoc ca nam|uoc|du kien dat|du kien ca nam|du kien thuc hien)\b", words):
        return "estimate"
    if re.search(r"\b(phan dau|muc tieu dat|chi tieu dat)\b", words) or re.match(
            r"\W*(du toan|ke hoach|chi tieu|muc tieu)\b", words):  # "Dự toán thu ngân sách năm 2024 là ..."
        return "target"
    if re.search(r"\bso bo\b", words):
        return "actual"
    return None


def heading_context(text: str) -> Context:
    """Year, period and kind a heading or title states."""
    folded = fold(text)
    years = year_cues(folded) or [(m.start(), int(m.group(1))) for m in re.finditer(r"\b(20\d{2})\b(?!\s*-)", folded)]
    periods = [p for _, p in period_cues(folded)]
    year = years[-1][1] if years else None
    period = max(periods, key=_span) if periods else ("FY" if year is not None else None)
    return Context(year, period, kind_in(folded, heading=True))


# -- headings -----------------------------------------------------------------------------
_NUMBERED = (
    (re.compile(r"^phan thu \w+", re.I), 0),
    (re.compile(r"^[IVX]+\s*[.)]\s"), 1),
    (re.compile(r"^\d+\.\d+\.\d+\.?\s"), 4),
    (re.compile(r"^\d+\.\d+\.?\s"), 3),
    (re.compile(r"^\d+[.)]\s"), 2),
    (re.compile(r"^[a-zđ]\)\s"), 4),
)


def numbering_level(line: str) -> int | None:
    """The outline level a line's numbering puts it at ("Phần thứ", "I.", "1.",
    "2.1.", "a)"), or None for a line without numbering."""
    head = fold(line[:20]) if line[:5].lower().startswith("phần") else line[:20]
    for pattern, level in _NUMBERED:
        if pattern.match(head):
            return level
    return None


def is_heading_text(line: str) -> bool:
    """A short line that is a title, not a sentence: no final full stop, few words."""
    text = line.strip()
    return 0 < len(text) <= 220 and not text.endswith((".", ";", ":")) or (len(text) <= 120 and text.isupper())


def is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 6 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


class Outline:
    """The heading stack while a document is read top to bottom."""

    def __init__(self, base: Context):
        self.title = Context()
        self.stack: list[tuple[float, Context]] = []
        self.base = base
        self.seen_numbered = False
        self.last_was_bare_heading: float | None = None
        self.after_title = False

    def current(self) -> Context:
        merged = self.title.over(self.base)
        for _, c in self.stack:
            merged = c.over(merged)
        return merged

    def feed(self, line: str) -> bool:
        """Take a paragraph; True when it is a heading (its figures are not read)."""
        level = numbering_level(line)
        bare = self.last_was_bare_heading
        self.last_was_bare_heading = None
        after_title, self.after_title = self.after_title, False
        if (after_title and level is None and is_heading_text(line)
                and not re.search(r"\bngay \d{1,2} thang \d{1,2} nam \d{4}|^so\s*:", fold(line))):
            # "BÁO CÁO" / "Tình hình kinh tế - xã hội tháng 9 và 9 tháng năm 2024": the title goes on
            self.title = heading_context(line).over(self.title)
            self.after_title = True
            return True
        if level is not None:
            self.seen_numbered = True
            self.stack = [(lv, c) for lv, c in self.stack if lv < level]
            if not is_heading_text(line):
                return False
            ctx = heading_context(line)
            self.stack.append((level, ctx))
            if ctx == Context():
                self.last_was_bare_heading = level
            return True
        if len(line) <= 250 and is_upper(line):
            ctx = heading_context(line)
            if bare is not None:
                self.stack = [(lv, c) for lv, c in self.stack if lv < bare] + [(bare, ctx)]
            elif not self.seen_numbered:
                self.title = ctx.over(self.title)
                self.after_title = re.fullmatch(r"(bao cao|ke hoach|thong cao|thong bao)( bao chi)?", fold(line).strip()) is not None
            else:
                self.stack = [(lv, c) for lv, c in self.stack if lv < 1] + [(1, ctx)]
            return True
        return False

    def first_line(self, line: str) -> None:
        """A document's first line is its title when it reads like one."""
        if is_heading_text(line) and not re.search(r"ngày \d{1,2} tháng \d{1,2} năm \d{4}", line):
            ctx = heading_context(line)
            if re.search(r"\d+[.,]\d|\d+ (tỷ|triệu|nghìn)|\d%", line):  # a headline quoting a figure: "ước" is that figure's
                ctx = replace(ctx, kind=None)
            self.title = ctx.over(self.title)


def document_source(lines: list[str], fallback: str) -> str:
    """"120/KH-UBND 10/8/2018" from a document's header, else its URL line, else `fallback`."""
    head = "\n".join(lines[:40])
    number = re.search(r"Số\s*(?:hiệu)?\s*:\s*([0-9]+[/\-][A-ZĐa-z0-9/\-]+)", head)
    date = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", head)
    if number:
        text = number.group(1)
        if date:
            text += f" {int(date.group(1))}/{int(date.group(2))}/{date.group(3)}"
        return text
    url = re.search(r"(?im)^(?:url|nguồn|source)\s*:\s*(\S+)", head)
    return url.group(1) if url else fallback


def lead_context(paragraph: str) -> Context:
    """The year and period a press article's opening words give ("6 tháng đầu
    năm 2025, tỉnh ..."): used only where no title or heading says them."""
    folded = fold(paragraph[:320])
    years = year_cues(folded)
    periods = [p for _, p in period_cues(folded)]
    if not years:
        return Context()
    return Context(years[0][1], periods[0] if periods else "FY")


def with_year(ctx: Context, year: int | None) -> Context:
    return ctx if year is None else replace(ctx, year=year)
