"""Update figures (analysts): download the template, upload a filled file,
read every problem or the preview of what would change, publish once."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

from loaders import reading, template, upload
from loaders.reading import review as reading_review
from tracker import preview, schema, wording
from tracker.errors import TrackerError
from tracker.i18n import t
from tracker.outputs import tabular
from tracker.text import literal
from ui import data_io, login, report_review, router
from ui.state import lang

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def show_table(key: str, frame, heading: str | None = None) -> None:
    """A table (with its heading) in a container found by `key`."""
    with st.container(key=key):
        if heading:
            st.markdown(f"**{heading}**")
        st.dataframe(frame, hide_index=True)


def show_results(results, lang: str) -> None:
    """What each table's publish did, one line each."""
    for result in results:
        key = "update.published" if result.version is not None else "update.published_nothing"
        st.success(t(
            key, lang, table=t(f"upload.table.{result.table}", lang), version=result.version,
            added=result.added, revised=result.revised, unchanged=result.unchanged,
        ))


router.use_navigation()  # a deep link opened first after a restart goes through app.py
L = lang()
st.title(t("page.data_update", L))
store = data_io.store()
if not (store.exists("observations") and store.exists("indicators")):
    st.error(t("ui.no_store", L))
    st.stop()
config = login.settings()  # app.py has already checked that the reader may view

# -- the template: anyone who may view may download it -------------------------
st.download_button(
    t("update.template", L), data=functools.partial(template.template_bytes, store, L),
    file_name=t("update.template_file", L), mime=XLSX_MIME, key="template_download", on_click="ignore",
)
st.caption(t("update.template_help", L))

if not login.require("upload", config, L):
    st.stop()

# -- the upload ----------------------------------------------------------------
max_mb = upload.limits().max_file_bytes // 2**20  # server.maxUploadSize in .streamlit/config.toml matches the default
uploaded = st.file_uploader(
    t("update.file", L), type=["xlsx", "csv", *(f.lstrip(".") for f in reading.FORMATS)], key="upload_file",
    max_upload_size=max_mb, help=t("update.file_help", L, mb=max_mb) + " " + t("reading.file_help", L),
)
with st.expander(t("reading.paste", L)):
    pasted = st.text_area(t("reading.paste_label", L), key="report_text", height=160).strip()
with st.expander(t("update.wide", L)):
    st.caption(t("update.wide_help", L))
    left, right = st.columns(2)
    kind = left.selectbox(
        t("update.wide_kind", L), [None, *schema.KINDS], key="upload_kind",
        format_func=lambda k: t("update.auto", L) if k is None else wording.kind_label(k, L),
    )
    period = right.selectbox(
        t("update.wide_period", L), [None, *schema.PERIODS], key="upload_period",
        format_func=lambda p: t("update.auto", L) if p is None else wording.period_label(p, L),
    )

published = st.session_state.setdefault("upload_published", {})  # (file id, kind, period) -> results
is_report = uploaded is not None and Path(uploaded.name).suffix.lower() in reading.FORMATS
if uploaded is None and not pasted:
    st.stop()
if is_report or uploaded is None:
    # -- Đọc báo cáo: the figures read from a report, reviewed before the same checks ---------
    name = uploaded.name if uploaded is not None else t("reading.pasted_name", L)
    document = uploaded.getvalue() if uploaded is not None else pasted.encode("utf-8")
    confirmed = report_review.review(
        document if uploaded is not None else b"", name, None if uploaded is not None else pasted,
        reading.home_area(), L,
    )
    if confirmed is None:
        st.stop()
    key, rows = confirmed
    source = ("report", key)

    def check():
        return reading_review.prepare(store, rows, document, name if uploaded is not None else f"{name}.txt")
else:
    source = (uploaded.file_id, kind, period)

    def check():
        return upload.prepare(store, uploaded.getvalue(), uploaded.name, kind=kind, period=period, lang=L)

if published.get(source):
    show_results(published[source], L)
    st.stop()

# The file is checked again when the store moved on since (another publish or a restore).
versions = store.versions()
entry = st.session_state.get("upload_entry")
stale = entry is not None and entry["source"] == source and entry["versions"] != versions
if entry is None or entry["source"] != source or stale:
    with st.spinner(t("update.checking", L)):
        prepared = check()
        judged = None
        if prepared.ok and "observations" in prepared.previews:
            judged = preview.judgements(
                data_io.current("observations"), prepared.previews["observations"], data_io.current("indicators"),
            )
    entry = {"source": source, "versions": versions, "prepared": prepared, "judged": judged}
    st.session_state["upload_entry"] = entry
prepared, judged = entry["prepared"], entry["judged"]

# -- problems: the whole list, nothing written -----------------------------------
if not prepared.ok:
    problems = upload.problems_frame(prepared.problems, L)
    st.error(t("update.refused", L, count=len(problems), file=literal(prepared.file_name)))
    show_table("upload_problems", problems)
    st.download_button(
        t("update.problems_download", L), tabular.to_bytes(problems, "xlsx", sheet_name="problems"),
        file_name=t("update.problems_file", L), mime=XLSX_MIME, key="problems_download", on_click="ignore",
    )
    st.stop()

# -- preview -------------------------------------------------------------------------
st.subheader(t("update.preview", L, file=literal(prepared.file_name)))
show_table("preview_counts", preview.counts(prepared.previews, L))
if prepared.notes:  # sheets skipped, numbers read the English way: the analyst checks them before publishing
    show_table("preview_notes", upload.problems_frame(prepared.notes, L), t("update.notes", L, count=len(prepared.notes)))
indicators, areas = data_io.current("indicators"), data_io.current("areas")
observations = prepared.previews.get("observations")
if observations is not None:
    changes = preview.status_changes(judged)
    if not changes.empty:
        show_table(
            "preview_status", preview.status_change_rows(changes, indicators, areas, L),
            t("update.status_changes", L, count=len(changes)),
        )
    for change in ("revised", "new"):
        rows = preview.observation_rows(observations, change, indicators, areas, L, judged)
        if not rows.empty:
            show_table(f"preview_{change}", rows, t(f"update.{change}", L, count=len(rows)))
reports = prepared.previews.get("task_reports")
if reports is not None:
    tasks, agencies = data_io.current("tasks"), data_io.current("agencies")
    for change in ("revised", "new"):
        rows = preview.task_report_rows(reports, change, tasks, agencies, L, data_io.current("plans"),
                                        data_io.current("task_successions"))
        if not rows.empty:
            show_table(f"preview_tasks_{change}", rows, t(f"update.{change}_tasks", L, count=len(rows)))

changing = sum(int((diff["change"] != "unchanged").sum()) for diff in prepared.previews.values())
if changing == 0:
    st.info(t("update.nothing", L))
    st.stop()
if stale:
    st.warning(t("update.stale", L))

# -- publish: once per uploaded file, never from a preview the analyst has not seen ----
clicked = st.button(t("update.publish", L, count=changing), key="publish_button", type="primary")
if clicked and not stale:
    if entry["versions"] != store.versions():
        st.rerun()  # someone published since this preview: the rerun shows the new preview, marked stale
    if source not in published:
        published[source] = None  # claimed before writing, so a second click cannot publish it again
        try:
            with st.spinner(t("update.publishing", L)):
                published[source] = upload.publish(store, prepared, login.current_user(config).name)
        except TrackerError as exc:
            st.error(exc.message(L, escape=literal))
        finally:
            if published.get(source) is None:  # failed: the file may be published after a fix
                published.pop(source, None)
        if source not in published:
            st.stop()
        st.session_state.pop("upload_entry", None)
    st.rerun()
