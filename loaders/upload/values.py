"""Figures as analysts write them -> numbers and target forms.

What is read (SPEC §3, §6):

| written                                   | value | low | high | qualifier |
|-------------------------------------------|-------|-----|------|-----------|
| 7,98 · 1.437,4 · -0,58 · 7,98% · 3.600 tỷ đồng | x  |     |      | exact     |
| khoảng 304 · xấp xỉ 304 · trên dưới 300 · gần 100% · ~304 · about 304 | x | | | approx |
| 8 - 9 · 7,7 - 8 · 8- 9 · 8% - 9% · từ 8 đến 9 · 8 ÷ 9 | | 8 | 9  | range     |
| từ 5 trở lên · 5 trở lên · tối thiểu 5 · ≥ 5 · at least 5 | x | x | | at_least |
| trên 3.600 · hơn 5 · > 5 · over 5         |       | x   |      | at_least  |
| tối đa 3 · không quá 3 · ≤ 3 · at most 3  | x     |     | x    | at_most   |
| dưới 3 · < 3 · under 3                    |       |     | x    | at_most   |

`value` holds the number when the figure is one number; ranges and
one-sided targets keep their bounds in `low`/`high` (SPEC §3). A one-sided
bound that includes its number ("từ 5 trở lên": 5 itself reaches it) also
keeps it in `value`; a strict one ("trên 3.600", "dưới 3") leaves `value`
empty, so the plan's words are said back as written.

Number format: every cell is read on its own, the Vietnamese way: ","
is the decimal mark and "." groups thousands, so "1.437,4" is 1437.4,
"1.437" is 1437 and "1,437" is 1.437, whatever other cells look like.
A number is read the English way only where the Vietnamese reading is
impossible, so the reading is unambiguous: several commas ("1,437,400"),
a comma before a dot ("1,437.4"), or a single dot that cannot group
thousands ("7.98", "1437.4", "0.125"); `english_style` says which cells
were read so, for the preview. Thousands groups must have exactly three
digits; anything else is refused rather than guessed. Only the digits 0-9
are digits; "−0" is 0.
A unit or % sign after a number ("7,98%", "3.600 tỷ đồng") is tolerated and
returned in `unit`, so the upload can check it against the catalogue's unit
(a "3,6 nghìn tỷ" for an indicator in "tỷ đồng" must not pass as 3,6).
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time
from functools import cache, lru_cache

from tracker import fmt
from tracker.errors import TrackerError

# Refuse long text before any regex work: a figure is never this long.
MAX_TEXT = 200


class ValueParseError(TrackerError):
    """A cell that is not a figure; `reason_key` names the translated reason."""

    @property
    def reason_key(self) -> str:
        return self.key


@dataclass(frozen=True)
class ParsedValue:
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    unit: str = ""  # as written after the number ("%", "tỷ đồng"), "" when none


# -- words --------------------------------------------------------------------
# Written in lower case with diacritics; matching also accepts them typed
# without diacritics ("khoang 304"), see _fold.
_APPROX_PREFIX = ("khoảng", "xấp xỉ", "gần", "chừng", "trên dưới", "ước khoảng", "~", "≈", "about", "around",
                  "approximately", "approx.", "approx", "nearly", "almost", "ca.")
_AT_LEAST_PREFIX = ("không dưới", "không thấp hơn", "không ít hơn", "ít nhất", "tối thiểu", "trên", "hơn",
                    "≥", ">=", "=>", ">", "at least", "more than", "over", "above", "minimum", "min.", "min")
_AT_MOST_PREFIX = ("không quá", "không vượt quá", "không cao hơn", "không hơn", "tối đa", "dưới", "ít hơn",
                   "≤", "<=", "=<", "<", "at most", "less than", "under", "below", "maximum", "max.", "max",
                   "up to")
_AT_LEAST_SUFFIX = ("trở lên", "or more", "and above", "or above", "+")
_AT_MOST_SUFFIX = ("trở xuống", "or less", "and below", "or below")
# The strict ones among the prefixes above: "trên 3.600" is over, not from, 3.600.
_STRICT_PREFIX = ("trên", "hơn", ">", "more than", "over", "above", "dưới", "ít hơn", "<", "less than", "under",
                  "below")
_RANGE_PREFIX = ("từ", "from", "between")
# Harmless words in front of a figure copied from a report ("đạt 95%").
_LEAD_WORDS = ("ước đạt", "đạt", "bằng", "là", "=")

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u202f\u200b\t\r\n"), " ")

_NUMBER = r"[+-]?[0-9][0-9.,]*(?:e[+-]?[0-9]+)?"
# A number as a program writes it: no words, no range.
_PLAIN = re.compile(r"[+-]?[0-9][0-9.,]*%?")
# A unit: words starting with a letter (may hold digits: m3, km2), or % / ‰.
_WORD = r"(?!(?:đến|den|tới|toi|to|and)(?![^\W\d_]))[^\W\d_][^\s]*"  # a unit's word, never a range word
_UNIT = rf"(?:[%‰]|(?!e[+-]?\d){_WORD}(?:\s+{_WORD})*)"
# Two numbers, each with an optional unit, joined by a dash, ÷ or a range
# word; matched on folded text ("đến" is "den" there).
_RANGE = (rf"({_NUMBER})\s*({_UNIT})?\s*(?:-|÷|(?<![^\W\d_])(?:den|toi|to|and)(?![^\W\d_]))"
          rf"\s*({_NUMBER})\s*({_UNIT})?")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = [c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn"]
    return "d" if ch == "đ" else base[0] if len(base) == 1 else ch


def _fold(text: str) -> str:
    """Lower case without diacritics, one character for one, so that
    positions in the folded text are positions in the original."""
    return "".join(map(_fold_char, text.lower()))


@cache
def _folded(words: tuple[str, ...]) -> list[str]:
    """The words folded, longest first (so "không quá" wins over "không")."""
    return sorted((_fold(w) for w in words), key=len, reverse=True)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_SPACES).translate(_DASHES)
    return re.sub(r"\s+", " ", text).strip().lower()


def _strip_prefix(text: str, words: tuple[str, ...]) -> str | None:
    """`text` without the first of `words` it starts with (as a whole word), else None."""
    folded = _fold(text)
    for key in _folded(words):
        if folded.startswith(key):
            rest = text[len(key):]
            if not key[-1].isalpha() or not rest or not rest[0].isalpha():
                return rest.strip()
    return None


def _strip_suffix(text: str, words: tuple[str, ...]) -> str | None:
    folded = _fold(text)
    for key in _folded(words):
        if folded.endswith(key):
            rest = text[: len(text) - len(key)]
            if not key[0].isalpha() or not rest or not rest[-1].isalpha():
                return rest.strip()
    return None


def _number_text(text: str) -> float:
    """One number. Both marks present: the last is the decimal mark. One
    mark, several times: it groups thousands. One comma once: decimal. One
    dot once: it groups thousands when that is a valid grouping ("3.600"),
    else it is decimal ("7.98")."""
    if re.fullmatch(r"[+-]?[0-9]+(?:\.[0-9]+)?e[+-]?[0-9]+", text):  # 1e-05, as programs write small numbers
        return float(text)
    if not re.fullmatch(r"[+-]?[0-9][0-9.,]*", text) or text[-1] in ".,":
        raise ValueParseError("upload.value.not_a_number")
    sign = -1.0 if text[0] == "-" else 1.0
    body = text.lstrip("+-")
    marks = {m for m in ".," if m in body}
    if len(marks) == 2:
        last = "," if body.rfind(",") > body.rfind(".") else "."
        if body.count(last) > 1:
            raise ValueParseError("upload.value.bad_grouping")
        whole, fraction = body.split(last)
        return sign * float(_ungroup(whole, "." if last == "," else ",") + "." + fraction)
    if not marks:
        return sign * float(body)
    mark = marks.pop()
    if body.count(mark) > 1:
        return sign * float(_ungroup(body, mark))
    whole, fraction = body.split(mark)
    if mark == "." and len(fraction) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0"):
        return sign * float(whole + fraction)
    return sign * float(whole + "." + fraction)


def english_style(text: str) -> bool:
    """Whether a number in this text is read the English way (a decimal
    dot, or commas grouping thousands): the preview says so."""
    for token in re.findall(r"[0-9][0-9.,]*[0-9]", text[:MAX_TEXT]):
        if "." in token and "," in token:
            if token.rfind(".") > token.rfind(","):
                return True
        elif token.count(",") > 1:
            return True
        elif token.count(".") == 1:
            whole, fraction = token.split(".")
            if not (len(fraction) == 3 and len(whole) <= 3 and not whole.startswith("0")):
                return True
    return False


def _ungroup(whole: str, group: str) -> str:
    """Digits of a number grouped in thousands, checked: 1-3 leading digits
    (not starting with 0), then groups of exactly three."""
    parts = whole.split(group)
    if not (1 <= len(parts[0]) <= 3) or parts[0].startswith("0") or any(len(p) != 3 for p in parts[1:]):
        raise ValueParseError("upload.value.bad_grouping")
    return "".join(parts)


def _number_with_unit(text: str) -> tuple[float, str]:
    """A number optionally followed by a unit or % sign: (number, unit)."""
    match = re.fullmatch(rf"({_NUMBER})\s*({_UNIT})?", text)
    if not match:
        raise ValueParseError("upload.value.not_a_number")
    return _finite(_number_text(match.group(1))), match.group(2) or ""


def _finite(x: float) -> float:
    if not math.isfinite(x):
        raise ValueParseError("upload.value.not_finite")
    return x + 0.0  # -0 is 0


def _from_cell(cell) -> str | float:
    """A cell as text to read, or as a number already."""
    if cell is None or isinstance(cell, bool):
        if cell is None:
            raise ValueParseError("upload.value.empty")
        raise ValueParseError("upload.value.not_a_number")
    if isinstance(cell, numbers.Real):
        if isinstance(cell, float) and math.isnan(cell):
            raise ValueParseError("upload.value.empty")
        return _finite(float(cell))
    if isinstance(cell, (date, time)):  # Excel turns "8-9" typed in a General cell into 8 September
        raise ValueParseError("upload.value.is_date")
    if not isinstance(cell, str):
        raise ValueParseError("upload.value.not_a_number")
    if len(cell) > MAX_TEXT:
        raise ValueParseError("upload.value.too_long", limit=MAX_TEXT)
    if any(ch.isdigit() and not ch.isascii() for ch in cell):
        raise ValueParseError("upload.value.digits")
    text = _clean(cell)
    if not text:
        raise ValueParseError("upload.value.empty")
    return text


def parse_value(cell) -> ParsedValue:
    """A figure as written (a number, or text in any form of the module's
    table) -> value, bounds, qualifier and the unit written after it (""
    when none). Raises ValueParseError (with a translation key) for anything
    else; never any other exception."""
    cell = _from_cell(cell)
    if isinstance(cell, float):
        return ParsedValue(cell, None, None, "exact")
    text = _strip_prefix(cell, _LEAD_WORDS) or cell

    for words, qualifier in ((_AT_LEAST_SUFFIX, "at_least"), (_AT_MOST_SUFFIX, "at_most")):
        rest = _strip_suffix(text, words)
        if rest is not None:
            # "từ 5 trở lên": the "từ" belongs to the suffix phrase.
            rest = _strip_prefix(rest, _RANGE_PREFIX) or rest
            return _one_sided(qualifier, *_number_with_unit(rest))

    for words, qualifier in ((_APPROX_PREFIX, "approx"), (_AT_LEAST_PREFIX, "at_least"), (_AT_MOST_PREFIX, "at_most")):
        rest = _strip_prefix(text, words)
        if rest is not None:
            number, unit = _number_with_unit(rest)
            if qualifier == "approx":
                return ParsedValue(number, None, None, "approx", unit)
            return _one_sided(qualifier, number, unit, strict=_strip_prefix(text, _STRICT_PREFIX) == rest)

    bounds = _range(text)
    if bounds is not None:
        return bounds
    number, unit = _number_with_unit(text)
    return ParsedValue(number, None, None, "exact", unit)


def _one_sided(qualifier: str, bound: float, unit: str, strict: bool = False) -> ParsedValue:
    """A one-sided bound; an inclusive one keeps its number in `value` too."""
    value = None if strict else bound
    if qualifier == "at_least":
        return ParsedValue(value, bound, None, "at_least", unit)
    return ParsedValue(value, None, bound, "at_most", unit)


def _range(text: str) -> ParsedValue | None:
    """A range when the text is two numbers joined by a dash, ÷ or a range
    word; None when it is not (then it must be one number)."""
    text = _strip_prefix(text, _RANGE_PREFIX) or text
    match = re.fullmatch(_RANGE, _fold(text))
    if not match:
        return None
    # _fold keeps positions: read numbers and units from the original text.
    low = _finite(_number_text(text[match.start(1):match.end(1)]))
    high = _finite(_number_text(text[match.start(3):match.end(3)]))
    units = [text[match.start(g):match.end(g)] for g in (2, 4) if match.group(g)]
    if len(units) == 2 and _fold(units[0]) != _fold(units[1]):
        raise ValueParseError("upload.value.two_units", first=units[0], second=units[1])
    if low > high:
        raise ValueParseError("upload.value.low_above_high", low=_show(low), high=_show(high))
    return ParsedValue(None, low, high, "range", units[-1] if units else "")


def _show(x: float) -> str:
    return fmt.number(x)


def parse_number(cell) -> float:
    """A plain number as written in % of plan or % on last year: "50,4%",
    "đạt 95%", "+7,98%", "tăng 8,5%" (8.5), "giảm 3,2%" (-3.2). Raises
    ValueParseError for anything else, including ranges and target forms."""
    cell = _from_cell(cell)
    if isinstance(cell, float):
        return cell
    text = cell
    sign = 1.0
    for words, word_sign in ((("tăng", "increase", "up"), 1.0), (("giảm", "decrease", "down"), -1.0)):
        rest = _strip_prefix(text, words)
        if rest:
            text, sign = rest, word_sign
            if text.startswith(("-", "+")):
                raise ValueParseError("upload.value.not_a_number")
            break
    else:
        rest = _strip_prefix(text, _LEAD_WORDS)
        if rest:
            text = rest
    number, unit = _number_with_unit(text)
    if unit not in ("", "%"):
        raise ValueParseError("upload.value.not_a_percent", unit=unit)
    return sign * number
