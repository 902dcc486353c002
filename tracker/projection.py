"""Year-end projection ("khả năng thực hiện cả năm", SPEC §12): the full
year projected from a partial-year figure, with an interval, its method and
a verdict against the annual target; and the backtest of that projection on
every past year holding both a partial and a final figure.

Methods (settings in data/status_rules.toml [projection]):
- flows (turnover, revenue, hectares): full year = partial / share of the
  year done by then. `own_share`: the indicator's own share (median of the
  earlier years with both figures, at least `min_history_years` of them;
  interval from the lowest to the highest share seen); else `default_share`:
  the status rules' expected share (seasonal) or year share, with a wider
  interval (± default_share_spread of the share);
- rates (growth %) and levels (ratios, stocks): full year = partial + the
  usual change from that period to the full year. `own_change`: median change
  of at least `min_history_years` earlier years (interval: lowest to highest);
  else `default_change`: the partial figure itself, ± default_rate_spread_pp
  points (rates) or ± default_level_spread of it (levels).
Only years before the projected one are used, so a past year is projected
as it could have been then. Verdict: `likely_met` when the whole interval
meets the target (by the status engine's rule), `unlikely` when none of it
(nor its middle) does, else `uncertain`. Pure: no Streamlit, no store.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from tracker import fmt, status, views, wording
from tracker.i18n import pick, t
from tracker.rules_toml import read_section

VERDICTS = ("likely_met", "uncertain", "unlikely")
METHODS = ("own_share", "default_share", "own_change", "default_change")
_FIGURE_KINDS = ("actual", "estimate")


@dataclass(frozen=True)
class Settings:
    min_history_years: int
    own_spread_padding: float
    default_share_spread: float
    default_rate_spread_pp: float
    default_level_spread: float


def load_settings(path: str | Path | None = None) -> Settings:
    """The [projection] settings of data/status_rules.toml, checked."""
    values = read_section("projection", {
        "min_history_years": (1, 50), "own_spread_padding": (0.0, 1.0), "default_share_spread": (0.0, 0.9),
        "default_rate_spread_pp": (0.0, 100.0), "default_level_spread": (0.0, 1.0),
    }, path)
    values["min_history_years"] = int(values["min_history_years"])
    return Settings(**values)


@cache
def current() -> Settings:
    """The [projection] settings, read once on first use (not at import)."""
    return load_settings()


@dataclass(frozen=True)
class Projection:
    """One indicator's full year projected from its figure of `period`."""

    indicator_id: str
    year: int
    period: str
    figure_kind: str
    partial: float
    method: str
    history_years: tuple[int, ...]
    factor: float  # the share of the year (flows) or the change to the full year (rates, levels) used
    projected: float
    low: float
    high: float
    target_basis: str | None  # stated, implied (from a reported % of plan) or None
    target: dict | None
    verdict: str | None
    explanation_vi: str
    explanation_en: str

    def explanation(self, lang: str) -> str:
        return self.explanation_en if lang == "en" else self.explanation_vi


def _point(row) -> float | None:
    return None if row is None else wording.point(row)


def _best(rows: pd.DataFrame) -> dict | None:
    """The figure of a set of rows of one key set: an actual before an estimate."""
    for kind in _FIGURE_KINDS:
        found = rows[rows["kind"] == kind]
        if not found.empty:
            return found.iloc[-1].to_dict()
    return None


def history(rows: pd.DataFrame, period: str, before: int) -> list[tuple[int, float, float]]:
    """(year, partial, final) for every year before `before` that holds both
    a figure of `period` and a full-year figure (actual, else estimate) of
    one indicator; `rows` are that indicator's figures."""
    found = []
    for year in sorted({int(y) for y in rows["year"] if int(y) < before}):
        mine = rows[rows["year"] == year]
        partial, final = _point(_best(mine[mine["period"] == period])), _point(_best(mine[mine["period"] == "FY"]))
        if partial is not None and final is not None:
            found.append((year, partial, final))
    return found


