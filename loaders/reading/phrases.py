"""Indicator phrasings and units: how report text names a catalogue indicator.

The phrasings are data (`data/indicator_aliases.csv`, beside the catalogue):
one row per phrase, with
- `after`: the phrase names this indicator only after that indicator was named
  earlier in the same sentence ("dịch vụ" is GRDP growth of services only in a
  breakdown after GRDP);
- `not_with`: words that, anywhere in the sentence, mean the phrase names
  something else ("kim ngạch xuất nhập khẩu qua địa bàn" is not the turnover
  declared at the province's customs);
- `needs`: words one of which must be in the sentence.

A phrase whose indicator is not in the catalogue still matches: it holds its
words apart from a shorter phrase (the longest phrase wins) and its figures are
left unplaced, never given to a neighbour. Matching ignores case and diacritics
(text is NFC-normalised first, so composed and decomposed input read alike).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from loaders.upload.values import _fold as fold_exact  # one folding for the loaders: one char for one

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
ALIASES_FILE = DATA_DIR / "indicator_aliases.csv"
INDICATORS_FILE = DATA_DIR / "indicators.csv"

_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ", "\u200b": " "})
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-"})


def clean(text: str) -> str:
    """Text in one form: NFC, plain spaces and dashes, no runs of spaces."""
    text = unicodedata.normalize("NFC", text).translate(_SPACES).translate(_DASHES)
    return re.sub(r" {2,}", " ", text)


def fold(text: str) -> str:
    """Lower case without diacritics, one character for one, so positions in
    the folded text are positions in the text."""
    return fold_exact(text)


# -- units --------------------------------------------------------------------------------
SCALES = (("nghin ty", 1e12), ("ngan ty", 1e12), ("trieu", 1e6), ("ty", 1e9), ("ti", 1e9),
          ("nghin", 1e3), ("ngan", 1e3), ("van", 1e4))
# written -> base; "lượt" is dropped so "nghìn khách" and "nghìn lượt khách" read alike
_BASE_WORDS = (("do la my", "usd"), ("usd", "usd"), ("dong", "dong"), ("hecta", "ha"), ("ha", "ha"),
               ("tan", "tan"), ("m3", "m3"), ("kwh", "kwh"))
_MEASURES = {"usd", "dong", "ha", "tan", "m3", "kwh"}


@dataclass(frozen=True)
class Unit:
    """A unit: `percent`, or a scale and a base (a measure such as "dong" or a
    counted noun such as "doanh nghiep")."""

    percent: bool = False
    scale: float = 1.0
    base: str = ""
    counts_visits: bool = False


def _scale(text: str) -> tuple[float, str]:
    for word, factor in SCALES:
        if text.startswith(word + " "):
            return factor, text[len(word) + 1:]
    return 1.0, text


def _base(text: str) -> str:
    text = text.strip()
    if text.startswith("luot "):
        text = text[5:]
    if text == "lao dong" or text.startswith("lao dong "):  # "15.360 lao động" counts people
        text = "nguoi" + text[8:]
    for word, base in _BASE_WORDS:
        if text == word or text.startswith(word + " ") or text.startswith(word + "/"):
            return base
    return text


@cache
def catalogue_unit(unit_vi: str) -> Unit:
    """The catalogue's unit ("tỷ đồng", "nghìn ha", "%", "doanh nghiệp") as a Unit."""
    folded = fold(clean(unit_vi)).strip()
    if folded == "%":
        return Unit(percent=True)
    scale, rest = _scale(folded + " ")
    return Unit(scale=scale, base=_base(rest.split("/")[0]), counts_visits=rest.startswith("luot "))


def written_unit(after: str) -> tuple[Unit | None, int]:
    """The unit written right after a number (folded text), and its length.
    None when nothing after the number looks like a unit."""
    stripped = after.lstrip()
    lead = len(after) - len(stripped)
    if stripped.startswith("%"):
        return Unit(percent=True), lead + 1
    if stripped.startswith("phan tram"):
        return Unit(percent=True), lead + 9
    scale, rest = _scale(stripped)
    used = len(stripped) - len(rest)
    words = re.match(r"[a-z0-9/]+(?:\.\d+)*(?: [a-z0-9/]+(?:\.\d+)*){0,3}", rest)
    if not words:
        return (Unit(scale=scale) if scale != 1.0 else None), lead + used
    text = words.group(0)
    base = _base(text)
    if base in _MEASURES:
        head = re.match(r"(?:luot )?[a-z0-9]+(?: la my)?", rest)
        return Unit(scale=scale, base=base), lead + used + (head.end() if head else 0)
    return Unit(scale=scale, base=base), lead + used


def convert(value: float, written: Unit | None, wanted: Unit) -> float | None:
    """`value` in `written` units expressed in the catalogue's `wanted` unit,
    or None when the two cannot be the same quantity (a tỷ đồng figure is
    not a growth rate; USD is not đồng: no exchange rate is guessed)."""
    if wanted.percent:
        return value if written is not None and written.percent else None
    if written is None or written.percent:
        return None
    if wanted.base in _MEASURES:
        if written.base != wanted.base:
            return None
    elif not (written.base == wanted.base or written.base.startswith(wanted.base + " ")
              or written.base.startswith(wanted.base + "/") or (written.base == "luot" and wanted.counts_visits)):
        return None  # "5 triệu lượt" is a count of visits: it fits "triệu lượt khách"
    return value * written.scale / wanted.scale


