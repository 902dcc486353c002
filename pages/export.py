"""Export: the presenter picks a year, a period and charts, and downloads a
16:9 PowerPoint deck; every table of the store as Excel or a zip of CSV."""

import streamlit as st

from tracker import charts, scorecard, wording
from tracker.i18n import pick, t
from tracker.outputs import MIME, datapack, tabular
from tracker.outputs.deck import SCORECARD, build_deck_from_facts
from ui import data_io, downloads, views_io, widgets
from ui.state import lang

L = lang()
year, period = widgets.page_start("export", L)
facts = views_io.facts()
when = wording.when_label(year, period, L)
widgets.coverage_message(year, period, L)  # a deck can still be made: it says so too


@st.cache_data(show_spinner=False, max_entries=16)
def main_chart_titles(versions: tuple, year: int, period: str, lang: str) -> dict[str, str]:
    """chart_id -> title of the main chart of each area of the plan (cached
    until the store's next version)."""
    return {spec.chart_id: spec.title for spec in charts.main_charts(views_io.facts(), year, period, lang)}


# -- the deck ----------------------------------------------------------------------------
st.subheader(t("export.deck.heading", L))
main = main_chart_titles((data_io.store().root, *sorted(data_io.versions().items())), year, period, L)
names = {r["indicator_id"]: pick(r, "name", L) for r in facts.indicators.to_dict("records")}
in_year = facts.observations[(facts.observations["year"] == year) & (facts.observations["kind"] != "target")]
indicator_ids = [i for i in widgets.indicator_options(facts.indicators) if i in set(in_year["indicator_id"])]
head = scorecard.headline(views_io.card(year, period), period)
labels = {
    SCORECARD: t("export.pick.scorecard", L, headline=head.text(L)) if head.judged else t("export.pick.scorecard_empty", L),
    **{chart_id: t("export.pick.main", L, title=title) for chart_id, title in main.items()},
    **{i: t("export.pick.indicator", L, name=names[i]) for i in indicator_ids if i not in main},
}
chosen = st.multiselect(
    t("export.pick.charts", L, when=when), list(labels), default=[SCORECARD, *main], key="export_charts",
    format_func=labels.get, help=t("export.pick.charts_help", L),
)
charts_chosen = [c for c in chosen if c != SCORECARD]
st.caption(t("export.deck.summary", L, slides=1 + (SCORECARD in chosen) + len(charts_chosen), charts=len(charts_chosen)))


def deck_bytes() -> bytes:
    # Runs when the button is pressed, not on every rerun.
    downloads.export_server()
    areas = data_io.current("areas")
    plans = data_io.current("plans")
    return build_deck_from_facts(
        facts, year, period, L, charts_chosen,
        areas=areas, plans=plans, scorecard_slide=SCORECARD in chosen,
    )


no_images = downloads.images_unavailable_note(L)  # said before the button, never a click that gives nothing
st.download_button(
    t("export.deck.download", L), data=b"" if no_images else deck_bytes, file_name=f"{t('export.deck.file', L)}_{year}_{period}.pptx",
    mime=MIME["pptx"], on_click="ignore", type="primary", icon=":material/slideshow:",
    key="export_deck", disabled=not chosen or no_images,
)

# -- the data ----------------------------------------------------------------------------
st.subheader(t("export.data.heading", L))
st.caption(t("export.data.intro", L))


def all_sheets() -> dict:
    store = data_io.store()
    tables = {name: data_io.current(name) for name in datapack.TABLES if name != "history" and store.exists(name)}
    tables["history"] = store.history()
    return datapack.all_tables(tables, L)


def scorecard_sheet() -> bytes:
    table = scorecard.scorecard_table(data_io.store(), year, period, L)
    return tabular.workbook_bytes({t("export.sheet.scorecard", L): datapack.readable("scorecard", table, None, L)})


left, middle, right = st.columns(3)
left.download_button(
    t("export.data.excel", L), data=lambda: tabular.workbook_bytes(all_sheets()),
    file_name=f"{t('export.data.file', L)}.xlsx", mime=MIME["xlsx"], on_click="ignore",
    icon=":material/table_view:", key="export_all_xlsx", width="stretch",
)
middle.download_button(
    t("export.data.csv", L), data=lambda: datapack.csv_zip_bytes(all_sheets()),
    file_name=f"{t('export.data.file', L)}_csv.zip", mime=MIME["zip"], on_click="ignore",
    icon=":material/folder_zip:", key="export_all_csv", width="stretch",
)
right.download_button(
    t("export.data.scorecard", L), data=scorecard_sheet, help=t("export.data.scorecard_help", L, when=when),
    file_name=f"{t('export.data.scorecard_file', L)}_{year}_{period}.xlsx", mime=MIME["xlsx"],
    on_click="ignore", icon=":material/checklist:", key="export_scorecard_xlsx", width="stretch",
)