def project(partial_row: dict, target_row: dict | None, indicator: dict, rows: pd.DataFrame,
            rules: status.Rules | None = None, settings: Settings | None = None) -> Projection | None:
    """The full year projected from `partial_row` (an actual or estimate of
    a partial period), judged against `target_row` (the year's FY target;
    None: a reported % of plan implies one; with neither the projection has
    no verdict). `rows`: the indicator's figures of every year (only earlier
    years are used). None when there is no number to project from."""
    rules, settings = rules or status.current(), settings or current()
    year, period = int(partial_row["year"]), partial_row["period"]
    partial = _point(partial_row)
    pct = partial_row.get("pct_of_plan")
    pct = None if fmt.is_missing(pct) or not pct else float(pct)
    basis = "stated" if target_row is not None and _point(target_row) is not None else None
    if basis is None and partial is not None and pct is not None:
        target_row = {"indicator_id": partial_row["indicator_id"], "area_id": partial_row.get("area_id"),
                      "year": year, "period": "FY", "kind": "target", "value": partial * 100 / pct,
                      "low": None, "high": None, "qualifier": "exact"}
        basis = "implied"
    if basis == "stated" and partial is None and pct is not None and indicator.get("measure") == "flow":
        partial = _point(target_row) * pct / 100
    if partial is None:
        return None
    if basis is None:
        target_row = None

    past = history(rows, period, year)
    measure = indicator.get("measure")
    if measure == "flow":
        shares = [p / f for _, p, f in past if f > 0 and p > 0]
        if len(shares) >= settings.min_history_years:
            method, factor = "own_share", statistics.median(shares)
            share_low = min(shares) * (1 - settings.own_spread_padding)
            share_high = max(shares) * (1 + settings.own_spread_padding)
        else:
            factor, _ = rules.share(indicator["indicator_id"], period)
            method = "default_share"
            share_low, share_high = factor * (1 - settings.default_share_spread), factor * (1 + settings.default_share_spread)
        projected = partial / factor
        low, high = sorted((partial / share_high, partial / share_low))
        used = tuple(y for y, p, f in past if f > 0 and p > 0) if method == "own_share" else ()
    else:
        changes = [f - p for _, p, f in past]
        if len(changes) >= settings.min_history_years:
            method, factor = "own_change", statistics.median(changes)
            projected = partial + factor
            pad = settings.own_spread_padding * abs(projected)
            low, high = partial + min(changes) - pad, partial + max(changes) + pad
            used = tuple(y for y, _, _ in past)
        else:
            method, factor, projected, used = "default_change", 0.0, partial, ()
            spread = (settings.default_rate_spread_pp if measure == "rate"
                      else settings.default_level_spread * abs(partial))
            low, high = partial - spread, partial + spread
    verdict = _verdict(low, projected, high, target_row, indicator, rules)
    base = dict(indicator_id=partial_row["indicator_id"], year=year, period=period,
                figure_kind=partial_row["kind"], partial=partial, method=method, history_years=used,
                factor=factor, projected=projected, low=low, high=high, target_basis=basis,
                target=target_row, verdict=verdict)
    return Projection(**base, explanation_vi=_explain(base, indicator, "vi"), explanation_en=_explain(base, indicator, "en"))


def _meets(value: float, target_row: dict, indicator: dict, rules: status.Rules) -> bool:
    """Whether a full-year figure of `value` would meet the target, by the
    status engine's own rule."""
    figure = {"indicator_id": indicator["indicator_id"], "period": "FY", "kind": "estimate", "value": value,
              "low": None, "high": None, "qualifier": "exact", "pct_of_plan": None, "yoy_pct": None}
    return status.judge(figure, target_row, indicator, rules).status in status.ACHIEVED


def _verdict(low, projected, high, target_row, indicator, rules) -> str | None:
    if target_row is None:
        return None
    meets = [_meets(x, target_row, indicator, rules) for x in (low, projected, high)]
    if meets[0] and meets[2]:
        return "likely_met" if meets[1] else "uncertain"
    if not any(meets):
        return "unlikely"
    return "uncertain"


def _explain(p: dict, indicator: dict, lang: str) -> str:
    """"Ước cả năm: 5.100 (4.800 - 5.500) triệu USD, theo tỷ trọng … → có khả năng đạt"."""
    decimals = indicator.get("decimals")
    decimals = 2 if fmt.is_missing(decimals) else int(decimals)
    unit = pick(indicator, "unit", lang)
    amount = lambda x: wording.with_unit(wording.number(x, lang, decimals), unit)  # noqa: E731
    share = lambda x: fmt.percent(x * 100, 0, lang)  # noqa: E731
    years = ", ".join(str(y) for y in p["history_years"])
    method = t(f"projection.method.{p['method']}", lang, share=share(p["factor"]),
               change=wording.with_unit(wording.number(p["factor"], lang, decimals), unit), years=years,
               n=len(p["history_years"]), when=wording.period_label(p["period"], lang))
    parts = [t("projection.explain.head", lang, projected=amount(p["projected"]), low=amount(p["low"]),
               high=amount(p["high"]), partial=amount(p["partial"]), when=wording.period_label(p["period"], lang)),
             method]
    if p["verdict"] is not None:
        target = wording.quantity(p["target"], lang, unit)
        key = "projection.explain.target_implied" if p["target_basis"] == "implied" else "projection.explain.target"
        parts.append(t(key, lang, target=target, verdict=t(f"projection.verdict.{p['verdict']}", lang)))
    return " ".join(parts)


