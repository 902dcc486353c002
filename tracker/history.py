"""A plan over years: the change on the same period of the year before
("so với cùng kỳ") where a report did not state it, and the keys on which
sources disagree. Pure: no Streamlit, no store."""

from __future__ import annotations

import pandas as pd

from tracker import schema, views, wording
from tracker.i18n import t

KEY = schema.OBSERVATION_KEY
_FIGURE_KINDS = ("actual", "estimate")


def with_computed_yoy(observations: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """The figures with `yoy_shown` (the change on the same period a year
    before, in %) and `yoy_basis`: `reported` where the report states it,
    `computed` from the stored figure of the year before (an actual, else an
    estimate, of the same period) where it does not; empty where neither.
    Computed only for flows and levels not in % (a change of a growth rate or
    a share in % is not a "% on last year")."""
    rows = observations.copy()
    rows["yoy_shown"] = rows["yoy_pct"].astype("float64")
    rows["yoy_basis"] = pd.Series(["reported" if x else None for x in rows["yoy_shown"].notna()],
                                  index=rows.index, dtype="object")
    catalogue = indicators.set_index("indicator_id")
    comparable = catalogue.index[(catalogue["measure"] == "flow")
                                 | ((catalogue["measure"] == "level") & (catalogue["unit_vi"] != "%"))]
    figures = rows[rows["kind"].isin(_FIGURE_KINDS) & rows["indicator_id"].isin(comparable)
                   & ~schema.multi_year(rows["period"]).to_numpy()]
    if figures.empty:
        return rows
    points = figures.assign(_point=[wording.point(r) for r in figures.to_dict("records")])
    # The figure of the year before: an actual wins over an estimate.
    before = (points.assign(_rank=points["kind"].map({"estimate": 0, "actual": 1}))
              .sort_values("_rank").drop_duplicates(["indicator_id", "area_id", "year", "period"], keep="last"))
    before = before[["indicator_id", "area_id", "year", "period", "_point"]].rename(columns={"_point": "_before"})
    before["year"] = before["year"] + 1
    joined = points.merge(before, on=["indicator_id", "area_id", "year", "period"], how="left")
    change = (joined["_point"] / joined["_before"] - 1) * 100
    change = change.where(joined["_before"].notna() & (joined["_before"] > 0) & joined["_point"].notna())
    change.index = points.index
    missing = rows.loc[points.index, "yoy_shown"].isna() & change.notna()
    fill = missing[missing].index
    rows.loc[fill, "yoy_shown"] = change[fill].round(1)
    rows.loc[fill, "yoy_basis"] = "computed"
    return rows


def yoy_label(basis: str | None, lang: str) -> str:
    """"theo báo cáo" / "tính từ số liệu năm trước"."""
    return t(f"years.yoy.{basis}", lang) if basis in ("reported", "computed") else ""


def disagreements(revisions: pd.DataFrame) -> pd.DataFrame:
    """Keys on which two or more sources published different figures, with
    every such revision (oldest first) and whether it is the current one."""
    if revisions.empty:
        return revisions.assign(current=pd.Series(dtype=bool))
    rows = revisions.sort_values("published_at", kind="stable")
    figure = rows[["value", "low", "high"]].astype("float64").round(6).astype("string").fillna("").agg("|".join, axis=1)
    rows = rows.assign(_figure=figure)
    grouped = rows.groupby(KEY, sort=False)
    several = (grouped["_figure"].transform("nunique") > 1) & (grouped["source"].transform("nunique") > 1)
    rows = rows[several.to_numpy()]
    newest = rows.groupby(KEY, sort=False)["published_at"].transform("max")
    rows = rows.assign(current=(rows["published_at"] == newest).to_numpy(),
                       _rank=rows["period"].map(views.RANK).fillna(len(views.RANK)))
    rows = rows.sort_values(["indicator_id", "year", "_rank", "kind", "published_at"], kind="stable")
    return rows.drop(columns=["_figure", "_rank"]).reset_index(drop=True)


def disagreement_table(rows: pd.DataFrame, sources: pd.DataFrame | None, indicator, lang: str) -> pd.DataFrame:
    """The disagreements of one indicator as people read them: year, period,
    kind, the figure, its source, the source's reliability and link, and
    whether it is the figure the product shows."""
    col = lambda key: t(f"years.dis.{key}", lang)  # noqa: E731
    columns = [col(k) for k in ("year", "period", "kind", "figure", "source", "reliability", "link", "state")]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    info = sources.set_index("source") if sources is not None and not sources.empty else None
    unit = indicator.get(f"unit_{lang}") or indicator.get("unit_vi") or ""
    records = rows.to_dict("records")

    def about(source, column):
        if info is None or source not in info.index or pd.isna(info.loc[source, column]):
            return ""
        value = info.loc[source, column]
        return t(f"years.reliability.{value}", lang) if column == "reliability" else value

    return pd.DataFrame({
        columns[0]: [int(r["year"]) for r in records],
        columns[1]: [wording.period_label(r["period"], lang) if r["period"] in views.RANK else r["period"] for r in records],
        columns[2]: [wording.kind_label(r["kind"], lang) for r in records],
        columns[3]: [wording.quantity(r, lang, unit) for r in records],
        columns[4]: [r["source"] for r in records],
        columns[5]: [about(r["source"], "reliability") for r in records],
        columns[6]: [about(r["source"], "source_url") for r in records],
        columns[7]: [t("years.dis.shown" if r["current"] else "years.dis.alternative", lang) for r in records],
    })


def yoy_table(rows: pd.DataFrame, indicators: pd.DataFrame, indicator_id: str, lang: str) -> pd.DataFrame:
    """One indicator's figures with their change on the same period a year
    before (reported, else computed), newest first, as people read them."""
    col = lambda key: t(f"years.col.{key}", lang)  # noqa: E731
    columns = [col(k) for k in ("year", "period", "kind", "figure", "yoy", "basis")]
    shown = with_computed_yoy(rows[rows["indicator_id"] == indicator_id], indicators)
    shown = shown[shown["yoy_basis"].notna()]
    if shown.empty:
        return pd.DataFrame(columns=columns)
    indicator = indicators[indicators["indicator_id"] == indicator_id].iloc[0].to_dict()
    unit = wording.unit_of(indicator, lang)
    shown = shown.assign(_rank=shown["period"].map(views.RANK)).sort_values(["year", "_rank"], ascending=False)
    records = shown.to_dict("records")
    return pd.DataFrame({
        columns[0]: [int(r["year"]) for r in records],
        columns[1]: [wording.period_label(r["period"], lang) for r in records],
        columns[2]: [wording.kind_label(r["kind"], lang) for r in records],
        columns[3]: [wording.quantity(r, lang, unit) for r in records],
        columns[4]: shown["yoy_shown"].astype("float64").to_numpy(),
        columns[5]: [yoy_label(r["yoy_basis"], lang) for r in records],
    })
