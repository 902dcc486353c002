"""Write `data/areas.csv` from maintained packages instead of typed lists.

- `vietnamadminunits` (MIT): the 63 provinces before 1/7/2025 and the 34
  after, with their statistics codes; the home province's districts and
  communes before 1/7/2025, its communes and wards after, and the 2025
  old → new mapping of provinces and communes.
- `pycountry` (LGPL-2.1): ISO 3166-2 codes of the 63 provinces (area ids).

The home province is the `area_id` of `data/plans.csv` (data, not code). Its
row comes first, so readers that take the first province find it. Border
flags already set on the home province's old communes and districts in the
current file are kept; the old communes named in `data/border_communes.csv`
(each with its source) are flagged, and so are the new communes that contain
one of them. Run: `python3 scripts/make_areas.py` (then `loaders build`)."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pycountry
import vietnamadminunits

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PACKAGE_DATA = Path(vietnamadminunits.__file__).parent / "data"

LAST_DAY_OLD, FIRST_DAY_NEW = "2025-06-30", "2025-07-01"
PROVINCES_2025 = "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh"
TWO_LEVELS = "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 (cấp huyện kết thúc hoạt động từ 01/7/2025)"
COMMUNES_2025 = "Nghị quyết số {number} ngày 16/6/2025 của UBTVQH về sắp xếp các đơn vị hành chính cấp xã của tỉnh {name} năm 2025"
# The commune resolution is per province; only the home province's is cited.
COMMUNE_RESOLUTIONS = {"20": "1672/NQ-UBTVQH15"}
PACKAGE_NOTE = "vietnamadminunits 1.0.4"
COLUMNS = ["area_id", "parent_id", "level", "name_vi", "name_en", "border", "code",
           "valid_from", "valid_to", "successor_ids", "legal_source", "note"]
PREFIX = {"Xã": "xa", "Phường": "phuong", "Thị trấn": "tt", "Đặc khu": "dk"}


def fold(text: str) -> str:
    """Lower-case ASCII letters only: "Thừa Thiên-Huế" → "thuathienhue"."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return re.sub(r"[^a-z]", "", "".join(c for c in text if not unicodedata.combining(c)).lower())


