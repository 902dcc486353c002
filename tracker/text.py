"""Text from a file or a person shown as itself: the one place that makes
such text inert wherever it is shown (Streamlit's Markdown, Plotly's
HTML-like labels). Sources, notes, summaries, agency names and file names
go through here before a page or a chart shows them; a table cell needs
nothing (it is never interpreted)."""

from __future__ import annotations

import html
import math
import re

# The characters that start Markdown anywhere in a line: emphasis, code,
# links and images ([ ]), HTML and autolinks (< >), entities (&), LaTeX ($),
# tables (|), Streamlit's directives and icons (:red[..], :material/..:);
# "_" only beside a non-letter, as inside a word it never marks emphasis
# (file_name.csv stays as typed).
_ANYWHERE = re.compile(r"([\\`*~$\[\]()!<>&|{}:#]|(?<![^\W_])_|_(?![^\W_]))")
# ... and those that start a block at the beginning of a line: lists,
# quotes, headings and their underlines, numbered lists ("1." "1)").
_LINE_START = re.compile(r"^([-+=>]|\d{1,9}(?=[.)](?:\s|$)))")


def _plain(text) -> str:
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return str(text)


def literal(text) -> str:
    """`text` escaped for Streamlit Markdown (st.markdown, st.caption,
    st.error, widget labels and help): shown exactly as written, with its
    line breaks kept. None and NaN are empty."""
    lines = _ANYWHERE.sub(r"\\\1", _plain(text)).splitlines()
    return "  \n".join(_LINE_START.sub(_escape_start, line.strip()) for line in lines)


def _escape_start(match: re.Match) -> str:
    start = match.group(1)
    # A number is kept and its following "." or ")" escaped, so "1." stays text.
    return start + "\\" if start[0].isdigit() else "\\" + start


def chart_literal(text) -> str:
    """`text` escaped for Plotly's labels, hover text and annotations, which
    read <b>, <a href>, <br> and entities: the characters <, > and & become
    entities, so no tag or link is formed. None and NaN are empty."""
    return html.escape(_plain(text), quote=False)
