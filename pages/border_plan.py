"""The border plan (named by its number in the plans table): for a chosen
year, who reported on time, late or not at all; status by agency and by
focus task; each agency's tasks with its latest report; the plan's goals
and scope; the December summary to download."""

import re

import pandas as pd
import streamlit as st

from tracker import border, border_charts, border_summary, fmt, orgs
from tracker.errors import TrackerError
from tracker.i18n import pick, t
from tracker.outputs import tabular
from tracker.text import literal
from ui import data_io, router
from ui.state import keep, lang, param

router.use_navigation()  # a deep link opened first after a restart goes through app.py
L = lang()
if not data_io.store().exists("tasks"):
    st.title(border.page_title(None, L))
    st.error(t("ui.no_store", L))
    st.stop()

try:
    plan = border.BorderPlan.from_frames(
        data_io.current("plans"), data_io.current("plan_items"), data_io.current("agencies"),
        data_io.current("tasks"), data_io.current("task_reports"), data_io.current("areas"),
        task_successions=data_io.current("task_successions"),
    )
except TrackerError as exc:
    st.title(border.page_title(None, L))
    st.error(exc.message(L, escape=literal))
    st.stop()


p = plan.plan
st.title(border.page_title(p["number"], L))
today = plan.today()
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
st.info(t(rule, L, deadline=fmt.day(deadline, L), compiler=literal(pick(plan.compiler(year), "name", L))))
compliance = plan.compliance(year)
total = len(compliance)

# -- the calendar: days left, or overdue and who has not reported -----------------
where, days = border.calendar(deadline, today)
if where == "overdue":
    behind = compliance[compliance["agency_status"].isin(["missing", "partial"])]
    if len(behind):
        st.error(t("orgs.calendar.overdue", L, deadline=fmt.day(deadline, L), days=fmt.number(days, 0, L),
                   names=literal("; ".join(border.names(behind, L)))))
    else:
        st.success(t("orgs.calendar.overdue_all_in", L, deadline=fmt.day(deadline, L)))
else:
    st.warning(t("border.before_deadline", L, deadline=fmt.day(deadline, L)))
    st.markdown(t(f"orgs.calendar.{where}", L, deadline=fmt.day(deadline, L), days=fmt.number(days, 0, L)))
of_year = plan.reports_of(year)
if of_year.empty:
    st.warning(t("border.no_reports", L, year=year))

# -- who reported --------------------------------------------------------------
for column, status in zip(st.columns(len(border.AGENCY_STATUSES)), border.AGENCY_STATUSES, strict=True):
    count = int((compliance["agency_status"] == status).sum())
    column.metric(
        border.status_chip(status, L), f"{fmt.number(count, 0, L)}/{fmt.number(total, 0, L)}",
        help=t(f"border.help.{status}", L),
    )

st.subheader(t("border.compliance_heading", L, year=year))
col = lambda key: t(f"border.col.{key}", L)  # noqa: E731
names_by_id = dict(zip(plan.agencies["agency_id"], border.names(plan.agencies, L), strict=True))
table = border.compliance_rows(compliance, plan.agencies, L)
# Tall enough for every agency: no scroll box inside the page (35 px a row).
st.dataframe(table, hide_index=True, key="border_compliance", height=38 + 35 * total, width="stretch")

