"""The value parser: every way analysts write a figure, and properties
(hypothesis) that hold for any number."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from loaders.upload.values import ParsedValue, ValueParseError, english_style, parse_number, parse_value
from tracker import fmt

N = None


@pytest.mark.parametrize("written, expected", [
    ("7,98", (7.98, N, N, "exact", "")),
    ("1.437,4", (1437.4, N, N, "exact", "")),
    ("-0,58", (-0.58, N, N, "exact", "")),
    ("\u22120,58", (-0.58, N, N, "exact", "")),  # a typographic minus
    ("3.600", (3600.0, N, N, "exact", "")),
    ("1.437.400", (1437400.0, N, N, "exact", "")),
    ("7.98", (7.98, N, N, "exact", "")),  # a decimal dot where grouping is impossible
    ("1234.5", (1234.5, N, N, "exact", "")),
    ("0.125", (0.125, N, N, "exact", "")),
    ("3,600.5", (3600.5, N, N, "exact", "")),
    ("1,437,400", (1437400.0, N, N, "exact", "")),
    ("7,98%", (7.98, N, N, "exact", "%")),
    ("3.600 tỷ đồng", (3600.0, N, N, "exact", "tỷ đồng")),
    ("đạt 95%", (95.0, N, N, "exact", "%")),
    (7.98, (7.98, N, N, "exact", "")),
    (2020, (2020.0, N, N, "exact", "")),
    ("8 - 9", (N, 8.0, 9.0, "range", "")),
    ("7,7 - 8", (N, 7.7, 8.0, "range", "")),
    ("8- 9", (N, 8.0, 9.0, "range", "")),
    ("8 – 9%", (N, 8.0, 9.0, "range", "%")),
    ("8% - 9%", (N, 8.0, 9.0, "range", "%")),
    ("từ 8 đến 9", (N, 8.0, 9.0, "range", "")),
    ("8 ÷ 9", (N, 8.0, 9.0, "range", "")),
    ("2.000 - 2.200 tỷ đồng", (N, 2000.0, 2200.0, "range", "tỷ đồng")),
    ("-5 - -3", (N, -5.0, -3.0, "range", "")),
    ("between 8 and 9", (N, 8.0, 9.0, "range", "")),
    ("khoảng 304", (304.0, N, N, "approx", "")),
    ("Khoảng 304", (304.0, N, N, "approx", "")),
    ("khoang 304", (304.0, N, N, "approx", "")),  # typed without diacritics
    ("about 304", (304.0, N, N, "approx", "")),
    ("gần 100%", (100.0, N, N, "approx", "%")),
    ("trên dưới 300", (300.0, N, N, "approx", "")),  # "around", not "above"
    ("ước đạt 304", (304.0, N, N, "exact", "")),
    # An inclusive bound keeps its number as the value too; a strict one ("trên", "dưới") does not.
    ("từ 5 trở lên", (5.0, 5.0, N, "at_least", "")),
    ("5% trở lên", (5.0, 5.0, N, "at_least", "%")),
    ("trên 3.600", (N, 3600.0, N, "at_least", "")),
    ("≥ 5", (5.0, 5.0, N, "at_least", "")),
    (">= 5", (5.0, 5.0, N, "at_least", "")),
    ("at least 5", (5.0, 5.0, N, "at_least", "")),
    ("over 3,600", (N, 3.6, N, "at_least", "")),  # Vietnamese first: a single comma is decimal
    ("hơn 5", (N, 5.0, N, "at_least", "")),
    ("không dưới 5", (5.0, 5.0, N, "at_least", "")),
    ("dưới 3", (N, N, 3.0, "at_most", "")),
    ("≤ 3", (3.0, N, 3.0, "at_most", "")),
    ("tối đa 3", (3.0, N, 3.0, "at_most", "")),
    ("không quá 3%", (3.0, N, 3.0, "at_most", "%")),
])
def test_forms_analysts_write(written, expected):
    assert parse_value(written) == ParsedValue(*expected)


@pytest.mark.parametrize("written, reason", [
    ("", "upload.value.empty"),
    ("   ", "upload.value.empty"),
    (None, "upload.value.empty"),
    (math.nan, "upload.value.empty"),
    (math.inf, "upload.value.not_finite"),
    (True, "upload.value.not_a_number"),
    ("abc", "upload.value.not_a_number"),
    ("khoảng", "upload.value.not_a_number"),
    ("8 - 9 - 10", "upload.value.not_a_number"),
    ("1.23.4", "upload.value.bad_grouping"),
    ("1.437,4,5", "upload.value.bad_grouping"),
    ("9 - 8", "upload.value.low_above_high"),
    ("8 ha - 9 tấn", "upload.value.two_units"),
    ("x" * 500, "upload.value.too_long"),
])
def test_what_is_refused(written, reason):
    with pytest.raises(ValueParseError) as caught:
        parse_value(written)
    assert caught.value.reason_key == reason


@pytest.mark.parametrize("written, expected", [
    ("50,4", 50.4), ("50,4%", 50.4), ("đạt 95%", 95.0), ("+7,98%", 7.98), ("tăng 8,5%", 8.5),
    ("giảm 3,2%", -3.2), ("-7,1", -7.1), (75, 75.0),
])
def test_parse_number(written, expected):
    assert parse_number(written) == pytest.approx(expected)


@pytest.mark.parametrize("written", ["8 - 9", "khoảng 3", "50 tỷ", "giảm -3", "tăng"])
def test_parse_number_refuses_forms_and_units(written):
    with pytest.raises(ValueParseError):
        parse_number(written)


@pytest.mark.parametrize("written, value, english", [
    ("1.437", 1437.0, False),  # each cell the Vietnamese way, whatever other cells look like (issue 11)
    ("1,437", 1.437, False),
    ("1,437.4", 1437.4, True),  # English only where unambiguous, and said so
    ("7.98", 7.98, True),
    ("1,437,400", 1437400.0, True),
    ("1.437.400", 1437400.0, False),
    ("-0", 0.0, False),
    ("\u22120", 0.0, False),  # the minus sign
])
def test_every_cell_is_read_one_way(written, value, english):
    parsed = parse_value(written).value
    assert parsed == value and str(parsed) == str(value)  # -0 is 0, not -0.0
    assert english_style(written) is english


@pytest.mark.parametrize("written", ["\u0661\u0664\u0663\u0667", "\uff11\uff12", "1\u0662"])
def test_only_ascii_digits_are_digits(written):
    with pytest.raises(ValueParseError) as refused:
        parse_value(written)
    assert refused.value.key == "upload.value.digits"


# -- properties ---------------------------------------------------------------------------------
finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
digits = st.one_of(st.none(), st.integers(min_value=0, max_value=6))


def close(parsed: float, x: float, decimals: int | None) -> bool:
    step = 10.0 ** -(6 if decimals is None else decimals)
    return abs(parsed - x) <= step / 2 + 1e-9 * max(1.0, abs(x))


@settings(max_examples=300, deadline=None)
@given(finite, digits)
def test_vietnamese_format_round_trips(x, decimals):
    text = fmt.number(x, decimals, "vi")
    assert close(parse_number(text), x, decimals), text
    assert close(parse_value(text).value, x, decimals), text


@settings(max_examples=200, deadline=None)
@given(finite, digits, st.booleans())
def test_vietnamese_percent_round_trips(x, decimals, signed):
    text = fmt.percent(x, decimals, "vi", signed)
    assert close(parse_number(text), x, decimals), text


@settings(max_examples=200, deadline=None)
@given(finite, digits)
def test_english_format_round_trips_where_it_is_unambiguous(x, decimals):
    text = fmt.number(x, decimals, "en")
    assume(english_style(text))  # "1,437" is read the Vietnamese way: 1.437
    assert close(parse_value(text).value, x, decimals), text


@settings(max_examples=200, deadline=None)
@given(finite, digits)
def test_vietnamese_format_is_never_called_english(x, decimals):
    assert not english_style(fmt.number(x, decimals, "vi"))


@settings(max_examples=200, deadline=None)
@given(finite, finite, digits, st.sampled_from(["{low} - {high}", "{low}-{high}", "từ {low} đến {high}",
                                                "{low}% - {high}%", "{low} ÷ {high}"]))
def test_ranges_round_trip(a, b, decimals, pattern):
    low, high = sorted((a, b))
    text = pattern.format(low=fmt.number(low, decimals, "vi"), high=fmt.number(high, decimals, "vi"))
    parsed = parse_value(text)
    assert parsed.qualifier == "range" and parsed.value is None, text
    assert close(parsed.low, low, decimals) and close(parsed.high, high, decimals), text


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=0, max_value=1e9, allow_nan=False), digits,
       st.sampled_from([("trên {x}", "at_least"), ("từ {x} trở lên", "at_least"), ("dưới {x}", "at_most"),
                        ("tối đa {x}", "at_most"), ("khoảng {x}", "approx")]))
def test_one_sided_and_approx_round_trip(x, decimals, form):
    pattern, qualifier = form
    parsed = parse_value(pattern.format(x=fmt.number(x, decimals, "vi")))
    assert parsed.qualifier == qualifier
    number = {"at_least": parsed.low, "at_most": parsed.high, "approx": parsed.value}[qualifier]
    assert close(number, x, decimals)


cells = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="0123456789.,-–−+% ~≥≤<>kh oảngtrênduwớiừđếnlêtbọc", max_size=30),
    st.floats(), st.integers(), st.booleans(), st.none(), st.dates(),
)


@settings(max_examples=500, deadline=None)
@given(cells)
def test_garbage_never_crashes(cell):
    for parse in (parse_value, parse_number):
        try:
            result = parse(cell)
        except ValueParseError as exc:
            assert exc.reason_key.startswith("upload.value.")
            continue
        if parse is parse_number:
            assert math.isfinite(result)
        else:
            numbers = [x for x in (result.value, result.low, result.high) if x is not None]
            assert numbers and all(math.isfinite(x) for x in numbers)
            assert result.low is None or result.high is None or result.low <= result.high