def project_year(observations: pd.DataFrame, indicators: pd.DataFrame, year: int, period: str | None = None,
                 area_id: str | None = None, rules: status.Rules | None = None,
                 settings: Settings | None = None) -> list[Projection]:
    """The projection of every indicator with a partial-year figure and an
    annual target in `year`: from its figure of `period` when given (a
    partial period), else from its latest partial period of the year."""
    if period in status.ANNUAL_PERIODS:
        return []
    rows = views.area_rows(observations, area_id)
    rows = rows[rows["period"].isin(views.PERIOD_ORDER)]
    catalogue = {r["indicator_id"]: r for r in indicators.to_dict("records")}
    mine = rows[rows["year"] == int(year)]
    found = []
    for indicator_id, own in mine.groupby("indicator_id", sort=False):
        indicator = catalogue.get(indicator_id)
        partials = own[own["kind"].isin(_FIGURE_KINDS) & own["period"].isin(status.PARTIAL_PERIODS)]
        if indicator is None or partials.empty:
            continue
        if period is not None:
            partials = partials[partials["period"] == period]
        else:
            latest = max(partials["period"], key=views.RANK.get)
            partials = partials[partials["period"] == latest]
        partial_row = _best(partials)
        if partial_row is None:
            continue
        targets = own[(own["period"] == "FY") & (own["kind"] == "target")]
        target_row = targets.iloc[-1].to_dict() if not targets.empty else None
        result = project(partial_row, target_row, indicator, rows[rows["indicator_id"] == indicator_id], rules, settings)
        if result is not None and result.verdict is not None:
            found.append(result)
    order = {i: n for n, i in enumerate(catalogue)}
    return sorted(found, key=lambda p: order.get(p.indicator_id, len(order)))


def newest_for(observations: pd.DataFrame, indicators: pd.DataFrame, indicator_id: str,
               area_id: str | None = None) -> Projection | None:
    """The projection of one indicator for the newest year it has figures
    in, when that year holds a partial-year figure and an annual target."""
    rows = views.area_rows(observations, area_id)
    rows = rows[(rows["indicator_id"] == indicator_id) & rows["period"].isin(views.PERIOD_ORDER)]
    figures = rows[rows["kind"].isin(_FIGURE_KINDS)]
    if figures.empty:
        return None
    newest = int(figures["year"].max())
    if not figures[(figures["year"] == newest) & figures["period"].isin(status.PARTIAL_PERIODS)].shape[0]:
        return None
    found = project_year(rows, indicators[indicators["indicator_id"] == indicator_id], newest, None, area_id)
    return found[0] if found else None


def headline(projections: list[Projection], lang: str) -> str:
    """"Ước cả năm: X/Y chỉ tiêu có khả năng đạt và vượt kế hoạch"."""
    judged = [p for p in projections if p.verdict is not None]
    likely = sum(p.verdict == "likely_met" for p in judged)
    return t("projection.headline", lang, achieved=likely, judged=len(judged))


