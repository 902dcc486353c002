"""Kế hoạch 88: for a chosen year, who reported on time, late or not at all;
status by agency and by focus task; each agency's tasks with its latest
report; the plan's goals and scope; the December summary to download."""

import re

import pandas as pd
import streamlit as st

from tracker import border, exporting, fmt
from tracker.errors import TrackerError
from tracker.i18n import pick, t
from tracker.text import literal
from ui import data_io
from ui.state import keep, lang, param

L = lang()
st.title(t("page.border_plan", L))
if not data_io.store().exists("tasks"):
    st.error(t("ui.no_store", L))
    st.stop()

try:
    plan = border.BorderPlan.from_frames(
        data_io.current("plans"), data_io.current("plan_items"), data_io.current("agencies"),
        data_io.current("tasks"), data_io.current("task_reports"), data_io.current("areas"),
    )
except TrackerError as exc:
    st.error(exc.message(L, escape=literal))
    st.stop()


p = plan.plan
today = border.current_date()
st.caption(t("border.caption", L, number=literal(p["number"]), issued=border.short_date(p["issued_on"], L),
             title=literal(pick(p, "title", L))))

# -- the year ------------------------------------------------------------------
reported_years = plan.years_reported()
years = sorted(set(range(pd.Timestamp(p["issued_on"]).year, today.year + 1)) | set(reported_years), reverse=True)
default_year = reported_years[-1] if reported_years else today.year
year = st.selectbox(
    t("border.year", L), years, index=years.index(param("year", years, default_year)), key="border_year",
)
keep("year", year)
deadline = plan.deadline(year)

# -- the plan ------------------------------------------------------------------
with st.expander(t("border.plan_heading", L)):
    st.markdown(f"**{t('border.goals', L)}**")
    st.markdown("\n".join(f"- {literal(text)}" for text in plan.item_texts("goal", L)))
    st.markdown(f"**{t('border.focus_tasks', L)}**")
    st.markdown("\n".join(f"{i}. {literal(text)}" for i, text in enumerate(plan.item_texts("focus_task", L), start=1)))
    st.markdown(f"**{t('border.scope', L)}**")
    st.markdown("\n".join(f"- {literal(text)}" for text in dict.fromkeys(plan.item_texts("scope", L))))
    districts = plan.border_districts()
    if len(districts):
        st.markdown(t("border.districts", L, names=literal(", ".join(border.names(districts, L)))))
    st.markdown(f"**{t('border.reporting_rule', L)}**")
    st.markdown("\n".join(f"- {literal(text)}" for text in plan.item_texts("reporting", L)))

rule = "border.deadline_rule" if border.DEADLINE_DAY_IS_ON_TIME else "border.deadline_rule_strict"
st.info(t(rule, L, deadline=fmt.day(deadline, L), compiler=literal(pick(plan.compiler(), "name", L))))
if not border.deadline_passed(deadline, today):
    st.warning(t("border.before_deadline", L, deadline=fmt.day(deadline, L)))
of_year = plan.reports_of(year)
if of_year.empty:
    st.warning(t("border.no_reports", L, year=year))

# -- who reported --------------------------------------------------------------
compliance = plan.compliance(year)
total = len(compliance)
for column, status in zip(st.columns(len(border.AGENCY_STATUSES)), border.AGENCY_STATUSES, strict=True):
    count = int((compliance["agency_status"] == status).sum())
    column.metric(
        border.status_chip(status, L), f"{fmt.number(count, 0, L)}/{fmt.number(total, 0, L)}",
        help=t(f"border.help.{status}", L),
    )

st.subheader(t("border.compliance_heading", L, year=year))
col = lambda key: t(f"border.col.{key}", L)  # noqa: E731
table = pd.DataFrame({
    col("no"): compliance["plan_item"],
    col("agency"): border.names(compliance, L),
    col("agency_status"): [border.status_chip(s, L) for s in compliance["agency_status"]],
    col("tasks"): compliance["tasks"],
    col("reported_on_time"): compliance["reported_on_time"],
    col("reported_late"): compliance["reported_late"],
    col("not_reported"): compliance["missing"],
    col("done"): compliance["status_done"],
    col("in_progress"): compliance["status_in_progress"],
    col("not_started"): compliance["status_not_started"],
    col("last_reported_on"): [fmt.day(d, L) for d in compliance["last_reported_on"]],
})
st.dataframe(table, hide_index=True, key="border_compliance")

