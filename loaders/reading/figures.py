"""One sentence → the figures it states about catalogue indicators.

The conventions are those of the hand transcription of Kế hoạch 120/KH-UBND
(data/observations/120_KH-UBND_2018.csv):
- "đạt / bằng X% kế hoạch | dự toán" → pct_of_plan X (two bases: the province's);
- "tăng / giảm Y% (so với cùng kỳ)" → yoy_pct ±Y; "bằng Z% cùng kỳ" → Z − 100;
  "gấp N lần" → (N − 1) × 100; percentage points, "so với tháng trước" and
  "so với 31/12" are not yoy ("so với 31/12" is the indicator's `_growth_ytd`);
- an indicator whose own name is a change ("Tốc độ tăng GRDP", "Mức giảm tỷ lệ hộ
  nghèo") takes "tăng / giảm Y%" as its value;
- "khoảng" → approx, "8 - 9" → range, "trên / hơn" → at_least (strict),
  "từ … trở lên" → at_least, "dưới" → at_most (strict);
- "bằng X% tổng số" → the indicator's `_share` sibling.
A number that cannot be placed (no indicator, a unit that does not fit, a
second value, a change in absolute terms) is returned with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.reading import context as ctxmod
from loaders.reading.context import Context
from loaders.reading.phrases import Mention, Phrase, Phrasebook, Unit, convert, fold, mentions, written_unit

NUMBER = re.compile(r"(?<![\w.,/])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+\.\d+|\d+)(?:(?![\w])|(?=ha\b|km\b|tấn\b))")
RANGE_JOIN = re.compile(r"\s*(?:%\s*)?(?:-|đến|tới)\s*(?=\d)")
NOT_FIGURE_BEFORE = re.compile(
    r"\b(ngay|thang|quy|nam|lan|lan thu|so hieu|nghi dinh so|quyet dinh so|khoa|muc do|dieu|khoan|km|quoc lo|ql|"
    r"giai doan|nhiem ky|thoi ky|tu ngay|den ngay|top|lop)\s*$")
CLAUSE_BREAK = re.compile(r"[,;()]|\s-\s|:\s")


@dataclass
class Number:
    """A number in a sentence, with what the words around it make of it."""

    start: int
    end: int            # end of the number (or of the range's second number)
    value: float | None
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    strict: bool | None = None
    unit: Unit | None = None
    unit_end: int = 0
    role: str = "value"  # value, change, pct_plan, yoy_level, gap, share
    sign: int = 1
    comparator: str = ""
    basis: str = ""
    postfix: Mention | None = None


@dataclass
class Figure:
    indicator_id: str
    start: int
    end: int
    ctx: Context
    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    pct_of_plan: float | None = None
    yoy_pct: float | None = None
    reasons: list[str] = field(default_factory=list)
    confidence: float = 0.9
    pct_basis_province: bool = False


@dataclass
class Unplaced:
    start: int
    end: int
    reason: str
    number: Number | None = None


@dataclass
class SentenceResult:
    figures: list[Figure]
    unplaced: list[Unplaced]


def parse_number(text: str) -> float:
    """ "1.437,4" → 1437.4; "2.430" → 2430; "1,6" → 1.6; "7.98" → 7.98."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        return float(text.replace(".", "").replace(",", "."))
    return float(text.replace(",", "."))


def _is_year(text: str) -> bool:
    return re.fullmatch(r"(19|20)\d{2}", text) is not None


