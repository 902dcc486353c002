"""Overview: "đạt và vượt X/Y chỉ tiêu" for a year and period, what is not
met, behind or at risk and why, the scorecard by area of the plan, and the
date and source of the newest figures."""

from functools import partial

import numpy as np
import streamlit as st

from tracker import charts, fmt, status, views, wording
from tracker.i18n import t
from tracker.outputs import tabular
from tracker.schema import GROUPS
from tracker.text import literal
from ui import views_io, widgets, years_view
from ui.charts import show
from ui.state import lang


# Keyed by the scorecard itself, built once and shared read-only by every session.
@st.cache_resource(show_spinner=False, max_entries=64)
def attainment_chart(card, year: int, period: str, lang: str):
    return charts.attainment(card, year, period, lang)


# Each area of the plan's table, made once per store version, view, language and
# toggle and shared read-only by every session (eleven tables cost most of a warm run).
@st.cache_resource(show_spinner=False, max_entries=64)
def group_screens(key: tuple, area_id: str, year: int, period: str, lang: str,
                  show_all: bool) -> list[tuple[str, str, widgets.CardScreen]]:
    card = views_io.card(year, period, area_id)
    heads = views_io.headlines(year, period, area_id)
    # The whole card put into words once (cached), then cut by area of the plan.
    table = views_io.card_table(year, period, lang, area_id)
    on_show = np.full(len(card), True) if show_all else ~card["status"].isin(status.UNJUDGED).to_numpy()
    screens = []
    for group in GROUPS:
        in_group = on_show & (card["group"] == group).to_numpy()
        if not in_group.any():
            continue
        label = t(f"views.group.{group}", lang)
        if heads[group].judged:
            label = t("views.overview.group", lang, group=label, headline=heads[group].short(lang))
        screens.append((group, label, widgets.card_screen(table[in_group], lang, group=False)))
    return screens


def card_file(card, lang: str, fmt: str, **options) -> bytes:
    """The scorecard table as a file, made only when a reader downloads it."""
    return tabular.to_bytes(views.card_table(card, lang), fmt, **options)


L = lang()
year, period = widgets.page_start("overview", L)
when = wording.when_label(year, period, L)
card = views_io.card(year, period)
heads = views_io.headlines(year, period)
head = heads[None]
figures = views_io.period_figures(year, period)

if widgets.coverage_message(year, period, L) == "none":
    st.stop()

if head.judged:
    st.header(f"{head.text(L)} · {when}", anchor="headline")
    if head.slipping(L):
        st.markdown(literal(head.slipping(L)))
    counts = card["status"].value_counts()
    st.markdown(" ".join(
        f":{widgets.CHIP_COLORS[s]}-badge[{literal(widgets.chip_text(s, L))}: {int(counts[s])}]"
        for s in status.STATUSES if s in counts and s not in status.UNJUDGED
    ))
else:
    st.info(t("views.overview.nothing_judged", L, when=when), icon="ℹ️")

published = views_io.last_published()
st.caption(" · ".join(p for p in (
    t("views.overview.as_of", L, as_of=fmt.day(views.figures_date(figures), L)) if not figures.empty else "",
    t("views.caption.source", L, source=literal(views.sources(figures))) if not figures.empty else "",
    t("views.overview.published", L, when=fmt.day(published, L)) if published is not None else "",
) if p))

# A year in progress: "Ước cả năm: X/Y chỉ tiêu có khả năng đạt và vượt kế hoạch".
years_view.projection_headline(year, period, L)

slipping = card[card["status"].isin(status.NOT_ACHIEVED)]
if head.judged:
    st.subheader(t("views.overview.slipping", L, n=len(slipping)))
    if slipping.empty:
        st.success(t("views.overview.none_slipping", L), icon="✅")
    # One element for the whole list, not one per indicator: a national store's
    # seventy-odd items would each be laid out by the browser before the chart.
    with st.container(key="slipping"):
        if not slipping.empty:
            st.markdown("\n\n".join(
                f"**{literal(widgets.chip_text(row['status'], L))}** · **{literal(row[f'name_{L}'] or row['name_vi'])}**  \n"
                f"{literal(row[f'explanation_{L}'])}"
                for row in slipping.to_dict("records")
            ))
    spec = attainment_chart(card, year, period, L)
    if spec:
        show(spec)

st.subheader(t("views.overview.scorecard", L, when=when))
show_all = st.toggle(t("views.overview.show_unjudged", L), key="show_unjudged")
screens = group_screens(views_io.key(), views_io.home(), year, period, L, show_all)
for group, label, screen in screens:
    with st.expander(label, expanded=True):
        widgets.show_card(screen, key=f"card_{group}")
if not screens:
    st.info(t("views.overview.nothing_judged", L, when=when), icon="ℹ️")

left, right, _ = st.columns([1, 1, 4])
left.download_button(
    t("views.download.csv", L), partial(card_file, card, L, "csv", excel_bom=True),
    file_name=f"scorecard_{year}_{period}.csv", mime="text/csv", key="dl_card_csv",
)
right.download_button(
    t("views.download.xlsx", L), partial(card_file, card, L, "xlsx", sheet_name=f"scorecard {year} {period}"),
    file_name=f"scorecard_{year}_{period}.xlsx", key="dl_card_xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

years_view.five_year_targets(year, L)
