"""Writes this folder's made-up province (run from the repository root:
`python tests/assets/province_demo/make_demo.py`). Every name, figure,
agency, task and plan here is invented for the test; the catalogue rows are
the product's own indicator definitions (names and units, no figures)."""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
AREA = "XX-99"
SOURCE = "15/KH-UBND 05/01/2024 (DỮ LIỆU MẪU)"
SECTORS = ["agriculture", "industry_construction", "services", "product_taxes"]
IDS = (
    ["grdp_growth"] + [f"grdp_growth.{s}" for s in SECTORS] + [f"economic_structure.{s}" for s in SECTORS]
    + ["grdp_per_capita", "trade_turnover", "trade_turnover.export", "trade_turnover.import", "local_export_growth",
       "budget_revenue", "budget_revenue.domestic", "budget_revenue.import_export", "budget_expenditure",
       "budget_expenditure.balanced", "budget_expenditure.targeted_programs",
       "poverty_rate", "poverty_rate_reduction", "poor_households_reduced", "health_insurance_coverage",
       "doctors_per_10k", "hospital_beds_per_10k", "health_standard_communes_rate", "new_health_standard_communes",
       "medical_examinations", "medical_treatments", "new_national_standard_schools", "national_standard_schools",
       "trained_labour_rate", "jobs_created", "new_rural_communes", "new_rural_criteria_avg", "road_hardening_rate",
       "cultural_house_rate", "traffic_accidents", "traffic_accidents.deaths", "traffic_accidents.injuries",
       "traffic_accident_reduction", "forest_cover", "forest_planting", "rural_hygienic_water_rate",
       "urban_clean_water_rate", "urban_solid_waste_rate", "medical_waste_rate"]
)
SHARES = {"agriculture": 21.0, "industry_construction": 33.0, "services": 41.0, "product_taxes": 5.0}


def write(name: str, header: list[str], rows: list[list]) -> None:
    with (HERE / name).open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def catalogue() -> dict[str, dict]:
    with (REPO / "data" / "indicators.csv").open(encoding="utf-8", newline="") as f:
        rows = {r["indicator_id"]: r for r in csv.DictReader(f)}
    chosen = {i: rows[i] for i in IDS}
    for row in chosen.values():  # a parent the demo leaves out is no parent here
        if row["parent_id"] and row["parent_id"] not in chosen:
            row["parent_id"] = ""
    header = list(next(iter(rows.values())))
    write("indicators.csv", header, [[r[c] for c in header] for r in chosen.values()])
    return chosen


def figures(catalogue: dict[str, dict]) -> None:
    rows = []
    for n, (indicator_id, ind) in enumerate(catalogue.items()):
        rate = ind["unit_vi"] == "%" or ind["measure"] == "rate"
        if indicator_id.startswith("economic_structure."):
            target = SHARES[indicator_id.split(".")[1]]
        else:
            target = round(5 + (n % 7) * 1.5, 1) if rate else float(200 + 150 * (n % 9))
        down = ind["direction"] == "down"
        step = -1 if down else 1
        last_year = round(target * (1 - 0.06 * step), 1)
        estimate = round(target * (1 + 0.02 * step * (1 if n % 3 else -1)), 1)

        def row(year, period, kind, value, pct="", indicator_id=indicator_id):
            return [indicator_id, AREA, year, period, kind, value, "", "", "exact", pct, "", SOURCE,
                    "Số liệu mẫu, không phải số liệu thật", "demo"]

        rows += [row(2023, "FY", "actual", last_year), row(2024, "FY", "target", target),
                 row(2024, "FY", "estimate", estimate), row(2025, "FY", "target", round(target * (1 + 0.05 * step), 1))]
        if ind["measure"] == "flow":
            half = round(target * (0.42 + 0.03 * (n % 5)), 1)
            rows.append(row(2024, "H1", "actual", half, round(100 * half / target, 1)))
        else:
            rows.append(row(2024, "H1", "actual", round((target + last_year) / 2, 1)))
    write("observations/15_KH-UBND_2024.csv",
          ["indicator_id", "area_id", "year", "period", "kind", "value", "low", "high", "qualifier", "pct_of_plan",
           "yoy_pct", "source", "note", "section"], rows)