def scan_numbers(text: str, folded: str, skip: list[tuple[int, int]]) -> list[Number]:
    """The figures' numbers in a sentence: dates, document numbers, years,
    list markers and numbers inside indicator names left out."""
    found: list[Number] = []
    taken_until = -1
    for m in NUMBER.finditer(text):
        s, e = m.start(), m.end()
        if s < taken_until or any(a <= s < b for a, b in skip):
            continue
        tail = text[e:e + 12]
        if re.match(r"/\d{1,2}/\d{2,4}|/\d{4}\b|/[A-ZĐa-z]", tail):
            continue  # a date (31/3/2018, 5/2018) or a document number (13/CT-TTg)
        frac = re.match(r"/(\d+)(?=\s+[^\W\d])", tail)
        if re.match(r"/\d", tail) and not (frac and parse_number(m.group(1)) <= int(frac.group(1))):
            continue  # "30/6" is a date; "08/162 phòng" is a count out of a total
        pre = folded[max(0, s - 16):s]
        if NOT_FIGURE_BEFORE.search(pre) or re.search(r"\d[/.-]\s*$", text[max(0, s - 3):s]):
            continue
        if s == 0 and re.match(r"[.)]\s", text[e:e + 2]):
            continue  # a list marker
        if re.match(r"\s+(tháng|quý|năm)\b", text[e:e + 7]):
            continue  # "6 tháng đầu năm" is a period
        raw = m.group(1)
        if _is_year(raw) and not re.match(r"\s*(%|tỷ|triệu|nghìn|ngàn|ha\b|tấn|người|lượt|hộ)", text[e:e + 8]):
            continue
        n = Number(s, e, parse_number(raw))
        after = e
        if frac:  # "giảm 08/162 phòng": the count, out of a total
            after = e + frac.end()
        join = RANGE_JOIN.match(text, after)
        second = NUMBER.match(text, join.end()) if join else None
        if second and not (_is_year(raw) and _is_year(second.group(1))):
            n.low, n.high, n.value = n.value, parse_number(second.group(1)), None
            n.qualifier = "range"
            after = n.end = second.end()
        n.unit, length = written_unit(folded[after:after + 60])
        n.unit_end = after + length
        taken_until = n.end
        found.append(n)
    return found


_BASIS = re.compile(r"\s*(?:so voi\s+|so\s+)?(?:so\s+)?(ke hoach|kh\b|du toan|chi tieu|muc tieu|nhiem vu|nghi quyet)((?:(?!\bva\b|\d)[^,;()])*)")
_COMPARE = re.compile(r"\s*[,(]?\s*so(?: voi)?\s+([^,;()]*)")


def read_role(n: Number, folded: str) -> None:
    """Set what a number is to its figure from the words before and after it."""
    pre = folded[max(0, n.start - 30):n.start].rstrip()
    post = folded[n.unit_end:n.unit_end + 80]
    pct = n.unit is not None and n.unit.percent
    paren = re.search(r"\(\s*([-+]?)$", pre)
    if pct and paren and post.lstrip().startswith(")"):
        # "giảm 2 vụ (-6,5%)": the change in per cent of the absolute change before it
        n.role, n.sign = "paren", (-1 if paren.group(1) == "-" else 0)
        return
    if pct and re.search(r"\b(dat|bang|dat duoc|hoan thanh|thuc hien|va)(?: khoang| tren| gan| hon)?$", pre):
        basis = _BASIS.match(post)
        if basis:
            n.role, n.basis = "pct_plan", (basis.group(1) + basis.group(2)).strip()
            return
        if re.search(r"\b(bang|dat)$", pre) and re.match(r"\s*(so voi\s+|so\s+)?cung ky", post):
            n.role = "yoy_level"
            return
        if pre.endswith("bang") and re.match(r"\s*(so voi\s+)?tong so", post):
            n.role = "share"
            return
    if pct and re.search(r"\bvuot$", pre) and _BASIS.match(post):
        basis = _BASIS.match(post)  # "vượt 1,3% so với dự toán" is 101,3% of plan
        n.role, n.basis, n.value = "pct_plan", (basis.group(1) + basis.group(2)).strip(), 100 + n.value
        return
    if pct and re.search(r"\bdat$", pre) and re.match(r"\s*([,;.)]|va\b|$)", post):
        n.role = "pct_bare"  # "đạt 59%": of plan when its siblings say so, else the value of a rate
        return
    if re.search(r"\bgap(?: khoang)?$", pre) and re.match(r"\s*lan\b", folded[n.end:n.end + 6]):
        n.role = "gap"
        n.unit_end = n.end + len(re.match(r"\s*lan", folded[n.end:]).group(0))
        return
    change = re.search(r"\b(tang|giam|vuot)(?: manh| nhe| cao| them| kha| nhanh| sau| rat manh)?(?: khoang| hon| tren| gan)?$", pre)
    if change and (change.group(1) != "vuot" or re.match(r"\s*[,(]?\s*so voi (cung ky|nam)", post)):
        n.role, n.sign = "change", (-1 if change.group(1) == "giam" else 1)
        compare = _COMPARE.match(post)
        n.comparator = compare.group(1).strip() if compare else ""
        if re.match(r"\s*diem\b", post) or re.match(r"\s*diem", folded[n.end:n.end + 8]):
            n.comparator = "diem phan tram"
        return
    if re.search(r"\b(khoang|xap xi|gan|uoc khoang|tren duoi)$", pre) and n.qualifier != "range":
        n.qualifier = "approx"
    elif re.search(r"\b(tren|hon|vuot|vuot muc)$", pre) and n.qualifier != "range":
        n.qualifier, n.strict = "at_least", True
    elif (re.search(r"\btu$", pre) and re.match(r"\s*tro len", post)) or re.search(r"\b(toi thieu|it nhat)$", pre):
        if n.qualifier != "range":
            n.qualifier, n.strict = "at_least", False
    elif re.search(r"\bduoi$", pre) and n.qualifier != "range":
        n.qualifier, n.strict = "at_most", True
    elif re.search(r"\b(toi da|khong qua)$", pre) and n.qualifier != "range":
        n.qualifier, n.strict = "at_most", False


