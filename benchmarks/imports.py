"""Import of the official unit list from XLSX: preview, then apply (the services behind
`flask units import` and the admin import page), on a database holding only the root.

The file is the 2021 list (10,811 units: the ministry, 63 provinces, 705 districts, 10,051
wards) in the official columns code, name, kind, parent_code, written with openpyxl as an
office suite would; `rows` keeps the first N rows (the quick run and its test)."""

from __future__ import annotations

import io
import time
from datetime import date

from benchmarks.common import bench_app


def official_xlsx(rows: int | None = None) -> tuple[bytes, int]:
    from openpyxl import Workbook

    from emulation.demo import read_official_units

    units = read_official_units(legacy=True)[:rows] if rows else read_official_units(True)
    book = Workbook()
    sheet = book.active
    sheet.title = "Đơn vị"
    sheet.append(["code", "name", "kind", "parent_code"])
    for unit in units:
        sheet.append([unit["code"], unit["name"], unit["kind"], unit["parent_code"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), len(units)


def measure_import(url: str, rows: int | None = None) -> dict:
    """Preview (read + plan) and apply (re-plan, write, audit, commit, statistics), timed
    separately, as `flask units import FILE` then `--apply` do."""
    from sqlalchemy import select

    from emulation.extensions import db
    from emulation.leaderboards.inputs import refresh_statistics
    from emulation.org.models import Unit, UnitKind
    from emulation.org.sheets import parse_units
    from emulation.org.sync import apply_sync, plan_sync

    data, count = official_xlsx(rows)
    app = bench_app(url)
    with app.app_context(), app.test_request_context():
        db.create_all()
        session = db.session
        session.add(Unit(code="BCA", name="Bộ Công an", kind=UnitKind.MINISTRY, path="/BCA/"))
        session.commit()
        root = session.scalar(select(Unit).where(Unit.code == "BCA"))
        started, cpu = time.perf_counter(), time.process_time()
        sheet = parse_units("units.xlsx", data)
        parsed = time.perf_counter() - started
        plan = plan_sync(session, sheet=sheet, scope=root, allowed_paths=["/"])
        preview, preview_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert not plan.errors, plan.errors[:3]
        started, cpu = time.perf_counter(), time.process_time()
        apply_sync(
            session,
            sheet=sheet,
            scope=root,
            allowed_paths=["/"],
            expected_fingerprint=plan.fingerprint(),
            actor=None,
            today=date.today(),
            source={"file": "units.xlsx", "benchmark": True},
        )
        session.commit()
        refresh_statistics(session)
        session.commit()
        apply, apply_cpu = time.perf_counter() - started, time.process_time() - cpu
        stored = session.scalar(select(db.func.count()).select_from(Unit))
        db.session.remove()
        db.engine.dispose()
    return {
        "rows": count,
        "bytes": len(data),
        "read_s": parsed,
        "preview_s": preview,
        "preview_cpu_s": preview_cpu,
        "apply_s": apply,
        "apply_cpu_s": apply_cpu,
        "units": stored,
        "changes": plan.change_count,
    }
