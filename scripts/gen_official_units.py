"""Regenerate emulation/data/units_*.csv from the PyPI package `vietnam-provinces`.

The package is GPL-3.0-or-later, so it is only a `demo` extra and only this script imports
it; the CSV files it writes hold just the official facts (code, name, kind, parent code).

    pip install vietnam-provinces==2025.10.1 && python scripts/gen_official_units.py 2025
    pip install vietnam-provinces==0.6.0     && python scripts/gen_official_units.py 2021
"""

from __future__ import annotations

import csv
import json
import sys
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "emulation" / "data"
MINISTRY = ("BCA", "Bộ Công an", "ministry", "")

PROVINCE_KIND = {"tỉnh": "province", "thành phố trung ương": "city"}
WARD_KIND = {"xã": "commune", "phường": "ward", "đặc khu": "special_zone"}
PREFIX_KIND = {"Xã": "commune", "Phường": "ward", "Thị trấn": "township", "Đặc khu": "special_zone"}


def _kind_from_name(name: str) -> str:
    for prefix, kind in PREFIX_KIND.items():
        if name.startswith(prefix + " "):
            return kind
    raise ValueError(f"unknown division prefix: {name}")


def _nested() -> list[dict]:
    data = resources.files("vietnam_provinces").joinpath("data/nested-divisions.json")
    return json.loads(data.read_text("utf-8"))


def rows_2025() -> list[tuple[str, str, str, str]]:
    rows = [MINISTRY]
    for province in _nested():
        pcode = f"{province['code']:02d}"
        rows.append((pcode, province["name"], PROVINCE_KIND[province["division_type"]], "BCA"))
        for ward in province["wards"]:
            kind = WARD_KIND[ward["division_type"]]
            rows.append((f"{ward['code']:05d}", ward["name"], kind, pcode))
    return rows


def rows_2021() -> list[tuple[str, str, str, str]]:
    rows = [MINISTRY]
    for province in _nested():
        pcode = f"{province['code']:02d}"
        kind = "city" if province["name"].startswith("Thành phố") else "province"
        rows.append((pcode, province["name"], kind, "BCA"))
        for district in province["districts"]:
            dcode = f"{district['code']:03d}"
            rows.append((dcode, district["name"], "district", pcode))
            for ward in district["wards"]:
                rows.append(
                    (f"{ward['code']:05d}", ward["name"], _kind_from_name(ward["name"]), dcode)
                )
    return rows


def main(which: str) -> None:
    rows = rows_2025() if which == "2025" else rows_2021()
    target = OUT / f"units_{which}.csv"
    with target.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["code", "name", "kind", "parent_code"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "2025")