def ascii_name(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", ascii_name(text).lower()).strip("_")


def query(sql: str) -> pd.DataFrame:
    with sqlite3.connect(PACKAGE_DATA / "dataset.db") as conn:
        return pd.read_sql_query(sql, conn)


def iso_codes() -> dict[str, str]:
    """Folded province name → ISO 3166-2 code (names in ISO end with the
    short name the package uses: "thuathienhue" ends with "hue")."""
    return {fold(s.name): s.code for s in pycountry.subdivisions.get(country_code="VN")}


def province_rows(home_code: str, converter: dict) -> list[dict]:
    """The 63 provinces and the 34 (the home province first)."""
    iso = iso_codes()
    old = query("SELECT DISTINCT provinceKey, provinceShort, provinceCode FROM admin_units_legacy")
    new = query("SELECT DISTINCT provinceKey, provinceShort, provinceCode FROM admin_units")
    old_ids = {}
    for row in old.itertuples():
        matches = [code for name, code in iso.items() if name.endswith(fold(row.provinceShort))]
        if len(matches) != 1:
            sys.exit(f"no single ISO 3166-2 code for {row.provinceShort}: {matches}")
        old_ids[row.provinceKey] = matches[0]
    merged_into = {o: n for n, olds in converter["DICT_PROVINCE"].items() for o in olds}
    unchanged = {n for n, olds in converter["DICT_PROVINCE"].items() if olds == [n]}
    # A province formed by merging has no ISO code yet: its statistics code names it.
    new_ids = {r.provinceKey: old_ids[r.provinceKey] if r.provinceKey in unchanged else f"VN-GSO-{r.provinceCode}"
               for r in new.itertuples()}
    rows = []
    for row in old.itertuples():
        keeps = row.provinceKey in unchanged
        rows.append(dict(
            area_id=old_ids[row.provinceKey], level="province", name_vi=row.provinceShort,
            name_en=ascii_name(row.provinceShort), code=row.provinceCode,
            valid_to="" if keeps else LAST_DAY_OLD,
            successor_ids="" if keeps else new_ids[merged_into[row.provinceKey]],
            legal_source=PROVINCES_2025 if not keeps else "",
            note="Giữ nguyên địa giới khi sắp xếp năm 2025" if keeps else "",
        ))
    for row in new.itertuples():
        if row.provinceKey in unchanged:
            continue
        olds = ", ".join(old.set_index("provinceKey").loc[k, "provinceShort"] for k in converter["DICT_PROVINCE"][row.provinceKey])
        rows.append(dict(
            area_id=new_ids[row.provinceKey], level="province", name_vi=row.provinceShort,
            name_en=ascii_name(row.provinceShort), code=row.provinceCode, valid_from=FIRST_DAY_NEW,
            legal_source=PROVINCES_2025, note=f"Hợp nhất từ: {olds}",
        ))
    rows.sort(key=lambda r: (r["code"] != home_code, r["valid_from"] if "valid_from" in r else "", r["code"]))
    return rows


def home_rows(home_id: str, home: pd.Series, converter: dict) -> list[dict]:
    """The home province's districts and communes until 30/6/2025, its
    communes and wards from 1/7/2025, linked through the package's mapping."""
    home_key, home_code = home["provinceKey"], home["provinceCode"]
    old = query(f"SELECT districtShort, districtType, districtCode, districtKey, ward, wardShort, wardType, wardCode, wardKey "
                f"FROM admin_units_legacy WHERE provinceKey = '{home_key}'")
    new = query(f"SELECT ward, wardShort, wardType, wardCode, wardKey FROM admin_units WHERE provinceKey = '{home_key}'")
    new_id = {r.wardKey: f"{home_id}.{PREFIX[r.wardType]}_{slug(r.wardShort)}" for r in new.itertuples()}
    district_id = {r.districtKey: f"{home_id}.{slug(r.districtShort)}" for r in old.itertuples()}
    old_id = {(r.districtKey, r.wardKey): f"{district_id[r.districtKey]}.{PREFIX[r.wardType]}_{slug(r.wardShort)}"
              for r in old.itertuples()}
    # old commune → new communes: whole ("no divided") or split between several.
    successors: dict[str, list[str]] = {}
    for new_key, olds in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(home_key, {}).items():
        for key in olds:
            successors.setdefault(key, []).append(new_id[new_key])
    for key, news in converter["DICT_PROVINCE_WARD_DIVIDED"].get(home_key, {}).items():
        successors.setdefault(key, []).extend(new_id[w["newWardKey"]] for w in news if new_id[w["newWardKey"]] not in successors.get(key, []))
    communes_law = COMMUNES_2025.format(number=COMMUNE_RESOLUTIONS.get(home_code, "(chưa ghi)"), name=home["provinceShort"])
    rows = []
    for key, frame in old.groupby("districtKey", sort=False):
        first = frame.iloc[0]
        followers = sorted({s for r in frame.itertuples() for s in successors[f"{home_key}_{key}_{r.wardKey}"]})
        rows.append(dict(
            area_id=district_id[key], parent_id=home_id, level="district", name_vi=first.districtShort,
            name_en=ascii_name(first.districtShort), code=first.districtCode, valid_to=LAST_DAY_OLD,
            successor_ids=";".join(followers), legal_source=TWO_LEVELS, note=first.districtType,
        ))
        for r in frame.itertuples():
            followers = successors[f"{home_key}_{key}_{r.wardKey}"]
            rows.append(dict(
                area_id=old_id[(key, r.wardKey)], parent_id=district_id[key], level="commune", name_vi=r.ward,
                name_en=ascii_name(r.ward), code=r.wardCode, valid_to=LAST_DAY_OLD, successor_ids=";".join(followers),
                legal_source=communes_law, note="tách cho nhiều xã mới; tỉ lệ không rõ" if len(followers) > 1 else "",
            ))
    for r in new.itertuples():
        rows.append(dict(
            area_id=new_id[r.wardKey], parent_id=home_id, level="commune", name_vi=r.ward, name_en=ascii_name(r.ward),
            code=r.wardCode, valid_from=FIRST_DAY_NEW, legal_source=communes_law,
        ))
    return rows


def build(data: Path = DATA) -> pd.DataFrame:
    """The areas table as `data/areas.csv` should hold it (text cells)."""
    plans = pd.read_csv(data / "plans.csv", dtype=str, keep_default_na=False)
    home_id = plans["area_id"].iloc[0]
    converter = json.loads((PACKAGE_DATA / "converter_2025.json").read_text(encoding="utf-8"))
    legacy = query("SELECT DISTINCT provinceKey, provinceShort, provinceCode FROM admin_units_legacy")
    iso = iso_codes()
    home = legacy[[iso.get(next((n for n in iso if n.endswith(fold(s))), "")) == home_id for s in legacy["provinceShort"]]]
    if len(home) != 1:
        sys.exit(f"the home area {home_id} of data/plans.csv is not one of the package's provinces")
    home = home.iloc[0]
    rows = province_rows(home["provinceCode"], converter) + home_rows(home_id, home, converter)
    frame = pd.DataFrame(rows).reindex(columns=COLUMNS).astype(object).fillna("")
    frame["border"] = "false"

    # Flags on provinces and districts are kept from the current file (the
    # plan's scope names the border districts). Commune flags come only from
    # the cited list, so removing a row there unflags the commune and its heirs.
    current = pd.read_csv(data / "areas.csv", dtype=str, keep_default_na=False)
    kept = current[(current["border"].str.lower() == "true") & (current["level"] != "commune")]
    flagged = set(kept["area_id"]) | {home_id}
    notes = dict(zip(current["area_id"], current.get("note", ""), strict=True))
    frame.loc[frame["area_id"].isin(flagged), "border"] = "true"
    for area_id in flagged & set(frame["area_id"]):
        if notes.get(area_id):
            frame.loc[frame["area_id"] == area_id, "note"] = notes[area_id]
    flag_border_communes(frame, data)
    return frame


def flag_border_communes(frame: pd.DataFrame, data: Path) -> None:
    """Flag the old communes of `border_communes.csv` and the new communes
    that took in one of them (the note names which, so a reader can follow)."""
    path = data / "border_communes.csv"
    if not path.exists():
        return
    listed = pd.read_csv(path, dtype=str, keep_default_na=False)
    old = frame[(frame["level"] == "commune") & frame["valid_to"].ne("")].set_index("area_id")
    unknown = sorted(set(listed["area_id"]) - set(old.index))
    if unknown:
        sys.exit(f"{path.name}: not an old commune of the home province: {', '.join(unknown)}")
    unsourced = listed.loc[listed["source"].str.strip() == "", "area_id"].tolist()
    if unsourced:
        sys.exit(f"{path.name}: a border commune needs its source: {', '.join(unsourced)}")
    frame.loc[frame["area_id"].isin(listed["area_id"]), "border"] = "true"
    for area_id in listed["area_id"]:
        note = "; ".join(n for n in (old.loc[area_id, "note"], f"xã, thị trấn biên giới (nguồn: {path.name})") if n)
        frame.loc[frame["area_id"] == area_id, "note"] = note
    taken_in: dict[str, list[str]] = {}
    for area_id in old.index[old.index.isin(listed["area_id"])]:  # in the package's order (by code)
        for heir in filter(None, old.loc[area_id, "successor_ids"].split(";")):
            taken_in.setdefault(heir, []).append(old.loc[area_id, "name_vi"])
    for heir, names in taken_in.items():
        frame.loc[frame["area_id"] == heir, ["border", "note"]] = ["true", "gồm địa bàn biên giới của: " + ", ".join(names)]


def main() -> None:
    frame = build()
    frame.to_csv(DATA / "areas.csv", index=False)
    print(f"{len(frame)} areas written to data/areas.csv ({PACKAGE_NOTE})")


if __name__ == "__main__":
    main()
