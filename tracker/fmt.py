"""Numbers and dates as people in each language write them (Babel):
1.437,4 tỷ đồng and 7,98% in Vietnamese; 1,437.4 and 7.98% in English.
Every date and time is shown on one clock, the `time_zone` setting (Vietnam
time, Asia/Ho_Chi_Minh, by default), so one event reads the same on a page,
a slide, a summary and the CLI."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache

import pandas as pd
from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from tracker import settings

LOCALES = {"vi": "vi_VN", "en": "en_US"}
# plotly's `separators`: decimal mark then thousands separator.
PLOTLY_SEPARATORS = {"vi": ",.", "en": ".,"}


def is_missing(x) -> bool:
    return x is None or (pd.api.types.is_scalar(x) and bool(pd.isna(x)))


def number(x, decimals: int | None = None, lang: str = "vi") -> str:
    """`x` with the language's separators; `decimals` fixes the digits after
    the mark (trailing zeros trimmed when None). Missing is an empty string."""
    if is_missing(x):
        return ""
    if decimals is None:
        pattern = "#,##0.######"
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    # Babel formats Decimal(str(x)), so the text of x is the whole key.
    return _formatted(str(x), pattern, LOCALES[lang])


@lru_cache(maxsize=8192)
def _formatted(text: str, pattern: str, locale: str) -> str:
    """Babel's formatting, remembered: a scorecard words the same few
    thousand numbers on every page run, at a third of a millisecond each."""
    return format_decimal(Decimal(text), format=pattern, locale=locale)


def percent(x, decimals: int | None = 1, lang: str = "vi", signed: bool = False) -> str:
    """`x` (already in %) as "7,98%"; `signed` adds + for growth."""
    if is_missing(x):
        return ""
    text = number(x, decimals, lang)
    if signed and x > 0:
        text = "+" + text
    return text + "%"


def local(moment) -> datetime | None:
    """A moment as Vietnam time. A timestamp without a zone is read as UTC
    (the store writes UTC); None or missing stays None."""
    if moment is None or is_missing(moment):
        return None
    stamp = pd.Timestamp(moment)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(UTC)
    return stamp.tz_convert(settings.time_zone()).to_pydatetime()


def today() -> date:
    """Today's date in Vietnam."""
    return datetime.now(settings.time_zone()).date()


def day(d: date | datetime | None, lang: str = "vi") -> str:
    """A date as 15/11/2023 (vi) or Nov 15, 2023 (en); a moment (datetime,
    timestamp) is first put on Vietnam time, so 23:30 UTC is the next day."""
    if d is None or is_missing(d):
        return ""
    if isinstance(d, datetime | pd.Timestamp):
        d = local(d).date()
    return format_date(d, format="dd/MM/yyyy" if lang == "vi" else "medium", locale=LOCALES[lang])


def day_of_year(month: int, day_: int, lang: str = "vi") -> str:
    """A day that recurs each year, as a deadline is written: 15/11 (vi) or 15 November (en)."""
    if lang == "vi":
        return f"{int(day_)}/{int(month)}"
    return format_date(date(2000, int(month), int(day_)), format="d MMMM", locale=LOCALES[lang])


def moment(stamp, lang: str = "vi", seconds: bool = False) -> str:
    """A moment as a date and a time of day in Vietnam time: "01/12/2026 06:30"."""
    when = local(stamp)
    if when is None:
        return ""
    clock = format_time(when, "HH:mm:ss" if seconds else "HH:mm", locale=LOCALES[lang])
    return f"{day(when.date(), lang)} {clock}"
