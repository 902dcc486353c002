"""History: every version of the figures and the task reports (who, when,
which file, how many added and revised), the data as of any version, and a
restore (analysts, with a confirmation; a restore is a new version)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker import fmt, views
from tracker.errors import TrackerError
from tracker.i18n import t
from tracker.outputs import tabular
from tracker.store import REVISION_TABLES
from tracker.text import literal
from ui import data_io, login, router
from ui.state import lang


def show_table(key: str, frame, heading: str | None = None) -> None:
    """A table (with its heading) in a container found by `key`."""
    with st.container(key=key):
        if heading:
            st.markdown(f"**{heading}**")
        st.dataframe(frame, hide_index=True)


router.use_navigation()  # a deep link opened first after a restart goes through app.py
L = lang()
st.title(t("page.history", L))
store = data_io.store()
if not store.exists("observations"):
    st.error(t("ui.no_store", L))
    st.stop()
config = login.settings()  # app.py has already checked that the reader may view


def catalogues() -> dict:
    """The catalogues that name what a version's rows refer to."""
    return {name: data_io.current(name) for name in ("indicators", "areas", "agencies") if store.exists(name)}


@st.cache_data(show_spinner=False, max_entries=8)
def history(root: str, versions: tuple) -> pd.DataFrame:
    """Every commit of the revision tables (cached until the next one)."""
    return data_io.store(root).history(tuple(REVISION_TABLES))


done = st.session_state.pop("restore_done", None)
if done:
    st.success(t("hist.restored", L, table=t(f"upload.table.{done[0]}", L), version=done[1], new_version=done[2]))

log = history(store.root, tuple(sorted(data_io.versions().items())))
st.caption(t("hist.intro", L))
show_table("history_table", views.history_table(log, L))

# -- one version -----------------------------------------------------------------
st.subheader(t("hist.view", L))
left, right = st.columns(2)
tables = [table for table in REVISION_TABLES if store.exists(table)]
table = left.selectbox(
    t("history.table", L), tables, key="history_pick_table", format_func=lambda x: t(f"upload.table.{x}", L),
)
commits = log[log["table"] == table].sort_values("version", ascending=False)
labels = {
    int(row.version): t(
        "hist.version_label", L, version=int(row.version), when=fmt.moment(row.timestamp, L, seconds=True),
        action=views.action_label(row.action, L), user=row.user or "",
    )
    for row in commits.itertuples()
}
latest = store.version(table)
version = right.selectbox(
    t("history.version", L), list(labels), key="history_pick_version", format_func=lambda v: labels[v],
)
frame = data_io.as_of(table, version)
st.caption(t("hist.rows", L, rows=len(frame), version=version))
show_table("history_data", views.version_table(frame, table, L, catalogues()))
st.download_button(
    t("hist.download", L), tabular.to_bytes(frame, "csv", excel_bom=True),
    file_name=f"{table}_v{version}.csv", mime="text/csv", key="history_download", on_click="ignore",
)

# -- restore -----------------------------------------------------------------------
st.subheader(t("hist.restore", L))
if version == latest:
    st.caption(t("hist.is_current", L, version=version))
    st.stop()
if not login.require("restore", config, L):
    st.stop()
st.caption(t("hist.restore_help", L, version=version, latest=latest))
pending = st.session_state.get("restore_pending")
if pending != (table, version, latest):
    if st.button(t("hist.restore_button", L, version=version), key="restore_button"):
        st.session_state["restore_pending"] = (table, version, latest)
        st.rerun()
    st.stop()

st.warning(t("hist.confirm_question", L, table=t(f"upload.table.{table}", L), version=version, latest=latest))
confirm, cancel = st.columns(2)
if cancel.button(t("hist.cancel", L), key="restore_cancel"):
    st.session_state.pop("restore_pending", None)
    st.rerun()
if confirm.button(t("hist.confirm", L), key="restore_confirm", type="primary"):
    st.session_state.pop("restore_pending", None)
    if store.version(table) != latest:  # someone wrote since the question was asked
        st.warning(t("hist.stale", L))
        st.stop()
    try:
        new_version = store.restore(table, version, user=login.current_user(config).name)
    except TrackerError as exc:
        st.error(exc.message(L, escape=literal))
        st.stop()
    st.session_state["restore_done"] = (table, version, new_version)
    st.rerun()
