"""Every figure, label, period and date in words, in one place, and the one
table of status styles (colour, fill, symbol) that charts, chips and slides
draw from. Pure: the status engine, views, charts, the deck and the preview
all ask here, so one figure reads the same everywhere.

- A quantity keeps the precision it was entered with (5.120,5 stays
  5.120,5 whatever the catalogue's decimals), rounded half up at six
  digits as reports round, trailing zeros trimmed.
- Periods have three forms: the period ("6 tháng đầu năm"), the period of a
  year ("6 tháng đầu năm 2018") and a short axis label ("6 tháng đầu 2018").
- Dates are formatted by tracker.fmt.day, in Vietnam time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tracker import fmt
from tracker.i18n import t
from tracker.schema import span

# ------------------------------------------------------------ status styles

# Okabe & Ito (2008), "Color Universal Design": told apart with every common
# colour-vision deficiency; the symbol and words repeat what the colour says.
BLUE, GREEN, ORANGE, VERMILLION = "#0072B2", "#009E73", "#E69F00", "#D55E00"
PURPLE, GREY, LIGHT_GREY = "#CC79A7", "#999999", "#BBBBBB"


@dataclass(frozen=True)
class StatusStyle:
    """How a status is drawn: chart colour and bar fill pattern, the symbol
    a chip or label reads without colour, and Streamlit's badge colour."""

    colour: str
    pattern: str
    symbol: str
    badge: str


STATUS_STYLES: Mapping[str, StatusStyle] = {
    # A figure against its target (tracker.status).
    "exceeded": StatusStyle(BLUE, "", "▲", "blue"),
    "met": StatusStyle(GREEN, "", "✔", "green"),
    "inside": StatusStyle(GREEN, "", "✔", "green"),
    "on_track": StatusStyle(GREEN, "", "●", "green"),
    "at_risk": StatusStyle(ORANGE, "/", "◐", "orange"),
    "behind": StatusStyle(VERMILLION, "x", "▼", "red"),
    "not_met": StatusStyle(VERMILLION, "x", "✖", "red"),
    "above": StatusStyle(VERMILLION, "x", "↑", "red"),
    "below": StatusStyle(VERMILLION, "x", "↓", "red"),
    "no_target": StatusStyle(GREY, ".", "○", "gray"),
    "no_data": StatusStyle(GREY, ".", "–", "gray"),
    # An agency's reporting for the border plan (tracker.border).
    "on_time": StatusStyle(GREEN, "", "✓", "green"),
    "late": StatusStyle(ORANGE, "/", "!", "orange"),
    "partial": StatusStyle(ORANGE, "/", "◐", "orange"),
    "missing": StatusStyle(VERMILLION, "x", "✗", "red"),
    # A border-plan task's state.
    "done": StatusStyle(BLUE, "", "✔", "blue"),
    "in_progress": StatusStyle(ORANGE, "/", "◐", "orange"),
    "not_started": StatusStyle(PURPLE, "\\", "○", "violet"),
    "not_reported": StatusStyle(LIGHT_GREY, ".", "–", "gray"),
}
_UNKNOWN_STYLE = StatusStyle(GREY, ".", "–", "gray")


def style(code: str) -> StatusStyle:
    """The style of a status code (grey with a dash when unknown)."""
    return STATUS_STYLES.get(code, _UNKNOWN_STYLE)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def status_label(code: str, lang: str) -> str:
    """A figure's status in words: "vượt", "đạt", "chậm tiến độ"."""
    return t(f"status.label.{code}", lang)


def status_text(code: str, lang: str) -> str:
    """A status as a chip reads: symbol and words, "● Đúng tiến độ"."""
    return f"{style(code).symbol} {capitalised(status_label(code, lang))}"


# ------------------------------------------------------------------ numbers


def number(x: float, lang: str, digits: int = 6) -> str:
    """A number rounded half up to `digits` (as reports round: 106,25 ->
    106,3), trailing zeros trimmed, in `lang`: the precision it was entered
    with, without float noise."""
    rounded = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return fmt.number(rounded, None, lang)


def percent(x: float, lang: str, digits: int = 1, signed: bool = False) -> str:
    """A percentage as reports write it: "50,4%", "+10,1%"."""
    text = number(x, lang, digits)
    return ("+" + text if signed and float(x) > 0 and text != "0" else text) + "%"


def with_unit(number_text: str, unit: str) -> str:
    """A number with its unit after it; "%" sticks to the number."""
    if not unit or not number_text:
        return number_text
    return f"{number_text}{unit}" if unit.startswith("%") else f"{number_text} {unit}"


def unit_of(indicator: Mapping | None, lang: str) -> str:
    """A catalogue row's unit in `lang` (Vietnamese when the English is empty)."""
    if indicator is None:
        return ""
    for column in (f"unit_{lang}", "unit_vi"):
        value = indicator.get(column)
        if not fmt.is_missing(value) and value != "":
            return str(value)
    return ""


def _cell(row: Mapping, column: str) -> float | None:
    value = row.get(column) if row is not None else None
    return None if fmt.is_missing(value) else float(value)


