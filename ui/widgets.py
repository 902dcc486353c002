"""Pickers that keep their choice in the URL (so a view can be shared as a
link) and status chips that read without colour."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from tracker import charts, fmt, status, views, wording
from tracker.i18n import pick, t
from tracker.schema import GROUPS
from tracker.text import literal
from ui import router, views_io
from ui.charts import display
from ui.state import keep, param, unavailable

# st.badge colours, from the one table of status styles; the chip's symbol
# and words carry the status without them.
CHIP_COLORS = {code: style.badge for code, style in wording.STATUS_STYLES.items()}


def year_period(years: list[int], periods: list[str], default: tuple[int, str] | None, lang: str) -> tuple[int, str]:
    """Year and period pickers, side by side; the choice is read from and
    written to the URL (?year=2018&period=H1)."""
    default_year, default_period = default or (years[0], "FY")
    # The URL first (a shared link), then the choice made on another page, then the default.
    default_year = st.session_state.get("view_year", default_year)
    default_period = st.session_state.get("view_period", default_period)
    asked = unavailable("period", periods)
    year = param("year", years, default_year if default_year in years else years[0])
    period = param("period", periods, default_period if default_period in periods else periods[-1])
    left, right, _ = st.columns([1, 2, 3])
    year = left.selectbox(t("views.pick.year", lang), years, index=years.index(year), key="pick_year")
    period = right.selectbox(
        t("views.pick.period", lang), periods, index=periods.index(period), key="pick_period",
        format_func=lambda p: wording.capitalised(wording.period_label(p, lang)),
    )
    if asked is not None:
        st.info(t("charts.period.unavailable", lang, asked=asked, shown=wording.period_label(period, lang)), icon="ℹ️")
    keep("year", year)
    keep("period", period)
    st.session_state["view_year"], st.session_state["view_period"] = year, period
    return year, period


def indicator_options(indicators: pd.DataFrame) -> list[str]:
    """Every indicator id, grouped by area of the plan, in catalogue order within a group."""
    order = {g: i for i, g in enumerate(GROUPS)}
    frame = indicators.assign(_g=indicators["group"].map(order), _i=range(len(indicators)))
    return frame.sort_values(["_g", "_i"], kind="stable")["indicator_id"].tolist()


def indicator(indicators: pd.DataFrame, lang: str, default: str | None = None) -> str:
    """A searchable indicator picker (type to filter), grouped by area of
    the plan; the choice is kept in the URL (?indicator=grdp_growth)."""
    options = indicator_options(indicators)
    names = {r["indicator_id"]: pick(r, "name", lang) for r in indicators.to_dict("records")}
    groups = dict(zip(indicators["indicator_id"], indicators["group"], strict=True))
    default = st.session_state.get("view_indicator", default)
    chosen = param("indicator", options, default if default in options else options[0])
    chosen = st.selectbox(
        t("views.pick.indicator", lang), options, index=options.index(chosen), key="pick_indicator",
        format_func=lambda i: f"{t(f'views.group.{groups[i]}', lang)} › {names[i]}",
        help=t("views.pick.indicator_help", lang),
    )
    keep("indicator", chosen)
    st.session_state["view_indicator"] = chosen
    return chosen


def chip_text(status: str, lang: str) -> str:
    """The status as words and symbol: "▼ Chậm tiến độ"."""
    return wording.status_text(status, lang)


def page_start(page: str, lang: str, indicator_ids: list[str] | None = None) -> tuple[int, str]:
    """A view's title, and its year and period (without one in the link,
    the newest that judges something of `indicator_ids`, or of all); stops
    with a plain message when the store has not been built or holds no
    figures. A deep link opened first after a restart is sent through app.py first."""
    router.use_navigation()
    st.title(t(f"page.{page}", lang))
    if not views_io.ready():
        st.error(t("ui.no_store", lang))
        st.stop()
    years, periods, default = views_io.options(indicator_ids=indicator_ids)
    if not years:
        st.info(t("views.no_data_none", lang))
        st.stop()
    return year_period(years, periods, default, lang)


def coverage_message(year: int, period: str, lang: str, indicator_ids: list[str] | None = None) -> str:
    """Say plainly when the chosen year and period hold no figures; returns
    the coverage ("figures", "targets" or "none")."""
    state, available = views_io.coverage(year, period, indicator_ids)
    when = wording.when_label(year, period, lang)
    if state == "targets":
        st.info(t("views.targets_only", lang, when=when), icon="ℹ️")
    elif state == "none":
        text = t("views.no_data", lang, when=when)
        if available:
            text += " " + t("views.no_data_available", lang, available=views.available_text(available, lang))
        st.info(text, icon="ℹ️")
    return state


def status_table(card: pd.DataFrame, indicator_ids: list[str], year: int, period: str, lang: str, key: str) -> None:
    """The status of a view's indicators for the year and period: chip,
    attainment bar, figure, target and the reason; what slips first (a
    phone shows the top rows), then the other judged ones, then the rest."""
    rows = card[card["indicator_id"].isin(indicator_ids) & (card["status"] != "no_data")]
    if rows.empty:
        return
    order = {i: n for n, i in enumerate(indicator_ids)}
    rank = rows["status"].map(lambda s: 0 if s in status.NOT_ACHIEVED else (2 if s == "no_target" else 1))
    rows = rows.assign(_rank=rank, _order=rows["indicator_id"].map(order))
    rows = rows.sort_values(["_rank", "_order"], kind="stable").drop(columns=["_rank", "_order"])
    st.markdown(f"**{t('views.status_table', lang, when=wording.when_label(year, period, lang))}**")
    scorecard_frame(views.card_table(rows, lang), lang, key=key, group=False)


# Column widths (px) that fit the main column at 1440 px beside the sidebar (about 980 px);
# text wraps inside them, so names and reasons show in full without scrolling sideways.
CARD_WIDTHS = {"indicator": 200, "status": 140, "attainment": 95, "figure": 185, "target": 110, "explanation": 265}
CHAR_PX, LINE_PX, CELL_PAD_PX = 7.2, 20, 16  # average glyph and line height of the grid's 14 px font


def row_height(columns: dict[str, list[str]], widths: dict[str, int]) -> int:
    """A row height (px) that shows the longest wrapped cell of the table in
    full: lines at the column's width, at least one line."""
    lines = 1
    for name, texts in columns.items():
        per_line = max(8, int((widths[name] - CELL_PAD_PX) / CHAR_PX))
        for text in texts:
            words, count, used = str(text or "").split(), 1, 0
            for word in words:
                if used and used + 1 + len(word) > per_line:
                    count, used = count + 1, len(word)
                else:
                    used += (1 if used else 0) + len(word)
            lines = max(lines, count)
    return int(min(lines, 9) * LINE_PX + CELL_PAD_PX)