def border_plan() -> None:
    write("areas.csv", ["area_id", "parent_id", "level", "name_vi", "name_en", "border", "note"], [
        [AREA, "", "province", "Tỉnh Mẫu", "Sample Province", "true", "Tỉnh giả định cho kiểm thử"],
        [f"{AREA}.dong", AREA, "district", "Huyện Đông Mẫu", "Dong Mau District", "true", "Giả định"],
        [f"{AREA}.tay", AREA, "district", "Huyện Tây Mẫu", "Tay Mau District", "false", "Giả định"],
    ])
    write("plans.csv", ["plan_id", "number", "issued_on", "issuer_vi", "signer", "title_vi", "title_en", "implements",
                        "report_deadline_month", "report_deadline_day", "summary_month", "summary_to_vi", "area_id",
                        "compiler_agency_id", "time_zone"], [
        ["15/KH-UBND", "15/KH-UBND", "2024-01-05", "UBND tỉnh Mẫu", "Nguyễn Văn Mẫu",
         "KẾ HOẠCH PHÁT TRIỂN KINH TẾ KHU VỰC BIÊN GIỚI TỈNH MẪU (DỮ LIỆU MẪU)",
         "Border-area economic development plan of Sample Province (sample data)", "Kế hoạch mẫu", "10", "20", "12",
         "UBND tỉnh", AREA, "stc", "Asia/Ho_Chi_Minh"],
    ])
    agencies = [("stc", "Sở Tài chính Mẫu", "Sample Department of Finance", "so"),
                ("sct", "Sở Công Thương Mẫu", "Sample Department of Industry and Trade", "so"),
                ("ubnd_dong", "UBND huyện Đông Mẫu", "People's Committee of Dong Mau District", "ubnd_huyen")]
    write("agencies.csv", ["agency_id", "plan_item", "name_vi", "name_en", "agency_type"],
          [[a, str(i + 1), vi, en, kind] for i, (a, vi, en, kind) in enumerate(agencies)])
    items = [("purpose", "purpose", 1, "Mục đích mẫu của kế hoạch.", "Sample purpose of the plan.", "I.1"),
             ("goal", "goal_1", 1, "Mục tiêu mẫu: tăng thu nhập khu vực biên giới.", "Sample goal: raise border-area incomes.", "II.1"),
             ("focus_task", "ft1", 1, "Nhiệm vụ trọng tâm mẫu thứ nhất.", "First sample focus task.", "III.1"),
             ("focus_task", "ft2", 2, "Nhiệm vụ trọng tâm mẫu thứ hai.", "Second sample focus task.", "III.2"),
             ("reporting", "report_rule", 1,
              "Các cơ quan báo cáo trước ngày 20 tháng 10 hằng năm gửi Sở Tài chính Mẫu để tổng hợp.",
              "Agencies report before 20 October each year to the Sample Department of Finance, which compiles them.", "IV.1")]
    write("plan_items.csv", ["plan_id", "item_type", "item_id", "seq", "text_vi", "text_en", "section"],
          [["15/KH-UBND", *item] for item in items])
    tasks = [("stc.1", "stc", 1, "ft1"), ("stc.2", "stc", 2, "ft2"), ("sct.1", "sct", 1, "ft1"),
             ("ubnd_dong.1", "ubnd_dong", 1, "ft2")]
    write("tasks.csv", ["task_id", "plan_id", "agency_id", "seq", "focus_task_id", "text_vi", "text_en", "section"],
          [[tid, "15/KH-UBND", a, s, ft, f"Nhiệm vụ mẫu {tid}.", f"Sample task {tid}.", "III"] for tid, a, s, ft in tasks])
    write("task_reports.csv", ["task_id", "agency_id", "year", "status", "summary", "reported_on"], [
        ["stc.1", "stc", 2024, "done", "Đã hoàn thành (mẫu).", "2024-10-01"],
        ["stc.2", "stc", 2024, "in_progress", "Đang thực hiện (mẫu).", "2024-10-01"],
        ["sct.1", "sct", 2024, "not_started", "Chưa triển khai (mẫu).", "2024-10-28"],
    ])


if __name__ == "__main__":
    figures(catalogue())
    border_plan()