def quantity(row: Mapping | None, lang: str, unit: str = "", short: bool = False) -> str:
    """A target or figure in words, the one rule for every page, chart,
    table and explanation. As the plans write it: "8 - 9%", "khoảng 304
    nghìn tấn", "từ 5% trở lên", "trên 3.600 tỷ đồng" (English "about", "at
    least", "over"); `short` for chart labels: "~304", "≥ 3.600". Empty
    when the row has no number."""
    if row is None:
        return ""
    qualifier = row.get("qualifier")
    qualifier = "exact" if fmt.is_missing(qualifier) or not qualifier else qualifier
    value, low, high = _cell(row, "value"), _cell(row, "low"), _cell(row, "high")
    style_ = "short" if short else "plan"
    if low is not None and high is not None and (qualifier == "range" or value is None or short):
        text = t("wording.range", lang, low=number(low, lang), high=number(high, lang))
        return with_unit(text, unit)
    if qualifier in ("at_least", "at_most"):
        bound = (low if qualifier == "at_least" else high)
        bound = value if bound is None else bound
        if bound is None:
            return ""
        form = qualifier
        # A strict bound ("trên X", "dưới X") is stored without a value (loaders/upload/values.py).
        if not short and value is None:
            form = "over" if qualifier == "at_least" else "under"
        return t(f"wording.{style_}.{form}", lang, amount=with_unit(number(bound, lang), unit))
    figure = value if value is not None else (low if low is not None else high)
    if figure is None:
        return ""
    amount = with_unit(number(figure, lang), unit)
    return t(f"wording.{style_}.approx", lang, amount=amount) if qualifier == "approx" else amount


def implied_note(target: Mapping, lang: str, unit: str = "") -> str:
    """How an implied target was found, as the plans' percentages say it:
    "kế hoạch suy ra: 2.430 triệu USD là 50,4% KH" (and which figure, when
    several implied one)."""
    figure = with_unit(number(target["implied_from_value"], lang), unit)
    pct = percent(target["implied_from_pct"], lang, 6)
    count = int(target.get("implied_count") or 1)
    if count <= 1:
        return t("wording.implied", lang, figure=figure, pct=pct)
    label = figure_label(target["implied_from_kind"], target["implied_from_period"], lang)
    return t("wording.implied_latest", lang, figure=figure, pct=pct, label=label[:1].lower() + label[1:], n=count)


def target_text(target: Mapping | None, lang: str, unit: str = "", digits: int = 6) -> str:
    """A target in words (see quantity); an implied one rounded to `digits`
    and labelled: "4.821 triệu USD (kế hoạch suy ra: 2.430 triệu USD là
    50,4% KH)"."""
    if target is None:
        return ""
    if target.get("basis") != "implied":
        return quantity(target, lang, unit)
    amount = with_unit(number(target["value"], lang, digits), unit)
    return f"{amount} ({implied_note(target, lang, unit)})"


def point(row: Mapping | None) -> float | None:
    """The one number that places and judges a figure: its value, else the
    middle of its range, else its one bound; None when it has none."""
    if row is None:
        return None
    value, low, high = _cell(row, "value"), _cell(row, "low"), _cell(row, "high")
    if value is not None:
        return value
    if low is not None and high is not None:
        return (low + high) / 2
    return low if low is not None else high


# ------------------------------------------------------------------ periods


def period_label(period: str, lang: str) -> str:
    """"6 tháng đầu năm", "cả năm", "đến hết tháng 5", "quý I", "giai đoạn 2021–2025"."""
    if span(period):
        return t("years.period.span", lang, first=span(period)[0], last=span(period)[1])
    if period.startswith("M"):
        return t("views.period.M", lang, month=int(period[1:]))
    return t(f"views.period.{period}", lang)


def when_label(year: int, period: str, lang: str) -> str:
    """A period of a year as a phrase: "6 tháng đầu năm 2018", "cả năm 2019"."""
    if span(period):
        return period_label(period, lang)
    if period.startswith("M"):
        return t("views.when.M", lang, month=int(period[1:]), year=int(year))
    return t(f"views.when.{period}", lang, year=int(year))


def slot_label(year: int, period: str, lang: str) -> str:
    """A short axis label for one year and period: "6 tháng đầu 2018", "Năm 2019"."""
    if span(period):
        return t("years.slot.span", lang, first=span(period)[0], last=span(period)[1])
    if period.startswith("M"):
        return t("views.slot.M", lang, month=int(period[1:]), year=int(year))
    return t(f"views.slot.{period}", lang, year=int(year))


def kind_label(kind: str, lang: str) -> str:
    """"Thực hiện", "Ước thực hiện", "Kế hoạch"."""
    return t(f"views.kind.{kind}", lang)


def figure_label(kind: str, period: str, lang: str, year: int | None = None) -> str:
    """A kind of figure with its period, as reports write it: "Thực hiện 6
    tháng đầu năm", "Ước thực hiện cả năm 2018", "Kế hoạch năm 2019"."""
    when = period_label(period, lang) if year is None else when_label(year, period, lang)
    return t("views.figure", lang, kind=kind_label(kind, lang), when=when)


def short_name(name: str) -> str:
    """The part of a catalogue name after its colon ("Tốc độ tăng GRDP:
    dịch vụ" -> "Dịch vụ"), for categories of a breakdown chart."""
    if ": " not in name:
        return name
    return capitalised(name.split(": ", 1)[1])