def _yoy_comparator(comparator: str, year: int | None) -> str:
    """"yoy", "ytd" or "other" for the words after "so với"."""
    if not comparator or comparator.startswith(("cung ky", "ky nam truoc", "nam truoc")):
        return "yoy"
    if comparator.startswith(("31/12", "dau nam", "ngay 31/12", "cuoi nam truoc", "thoi diem 31/12")):
        return "ytd"
    m = re.match(r"(?:cung ky )?nam (\d{4})", comparator)
    if m and year is not None and int(m.group(1)) == year - 1:
        return "yoy"
    return "other"


class SentenceReader:
    """Reads one sentence against the phrasebook, under a heading context."""

    def __init__(self, book: Phrasebook, text: str, heading: Context, paragraph_date: Context | None,
                 carried: list[str] = ()):
        self.book = book
        self.text = text
        self._breaks: list[tuple[int, int]] | None = None
        self.folded = fold(text)
        self.heading = heading
        self.paragraph_date = paragraph_date
        self.mentions = mentions(book, self.folded, text.lower())
        spans = [(m.start, m.end) for m in self.mentions]
        masked = list(self.folded)
        for a, b in spans:
            masked[a:b] = "#" * (b - a)
        self.masked = "".join(masked)
        self.numbers = scan_numbers(text, self.folded, spans)
        for n in self.numbers:
            read_role(n, self.folded)
        self.periods = ctxmod.period_cues(self.masked)
        self.years = ctxmod.year_cues(self.masked)
        self.same_period_years = [(m.start(), int(m.group(1))) for m in ctxmod.SAME_PERIOD_YEAR.finditer(self.masked)]
        # "(cùng kỳ năm trước tăng 5,9%)": what follows is last year's figure, not a change on it
        self.last_year_marks = [m.end() for m in re.finditer(
            r"(?<!so voi )(?<!so )\bcung ky(?: nam (?:\d{4}|truoc|ngoai))?\s+(?=tang|giam|dat|la\b)", self.masked)]
        self.date = ctxmod.date_cue(self.masked)
        # "Trong đó, khu vực dịch vụ tăng 7,2%": a breakdown of what the sentence before named
        self.mentioned: list[str] = list(carried) if re.match(r"(trong do|cu the|trong muc tang)\b", self.folded) else []

    # -- context of one position ----------------------------------------------------------
    def _clause(self, pos: int) -> tuple[int, int]:
        """Where the clause holding `pos` starts and ends (between , ; ( ) and dashes)."""
        if self._breaks is None:
            self._breaks = [(m.start(), m.end()) for m in CLAUSE_BREAK.finditer(self.text)]
        starts = [e for _, e in self._breaks if e <= pos]
        ends = [s for s, _ in self._breaks if s >= pos]
        return (max(starts) if starts else 0, min(ends) if ends else len(self.text))

    def context_at(self, pos: int) -> Context:
        a, b = self._clause(pos)
        period = next((p for s, p in self.periods if a <= s < b), None)
        if period is None:
            period = next((p for s, p in reversed(self.periods) if s < a), None)
        year = next((y for s, y in self.same_period_years if a <= s < b), None)
        whole_year = False  # "Năm 2024, tỉnh phấn đấu ...": the year itself is the period
        if year is None:
            year = next((y for s, y in self.years if a <= s < b), None)
            whole_year = year is not None
        if year is None:  # "(cùng kỳ năm 2017 tăng 5,9%)" names the year of its own clause only
            segment = self.text.rfind(";", 0, pos) + 1  # a year said before a ";" was about something else
            cue = next(((s, y) for s, y in reversed(self.years) if segment <= s < a
                        and not any(s2 <= s < s2 + 20 for s2, _ in self.same_period_years)), None)
            year = cue[1] if cue else None
            whole_year = cue is not None and cue[0] < 12  # "Năm 2024, tỉnh phấn đấu ..."
        date = self.date[1] if self.date is not None and self.date[0] < pos else self.paragraph_date
        base = self.heading
        if date is not None:
            base = date.over(base)
        if year is not None and period is None and (whole_year or year != base.year):
            period = "FY"
        return Context(year, period, self._own_kind(pos)).over(base)

    def _own_kind(self, pos: int) -> str | None:
        """The kind the words before `pos` in its ";"-segment say ("ước đạt"), if any."""
        segment_start = self.text.rfind(";", 0, pos) + 1
        return ctxmod.kind_in(self.masked[segment_start:pos], heading=False)

    # -- choosing the indicator -----------------------------------------------------------
    def _valid(self, mention: Mention, mentioned: list[str]) -> list[Phrase]:
        options = [p for p in mention.candidates if not p.after or p.after in mentioned]
        with_after = [p for p in options if p.after]
        if with_after:  # a breakdown: the most recently named parent
            best = max(mentioned.index(p.after) if p.after in mentioned else -1 for p in with_after)
            latest = [p for p in with_after if mentioned.index(p.after) == best]
            plain = [p for p in options if not p.after]
            return latest if latest else plain
        return options

    def _fits(self, phrase: Phrase, n: Number, as_value: bool) -> float | None:
        """The number in the indicator's unit, or None if it cannot be its value."""
        if not self.book.known(phrase.indicator_id):
            return None
        wanted = self.book.unit(phrase.indicator_id)
        value = n.value if n.value is not None else n.low
        if n.unit is None and wanted.percent and phrase.after:
            return value  # "thuế sản phẩm trừ trợ cấp 3- 4" in a breakdown given in %
        converted = convert(value, n.unit, wanted)
        return converted if as_value else converted

    def read(self) -> SentenceResult:
        figures: list[Figure] = []
        unplaced: list[Unplaced] = []
        mentioned = self.mentioned
        current: dict | None = None  # {"mention", "options", "figure"}
        consumed: set[int] = set()

        # a mention right after a number's unit names that number: "215 doanh nghiệp thành lập mới"
        for n in self.numbers:
            if n.role in ("pct_plan", "yoy_level", "share", "gap"):
                continue
            for m in self.mentions:
                if n.end <= m.start <= n.unit_end + 1 and id(m) not in consumed:
                    n.postfix = m
                    consumed.add(id(m))
                    break

        items = sorted([(m.start, 0, m) for m in self.mentions] + [(n.start, 1, n) for n in self.numbers],
                       key=lambda x: (x[0], x[1]))
        for _, is_number, item in items:
            if not is_number:
                if id(item) in consumed:
                    continue
                options = self._valid(item, mentioned)
                if not options:
                    if current is not None and any(self.book.has_children(p.indicator_id) for p in current["options"]):
                        current["stale"] = True  # a part the catalogue does not name: not the total's value
                    continue
                for p in options:
                    mentioned.append(p.indicator_id)
                current = {"mention": item, "options": options, "figure": None}
                continue
            n: Number = item
            slot = current
            if n.postfix is not None:
                options = self._valid(n.postfix, mentioned)
                fitting = [p for p in options if self._fits(p, n, True) is not None]
                if fitting:
                    for p in fitting:
                        mentioned.append(p.indicator_id)
                    slot = current = {"mention": n.postfix, "options": fitting, "figure": None, "postfix": True}
                else:
                    consumed.discard(id(n.postfix))
                    n.postfix = None
            reason = self._place(n, slot, figures)
            if reason:
                unplaced.append(Unplaced(n.start, n.unit_end, reason, n))
        return SentenceResult(figures, unplaced)

    def _new_figure(self, slot: dict, phrase: Phrase, n: Number, figures: list[Figure], year: int | None = None) -> Figure:
        start = min(slot["mention"].start, n.start)
        ctx = self.context_at(n.start)
        if year is not None:
            ctx = ctxmod.with_year(ctx, year)
        total = phrase.after or self.book.parent(phrase.indicator_id)
        if total and self._own_kind(n.start) is None:
            # a breakdown ("trong đó: thu nội địa ...") is the kind its total was said to be
            parent = next((f for f in reversed(figures) if total in (f.indicator_id, self.book.parent(f.indicator_id))),
                          None)
            if parent is not None:
                ctx = Context(ctx.year, ctx.period, parent.ctx.kind)
        fig = Figure(phrase.indicator_id, start, n.unit_end, ctx)
        mention = slot["mention"]
        fig.reasons.append(f"«{self.text[mention.start:mention.end]}»")
        if phrase.after:
            fig.confidence -= 0.1
        figures.append(fig)
        slot["figure"] = fig
        return fig

    def _single(self, slot: dict | None) -> Phrase | None:
        if slot is None:
            return None
        known = [p for p in slot["options"] if self.book.known(p.indicator_id)]
        ids = {p.indicator_id for p in slot["options"]}
        return known[0] if len(ids) == 1 and known else None

    def _set_value(self, fig: Figure, n: Number, converted: float, sign: int = 1) -> None:
        factor = converted / (n.value if n.value is not None else n.low) if (n.value or n.low) else 1.0
        if n.qualifier == "range":
            low, high = sorted((sign * n.low * factor, sign * n.high * factor))
            fig.low, fig.high, fig.value, fig.qualifier = low, high, None, "range"
        else:
            fig.value = sign * converted
            fig.qualifier = n.qualifier
            if n.qualifier == "at_least":
                fig.low = fig.value
            elif n.qualifier == "at_most":
                fig.high = fig.value
            if n.strict is not None:
                fig.reasons.append("strict bound" if n.strict else "inclusive bound")
        if n.unit is None:
            fig.confidence -= 0.2
        fig.end = max(fig.end, n.unit_end)

    def _place(self, n: Number, slot: dict | None, figures: list[Figure]) -> str | None:
        """Give the number to its figure; the reason key when it cannot be placed."""
        if n.role == "paren":
            return self._paren_change(n, figures)
        if n.role == "pct_bare":
            fig = slot["figure"] if slot else None
            if (fig is not None and fig.pct_of_plan is None and not self.book.unit(fig.indicator_id).percent
                    and any(f.pct_of_plan is not None for f in figures)):
                fig.pct_of_plan = n.value
                fig.end = max(fig.end, n.unit_end)
                return None
            n.role = "value"
        if slot is None:
            return "reading.unplaced.no_indicator"
        fig: Figure | None = slot["figure"]
        if n.role == "value" or (n.role == "change" and any(self.book.known(p.indicator_id) and self.book.change_named(p.indicator_id) for p in slot["options"])):
            sign = 1
            options = slot["options"]
            if n.role == "change":
                options = [p for p in options if self.book.known(p.indicator_id) and self.book.change_named(p.indicator_id)]
            fitting = [(p, self._fits(p, n, True)) for p in options]
            fitting = [(p, v) for p, v in fitting if v is not None]
            if not fitting:
                if any(not self.book.known(p.indicator_id) for p in slot["options"]):
                    return "reading.unplaced.not_in_catalogue"
                return "reading.unplaced.unit"
            if len({p.indicator_id for p, _ in fitting}) > 1 or slot.get("stale"):
                return "reading.unplaced.ambiguous"
            phrase, converted = fitting[0]
            if n.role == "change":
                if n.comparator.startswith("diem") or _yoy_comparator(n.comparator, None) != "yoy":
                    return "reading.unplaced.not_yoy"  # "tăng 2% so với quý trước" is not the growth rate
                sign = n.sign if self.book.change_named(phrase.indicator_id) == "tang" else -n.sign
            year = None
            if fig is not None:
                a, b = self._clause(n.start)
                other_year = next((y for s, y in self.same_period_years if a <= s < b), None)
                if other_year is None and fig.ctx.year is not None and self._last_year(n):
                    other_year = fig.ctx.year - 1
                if other_year is None or fig.indicator_id != phrase.indicator_id or other_year == fig.ctx.year:
                    return "reading.unplaced.second_value"
                year = other_year
            fig = self._new_figure(slot, phrase, n, figures, year)
            self._set_value(fig, n, converted, sign)
            return None
        if n.role == "pct_plan":
            if fig is None:
                phrase = self._single(slot)
                if phrase is None:
                    return "reading.unplaced.no_indicator"
                fig = self._new_figure(slot, phrase, n, figures)
            province = re.search(r"\b(tinh|hdnd|dia phuong)\b", n.basis) is not None
            if fig.pct_of_plan is not None:  # two bases: the province's plan is the one tracked
                if province == fig.pct_basis_province:
                    return "reading.unplaced.second_value"
                kept, other = (n, fig.pct_of_plan) if province else (None, n.value)
                if kept is not None:
                    fig.pct_of_plan = kept.value
                fig.reasons.append(f"pct_of_plan on the province's basis, not the centre's ({other:g}%)")
                fig.pct_basis_province = True
                fig.end = max(fig.end, n.unit_end + len(n.basis) + 1)
                return None
            fig.pct_of_plan = n.value
            fig.pct_basis_province = province
            fig.end = max(fig.end, n.unit_end + len(n.basis) + 1)
            return None
        if n.role in ("change", "yoy_level", "gap"):
            if self._last_year(n):
                return "reading.unplaced.not_yoy"
            year = fig.ctx.year if fig else self.context_at(n.start).year
            if n.role == "change":
                if n.unit is None or not n.unit.percent:
                    return "reading.unplaced.absolute_change"
                kind = "points" if n.comparator.startswith("diem") else _yoy_comparator(n.comparator, year)
                if n.qualifier == "range":
                    return "reading.unplaced.ambiguous"
                change = n.sign * n.value
            elif n.role == "yoy_level":
                kind, change = "yoy", round(n.value - 100, 6)
            else:
                kind, change = "yoy", round((n.value - 1) * 100, 6)
            if kind == "ytd":
                base = fig.indicator_id if fig else None
                target = f"{base}_growth_ytd" if base else None
                if target is None or not self.book.known(target):
                    return "reading.unplaced.not_yoy"
                new = Figure(target, fig.start, n.unit_end, fig.ctx, value=change)
                new.reasons.append(f"«so với {n.comparator}»")
                figures.append(new)
                return None
            if kind != "yoy":
                return "reading.unplaced.not_yoy"
            if fig is None:
                phrase = self._single(slot)
                if phrase is None:
                    return "reading.unplaced.no_indicator"
                if self.book.unit(phrase.indicator_id).percent and self.book.measure(phrase.indicator_id) == "level":
                    return "reading.unplaced.not_yoy"  # "tỷ lệ ... tăng 2%": points or per cent? not guessed
                fig = self._new_figure(slot, phrase, n, figures)
            if fig.yoy_pct is not None:
                return "reading.unplaced.second_value"
            fig.yoy_pct = round(change, 6)
            fig.end = max(fig.end, n.unit_end + (len(n.comparator) + 8 if n.comparator else 0))
            return None
        if n.role == "share":
            if fig is None:
                return "reading.unplaced.no_indicator"
            target = fig.indicator_id.replace(".", "_") + "_share"
            if not self.book.known(target):
                return "reading.unplaced.not_in_catalogue"
            new = Figure(target, fig.start, n.unit_end + 9, fig.ctx, value=n.value)
            new.reasons.append("«bằng … tổng số»")
            figures.append(new)
            return None
        return "reading.unplaced.no_indicator"

    def _last_year(self, n: Number) -> bool:
        """Whether "cùng kỳ (năm trước)" opens the number's clause: last year's figure."""
        a, _ = self._clause(n.start)
        return any(a <= end <= n.start and n.start - end <= 12 for end in self.last_year_marks)

    def _paren_change(self, n: Number, figures: list[Figure]) -> str | None:
        """"so với cùng kỳ ... giảm 2 vụ (-6,5%), 4 người chết (-12,1%)": the
        per cent goes, as yoy, to the figure of this sentence measured in the
        unit of the absolute change before it (the most words shared wins)."""
        before = [m for m in self.numbers if m.end <= n.start and n.start - m.end <= 30]
        if not before or before[-1].unit is None or before[-1].unit.percent:
            return "reading.unplaced.no_indicator"
        change = before[-1]
        if not re.search(r"\bcung ky\b", self.folded[:change.start]):
            return "reading.unplaced.not_yoy"
        words = set(re.findall(r"[a-z]+", self.folded[change.end:n.start]))
        scored = []
        for fig in figures:
            if fig.yoy_pct is not None or fig.value is None:
                continue
            if convert(1.0, change.unit, self.book.unit(fig.indicator_id)) is None:
                continue
            scored.append((len(words & set(self.folded[fig.start:fig.end].split())), fig))
        if not scored:
            return "reading.unplaced.no_indicator"
        scored.sort(key=lambda x: -x[0])
        if len(scored) > 1 and scored[0][0] == scored[1][0]:
            return "reading.unplaced.ambiguous"
        sign = n.sign or (change.sign if change.role == "change" else 1)
        scored[0][1].yoy_pct = sign * n.value
        return None