# -- the catalogue and its phrasings -----------------------------------------------------
@dataclass(frozen=True)
class Phrase:
    indicator_id: str
    phrase: str
    after: str
    not_with: tuple[str, ...]
    needs: tuple[str, ...]


@dataclass
class Phrasebook:
    """The catalogue rows and the phrases that name them, with one compiled
    pattern that finds every phrase (longest first) in folded text. The
    catalogue's columns are kept as dicts: looked up per number, often."""

    indicators: pd.DataFrame
    phrases: dict[str, list[Phrase]]
    pattern: re.Pattern

    def __post_init__(self):
        rows = self.indicators.reset_index().to_dict("records")
        self._units = {r["indicator_id"]: catalogue_unit(r["unit_vi"]) for r in rows}
        self._measures = {r["indicator_id"]: r["measure"] for r in rows}
        self._parents = {r["parent_id"] for r in rows if r["parent_id"]}
        self._parent_of = {r["indicator_id"]: r["parent_id"] for r in rows}
        self._changes = {}
        for r in rows:
            words = fold(r["name_vi"]).split()
            self._changes[r["indicator_id"]] = next((w for w in ("giam", "tang") if w in words), None)

    def unit(self, indicator_id: str) -> Unit:
        return self._units[indicator_id]

    def measure(self, indicator_id: str) -> str:
        return self._measures[indicator_id]

    def known(self, indicator_id: str) -> bool:
        return indicator_id in self._units

    def parent(self, indicator_id: str) -> str:
        """The catalogue parent ("" for a top-level indicator)."""
        return self._parent_of.get(indicator_id, "")

    def has_children(self, indicator_id: str) -> bool:
        return indicator_id in self._parents

    def change_named(self, indicator_id: str) -> str | None:
        """"tang"/"giam" when the indicator's own name is a change ("Tốc độ
        tăng GRDP", "Mức giảm tỷ lệ hộ nghèo", "Số phòng ... giảm"): then "tăng X%"
        is its value, not a change on last year."""
        return self._changes.get(indicator_id)


def _words(cell: str) -> tuple[str, ...]:
    # kept with their diacritics: "chè" must not exclude "che phủ rừng"
    return tuple(clean(w).strip().lower() for w in (cell or "").split("|") if w.strip())


def _regex(folded_phrase: str) -> str:
    body = re.escape(folded_phrase)
    return body.replace(r"\ \-\ ", r"\-").replace(r"\ ", r"\s+").replace(r"\-", r"\s*-\s*").replace(",", r"\s*,")


@cache
def phrasebook(aliases: Path = ALIASES_FILE, indicators: Path = INDICATORS_FILE) -> Phrasebook:
    """The phrasebook from the alias file and the catalogue (read once)."""
    catalogue = pd.read_csv(indicators, dtype=str, keep_default_na=False).set_index("indicator_id")
    table: dict[str, list[Phrase]] = {}
    with aliases.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            key = re.sub(r"\s+", " ", fold(clean(row["phrase"])).strip())
            table.setdefault(key, []).append(Phrase(
                row["indicator_id"].strip(), key, (row.get("after") or "").strip(),
                _words(row.get("not_with", "")), _words(row.get("needs", "")),
            ))
    return Phrasebook(catalogue, table, _pattern(table))


def _pattern(phrases) -> re.Pattern:
    """One pattern for all phrases, grouped by their first word so that each
    place in a text tries one group, longest phrase first."""
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        first = re.match(r"[a-z0-9]+|\S", phrase).group(0)
        groups.setdefault(first, []).append(phrase[len(first):])
    alternatives = []
    for first, rests in groups.items():
        rests = sorted(rests, key=len, reverse=True)  # "" (the word alone) last
        alternatives.append(_regex(first) + "(?:" + "|".join(_regex(r) for r in rests) + ")")
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")


@dataclass
class Mention:
    """A phrase found in a sentence: where, and the phrasings it may be."""

    start: int
    end: int
    key: str
    candidates: list[Phrase]


def _has(lowered: str, words: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", lowered) is not None


def mentions(book: Phrasebook, folded: str, lowered: str) -> list[Mention]:
    """Every phrase in a folded sentence, longest first at each place, the
    candidates already filtered by the `not_with` and `needs` words of the
    sentence (`lowered`: lower case, diacritics kept)."""
    found = []
    for m in book.pattern.finditer(folded):
        key = re.sub(r"\s*-\s*", " - ", re.sub(r"\s*,", ",", re.sub(r"\s+", " ", m.group(0))))
        options = book.phrases.get(key) or book.phrases.get(re.sub(r"\s+", " ", m.group(0)), [])
        options = [p for p in options
                   if not any(_has(lowered, w) for w in p.not_with) and (not p.needs or any(_has(lowered, w) for w in p.needs))]
        if options:
            found.append(Mention(m.start(), m.end(), key, options))
    return found