# -- downloads -----------------------------------------------------------------
slug = re.sub(r"[^0-9A-Za-z]+", "-", str(p["number"])).strip("-")
st.markdown(f"**{t('border.downloads', L)}**")
d1, d2 = st.columns(2)
d1.download_button(
    t("border.download.summary_docx", L), lambda: border.summary_bytes(plan, year, "docx", L),
    file_name=f"{t('border.file.summary', L)}-{slug}-{year}.docx", key="dl_summary_docx", width="stretch",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
d2.download_button(
    t("border.download.summary_xlsx", L), lambda: border.summary_bytes(plan, year, "xlsx", L),
    file_name=f"{t('border.file.summary', L)}-{slug}-{year}.xlsx", key="dl_summary_xlsx", width="stretch",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
export = border.compliance_export(compliance, L)
d3, d4 = st.columns(2)
d3.download_button(
    t("border.download.compliance_csv", L), lambda: exporting.to_bytes(export, "csv", excel_bom=True),
    file_name=f"{t('border.file.compliance', L)}-{slug}-{year}.csv", key="dl_compliance_csv", mime="text/csv", width="stretch",
)
d4.download_button(
    t("border.download.compliance_xlsx", L), lambda: exporting.to_bytes(export, "xlsx", sheet_name="compliance"),
    file_name=f"{t('border.file.compliance', L)}-{slug}-{year}.xlsx", key="dl_compliance_xlsx", width="stretch",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

# -- status by agency and by focus task ----------------------------------------
if not of_year.empty:
    as_of = fmt.day(of_year["published_at"].max(), L) if "published_at" in of_year else ""
    source = t("border.chart.source", L, number=p["number"], year=year, as_of=as_of)
    st.subheader(t("border.chart.by_agency", L, year=year))
    st.plotly_chart(border.agency_chart(compliance, L), key="border_chart_agency")
    st.caption(source)
    st.subheader(t("border.chart.by_focus", L, year=year))
    st.plotly_chart(border.focus_chart(plan.by_focus_task(year), L), key="border_chart_focus")
    st.caption(source)

# -- one agency's tasks ----------------------------------------------------------
st.subheader(t("border.agency_tasks", L, year=year))
agency_ids = compliance["agency_id"].tolist()
agency_names = dict(zip(agency_ids, border.names(compliance, L), strict=True))
agency_id = st.selectbox(
    t("border.agency", L), agency_ids, index=agency_ids.index(param("agency", agency_ids, agency_ids[0])),
    format_func=agency_names.get, key="border_agency",
)
keep("agency", agency_id)
row = compliance.set_index("agency_id").loc[agency_id]
st.markdown(f"{border.status_chip(row['agency_status'], L)} · {t('border.agency_counts', L, reported=int(row['tasks'] - row['missing']), tasks=int(row['tasks']))}")
for _, task in plan.agency_tasks(year, agency_id).iterrows():
    with st.container(border=True):
        if fmt.is_missing(task["status"]):
            state = border.status_label("not_reported", L)
        else:
            timing = t("border.on_time" if task["on_time"] else "border.late", L)
            state = f"{border.status_label(task['status'], L)} · {fmt.day(task['reported_on'], L)} ({timing})"
        focus = border.focus_label(plan, task["focus_task_id"], L)
        st.markdown(f"**{t('border.summary.task_head', L, seq=task['seq'])}** {literal(state)}")
        st.caption(f"{t('border.col.focus_task', L)}: {literal(focus)}")
        st.markdown(literal(pick(task, "text", L)))
        if not fmt.is_missing(task["summary"]) and str(task["summary"]).strip():
            st.markdown(f"*{t('border.col.summary', L)}:* {literal(task['summary'])}")