# -- downloads -----------------------------------------------------------------
slug = re.sub(r"[^0-9A-Za-z]+", "-", str(p["number"])).strip("-")
st.markdown(f"**{t('border.downloads', L)}**")
d1, d2 = st.columns(2)
d1.download_button(
    t("border.download.summary_docx", L), lambda: border_summary.summary_bytes(plan, year, "docx", L),
    file_name=f"{t('border.file.summary', L)}-{slug}-{year}.docx", key="dl_summary_docx", width="stretch",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
d2.download_button(
    t("border.download.summary_xlsx", L), lambda: border_summary.summary_bytes(plan, year, "xlsx", L),
    file_name=f"{t('border.file.summary', L)}-{slug}-{year}.xlsx", key="dl_summary_xlsx", width="stretch",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
export = border.compliance_export(compliance, L)
d3, d4 = st.columns(2)
d3.download_button(
    t("border.download.compliance_csv", L), lambda: tabular.to_bytes(export, "csv", excel_bom=True),
    file_name=f"{t('border.file.compliance', L)}-{slug}-{year}.csv", key="dl_compliance_csv", mime="text/csv", width="stretch",
)
d4.download_button(
    t("border.download.compliance_xlsx", L), lambda: tabular.to_bytes(export, "xlsx", sheet_name="compliance"),
    file_name=f"{t('border.file.compliance', L)}-{slug}-{year}.xlsx", key="dl_compliance_xlsx", width="stretch",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

# -- status by agency and by focus task ----------------------------------------
if not of_year.empty:
    as_of = fmt.day(of_year["published_at"].max(), L) if "published_at" in of_year else ""
    source = t("border.chart.source", L, number=p["number"], year=year, as_of=as_of)
    st.subheader(t("border.chart.by_agency", L, year=year))
    st.plotly_chart(border_charts.agency_chart(compliance, L), key="border_chart_agency")
    st.caption(source)
    st.subheader(t("border.chart.by_focus", L, year=year))
    st.plotly_chart(border_charts.focus_chart(plan.by_focus_task(year), L), key="border_chart_focus")
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
if row["predecessor_ids"]:
    st.caption(t("orgs.takes_over", L, names=literal(", ".join(names_by_id.get(a, a) for a in orgs.successor_list(row["predecessor_ids"])))))
# Numbered in the plan's order; a body that took over several agencies' tasks numbers them in turn.
for seq, (_, task) in enumerate(plan.agency_tasks(year, agency_id).iterrows(), start=1):
    with st.container(border=True):
        if fmt.is_missing(task["status"]):
            state = border.status_label("not_reported", L)
        else:
            timing = t("border.on_time" if task["on_time"] else "border.late", L)
            state = f"{border.status_label(task['status'], L)} · {fmt.day(task['reported_on'], L)} ({timing})"
        focus = border.focus_label(plan, task["focus_task_id"], L)
        st.markdown(f"**{t('border.summary.task_head', L, seq=seq)}** {literal(state)}")
        st.caption(f"{t('border.col.focus_task', L)}: {literal(focus)}")
        st.markdown(literal(pick(task, "text", L)))
        if not fmt.is_missing(task["filed_by"]) and task["filed_by"] != agency_id:
            st.caption(t("orgs.filed_by", L, name=literal(names_by_id.get(task["filed_by"], task["filed_by"]))))
        if not fmt.is_missing(task["summary"]) and str(task["summary"]).strip():
            st.markdown(f"*{t('border.col.summary', L)}:* {literal(task['summary'])}")

# -- the changes since the plan was issued --------------------------------------------
changes = plan.bodies.changes()
if len(changes):
    st.subheader(t("orgs.changes_heading", L))
    st.caption(t("orgs.changes_intro", L, year=pd.Timestamp(p["issued_on"]).year))
    ocol = lambda key: t(f"orgs.col.{key}", L)  # noqa: E731
    st.dataframe(pd.DataFrame({
        ocol("body"): border.names(changes, L),
        ocol("valid_from"): [fmt.day(pd.Timestamp(d).date(), L) if d else "" for d in changes["valid_from"].fillna("")],
        ocol("valid_to"): [fmt.day(pd.Timestamp(d).date(), L) if d else "" for d in changes["valid_to"].fillna("")],
        ocol("successors"): [", ".join(names_by_id.get(a, a) for a in orgs.successor_list(ids)) for ids in changes["successor_ids"]],
        ocol("legal_source"): changes["legal_source"].fillna(""),
    }), hide_index=True, key="border_changes", height=38 + 35 * len(changes), width="stretch")
    home = plan.province()
    if home is not None and "valid_to" in plan.areas:
        facts = orgs.area_changes(plan.areas, home["area_id"])
        counts = facts["counts"] | {"source": literal(facts["counts"]["source"])}
        st.markdown(t("orgs.areas_counts", L, **counts))
        with st.expander(t("orgs.areas_heading", L)):
            area_names = dict(zip(plan.areas["area_id"], border.names(plan.areas, L), strict=True))
            st.dataframe(pd.DataFrame({
                ocol("area"): [area_names[a] for a in facts["districts"]["area_id"]],
                ocol("valid_to"): [fmt.day(pd.Timestamp(d).date(), L) for d in facts["districts"]["valid_to"]],
                ocol("successors"): [", ".join(area_names.get(a, a) for a in orgs.successor_list(ids))
                                     for ids in facts["districts"]["successor_ids"]],
                ocol("legal_source"): facts["districts"]["legal_source"],
            }), hide_index=True, key="border_area_changes", width="stretch")
