"""Numbers and dates as people in each language write them (Babel):
1.437,4 tỷ đồng and 7,98% in Vietnamese; 1,437.4 and 7.98% in English."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

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
    return format_decimal(x, format=pattern, locale=LOCALES[lang])


def percent(x, decimals: int | None = 1, lang: str = "vi", signed: bool = False) -> str:
    """`x` (already in %) as "7,98%"; `signed` adds + for growth."""
    if is_missing(x):
        return ""
    text = number(x, decimals, lang)
    if signed and x > 0:
        text = "+" + text
    return text + "%"


def day(d: date | datetime | None, lang: str = "vi") -> str:
    """A date as 15/11/2023 (vi) or Nov 15, 2023 (en)."""
    if d is None or is_missing(d):
        return ""
    return format_date(d, format="dd/MM/yyyy" if lang == "vi" else "medium", locale=LOCALES[lang])