@dataclass(frozen=True)
class CardScreen:
    """A scorecard table ready to draw: the shared source line (if any),
    the rows as shown, their height and the columns' settings."""
    caption: str | None
    frame: pd.DataFrame
    row_height: int
    column_config: dict


def card_screen(table: pd.DataFrame, lang: str, group: bool = True) -> CardScreen:
    """Scorecard rows (as tracker.views.card_table words them) as shown on
    screen: the reported % of plan and change on last year join the figure,
    the source goes to a line above when all rows share it (the downloads
    keep every column), and cells wrap so nothing is cut or scrolls sideways."""
    table = table.copy()
    col = lambda k: t(f"views.card.{k}", lang)  # noqa: E731
    figure = table[col("figure")].copy()
    for key_, words in (("pct_of_plan", "views.hover.pct_of_plan"), ("yoy", "views.hover.yoy")):
        values = table[col(key_)]
        extra = values.map(lambda v, w=words, k=key_: "" if pd.isna(v) else t(
            w, lang, value=wording.percent(v, lang, signed=k == "yoy")))
        figure = figure.where(extra == "", figure.str.cat(extra, sep=" · "))
    table[col("figure")] = figure
    sources = set(table[col("source")].fillna("")) - {""}
    caption = literal(t("views.caption.source", lang, source=sources.pop())) if len(sources) == 1 else None
    hidden = [col("indicator_id"), col("status_code"), col("pct_of_plan"), col("yoy")] + ([] if group else [col("group")])
    if len(set(table[col("source")])) <= 1:
        hidden.append(col("source"))
    attainment = table[col("attainment")]
    shown = display(table.drop(columns=hidden + [col("attainment")]), lang)
    # A column with nothing in it for these rows only pushes the others off screen.
    empty = [c for c in shown.columns if c not in (col("indicator"), col("status")) and (shown[c].fillna("") == "").all()]
    shown = shown.drop(columns=empty)
    if attainment.notna().any():
        shown.insert(2, col("attainment"), attainment.clip(lower=0).to_numpy())
    widths = {col(k): w for k, w in CARD_WIDTHS.items()}
    wrapped = {c: shown[c].astype(str).tolist() for c in (col("indicator"), col("figure"), col("explanation"))
               if c in shown.columns}
    return CardScreen(caption, shown, row_height(wrapped, widths), {
        col("attainment"): st.column_config.ProgressColumn(
            col("attainment"), min_value=0, max_value=100, format="%.0f%%", color=charts.BLUE,
            help=t("views.card.attainment_help", lang), width=widths[col("attainment")],
        ),
        **{c: st.column_config.TextColumn(width=w) for c, w in widths.items() if c != col("attainment")},
    })


def show_card(screen: CardScreen, *, key: str) -> None:
    """Draw a scorecard table made by `card_screen` (never changed here:
    it may be shared by every session)."""
    if screen.caption:
        st.caption(screen.caption)
    st.dataframe(screen.frame, hide_index=True, key=key, row_height=screen.row_height,
                 column_config=screen.column_config)


def scorecard_frame(table: pd.DataFrame, lang: str, *, key: str, group: bool = True) -> None:
    """Scorecard rows (as tracker.views.card_table words them) as a table
    with status chips and attainment bars (see `card_screen`)."""
    show_card(card_screen(table, lang, group), key=key)


def figure_metrics(card: pd.DataFrame, indicator_ids: list[str], year: int, lang: str) -> None:
    """Headline numbers of a view: the figure, its change on last year, its
    % of plan and status (the explanation on hover)."""
    rows = card.set_index("indicator_id")
    present = [i for i in indicator_ids if i in rows.index and not pd.isna(rows.loc[i, "figure_kind"])]
    if not present:
        return
    for cell, indicator_id in zip(st.columns(len(present)), present, strict=True):
        row = rows.loc[indicator_id].to_dict()
        yoy = row.get("yoy_pct")
        delta = None if pd.isna(yoy) else t("views.metric.yoy", lang, value=fmt.percent(round(yoy, 1), None, lang, signed=True))
        cell.metric(row.get(f"name_{lang}") or row["name_vi"], views.figure_words(row, lang), delta=delta,
                    delta_color="off", help=row.get(f"explanation_{lang}") or None, border=True)
        parts = [wording.figure_label(row["figure_kind"], row["figure_period"], lang, year=year)]
        if not pd.isna(row.get("pct_of_plan")):
            parts.append(t("views.hover.pct_of_plan", lang, value=fmt.percent(round(row["pct_of_plan"], 1), None, lang)))
        parts.append(chip_text(row["status"], lang))
        cell.caption(" · ".join(parts))