def table(projections: list[Projection], indicators: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The projections as people read them: indicator, the figure projected
    from, the projected full year with its interval, the plan, the verdict
    and how it was worked out, in `lang`; the numbers kept as numbers."""
    catalogue = {r["indicator_id"]: r for r in indicators.to_dict("records")}
    col = lambda key: t(f"projection.col.{key}", lang)  # noqa: E731
    rows = []
    for p in projections:
        indicator = catalogue.get(p.indicator_id, {"indicator_id": p.indicator_id})
        unit = wording.unit_of(indicator, lang)
        rows.append({
            col("indicator"): pick(indicator, "name", lang) or p.indicator_id,
            col("from"): wording.figure_label(p.figure_kind, p.period, lang, p.year),
            col("projected"): p.projected, col("low"): p.low, col("high"): p.high, col("unit"): unit,
            col("target"): wording.quantity(p.target, lang, unit) if p.target else "",
            col("verdict"): t(f"projection.verdict.{p.verdict}", lang) if p.verdict else "",
            col("method"): t(f"projection.method.name.{p.method}", lang),
            col("explanation"): p.explanation(lang),
        })
    columns = [col(k) for k in ("indicator", "from", "projected", "low", "high", "unit", "target", "verdict",
                                "method", "explanation")]
    return pd.DataFrame(rows, columns=columns)


def columns(projections: list[Projection]) -> pd.DataFrame:
    """The scorecard export's projection columns, one row per indicator:
    indicator_id, projected, projected_low, projected_high, projection_verdict."""
    return pd.DataFrame({
        "indicator_id": [p.indicator_id for p in projections],
        "projected": pd.Series([p.projected for p in projections], dtype="float64"),
        "projected_low": pd.Series([p.low for p in projections], dtype="float64"),
        "projected_high": pd.Series([p.high for p in projections], dtype="float64"),
        "projection_verdict": pd.Series([p.verdict for p in projections], dtype="object"),
    })


# ------------------------------------------------------------- the backtest

BACKTEST_COLUMNS = [
    "indicator_id", "year", "period", "method", "history_years", "partial", "projected", "projected_low",
    "projected_high", "final", "final_kind", "error", "error_pct", "inside", "verdict", "outcome",
]


def backtest(observations: pd.DataFrame, indicators: pd.DataFrame, area_id: str | None = None,
             rules: status.Rules | None = None, settings: Settings | None = None) -> pd.DataFrame:
    """Every (indicator, year, partial period) with both that figure and a
    final full-year figure (actual, else the latest estimate): the projection
    made from the partial figure with the final held back, and its error.
    `outcome` is whether the final met the year's target (by the status rules)."""
    rows = views.area_rows(observations, area_id)
    rows = rows[rows["period"].isin(views.PERIOD_ORDER)]
    catalogue = {r["indicator_id"]: r for r in indicators.to_dict("records")}
    records = []
    for (indicator_id, year), own in rows.groupby(["indicator_id", "year"], sort=True):
        indicator = catalogue.get(indicator_id)
        final_row = _best(own[own["period"] == "FY"])
        final = _point(final_row)
        if indicator is None or final is None:
            continue
        targets = own[(own["period"] == "FY") & (own["kind"] == "target")]
        target_row = targets.iloc[-1].to_dict() if not targets.empty else None
        held_back = rows[(rows["indicator_id"] == indicator_id) & ~((rows["year"] == year) & (rows["period"] == "FY")
                                                                     & rows["kind"].isin(_FIGURE_KINDS))]
        for period in sorted(set(own["period"]) & set(status.PARTIAL_PERIODS), key=views.RANK.get):
            partial_row = _best(own[own["period"] == period])
            if partial_row is None:
                continue
            p = project(partial_row, target_row, indicator, held_back, rules, settings)
            if p is None:
                continue
            outcome = None
            if p.target is not None:
                outcome = _meets(final, p.target, indicator, rules)
            records.append({
                "indicator_id": indicator_id, "year": int(year), "period": period, "method": p.method,
                "history_years": ", ".join(str(y) for y in p.history_years), "partial": p.partial,
                "projected": p.projected, "projected_low": p.low, "projected_high": p.high, "final": final,
                "final_kind": final_row["kind"], "error": p.projected - final,
                # Relative error for flows; for rates and levels the error in points says it.
                "error_pct": (p.projected - final) / abs(final) * 100 if final and indicator.get("measure") == "flow"
                else None,
                "inside": p.low <= final <= p.high, "verdict": p.verdict, "outcome": outcome,
            })
    return pd.DataFrame(records, columns=BACKTEST_COLUMNS)


def backtest_markdown(table: pd.DataFrame) -> str:
    """The backtest as the README's Markdown table (English, numbers as
    computed; errors of rates and levels in points, of flows also in %)."""
    head = ("| indicator | year | from | method (history years) | partial | projected [interval] | final | error "
            "| inside | verdict → outcome |\n|---|---|---|---|---|---|---|---|---|---|")
    lines = [head]
    for r in table.to_dict("records"):
        history_years = f" ({r['history_years']})" if r["history_years"] else ""
        outcome = "–" if fmt.is_missing(r["outcome"]) else ("met" if r["outcome"] else "not met")
        verdict = "–" if fmt.is_missing(r["verdict"]) else r["verdict"]
        error = f"{r['error']:+.2f}" + ("" if fmt.is_missing(r["error_pct"]) else f" ({r['error_pct']:+.1f}%)")
        lines.append(
            f"| `{r['indicator_id']}` | {r['year']} | {r['period']} | {r['method']}{history_years} | {r['partial']:g} "
            f"| {r['projected']:.2f} [{r['projected_low']:.2f} – {r['projected_high']:.2f}] "
            f"| {r['final']:g} ({r['final_kind']}) | {error} | {'yes' if r['inside'] else 'no'} | {verdict} → {outcome} |"
        )
    return "\n".join(lines)
