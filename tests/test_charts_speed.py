"""Charts judged once and drawn once: a timeline's figures judged together
say what each judged alone would (one pick a period, the implied plans
worked out once), and a chart comes with margins that already hold its
axis labels, so the browser does not draw it a second time wider."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from tracker import charts, status
from tracker.charts.base import LINE_PX, fit_margins, judge_rows
from tracker.model import Facts


@pytest.fixture(scope="module")
def facts(plan_120_store) -> Facts:
    return Facts.from_store(plan_120_store)


def one_by_one(observations, rows, ind) -> list:
    """Each figure judged as the charts judged it before: its own pick."""
    found = []
    for _, row in rows.iterrows():
        if row["kind"] == "target":
            found.append(None)
            continue
        mine = observations[observations["indicator_id"] == row["indicator_id"]]
        picked = status.pick(mine, row["area_id"], int(row["year"]), row["period"])
        found.append(status.judge(row, picked.targets.get(row["indicator_id"]), ind))
    return found


def test_judging_a_timeline_at_once_matches_judging_each_figure(facts):
    obs = facts.observations
    implied = set(status.implied_targets(obs)["indicator_id"])
    assert implied, "the plan's figures imply some plans: the check covers them"
    for indicator_id in obs["indicator_id"].unique():
        rows = obs[obs["indicator_id"] == indicator_id]
        ind = facts.indicator(indicator_id)
        together = judge_rows(obs, rows, {indicator_id: ind})
        alone = one_by_one(obs, rows, ind)
        assert [j and (j.status, j.explanation("vi")) for j in together] == \
               [j and (j.status, j.explanation("vi")) for j in alone], indicator_id


def test_a_timeline_comes_with_room_for_its_labels(facts):
    spec = charts.indicator_chart(facts, "grdp_growth", "vi", year=2018)
    margin = spec.figure.layout.margin
    assert margin.l > 40  # digits and the axis title, not plotly's 10 px start
    lines = max(str(label).count("<br>") + 1 for label in spec.figure.layout.xaxis.ticktext)
    assert margin.b >= lines * LINE_PX
    assert spec.figure.layout.yaxis.automargin  # still grows for anything larger than estimated


def test_margins_grow_with_the_labels():
    def left(values) -> int:
        fig = go.Figure(go.Scatter(x=[0, 1], y=values))
        fig.update_layout(margin={"l": 10, "b": 10}, yaxis_title="Đơn vị: người")
        return fit_margins(fig).layout.margin.l

    assert left([3, 52]) < left([300, 12230]) < left([-300, 12230])
    three_lines = go.Figure(go.Scatter(x=[0, 1], y=[1, 2]))
    three_lines.update_xaxes(tickmode="array", tickvals=[0, 1], ticktext=["6 tháng<br>đầu<br>2016", "Năm<br>2016"])
    assert fit_margins(three_lines).layout.margin.b > fit_margins(go.Figure(go.Scatter(x=[0, 1], y=[1, 2]))).layout.margin.b
    names = go.Figure(go.Bar(x=[50, 80], y=["Tổng kim ngạch xuất nhập…", "Đàn lợn"], orientation="h"))
    assert fit_margins(names).layout.margin.l >= 26 * 7
