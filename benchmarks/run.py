"""`python -m benchmarks.run [--quick]`: every DESIGN.md performance figure in one run.

Full (`make bench`): the 10,051-unit scale set on SQLite and PostgreSQL; figures written
between the markers of docs/PERFORMANCE.md. Quick (`make bench-quick`, under a minute): a
few hundred units on SQLite only, short HTTP rounds, 20 board members saving for 4 s, a
500-row import, a one-province demo load; the report goes to $BENCH_DIR/quick.md. Both
modes, on each database: recompute, exports, score saves under concurrent board members
(benchmarks/saves.py), the XLSX import of the official unit list (benchmarks/imports.py);
the public pages on the last database; the demo load on SQLite. Not part of the test suite
(tests/benchmarks runs the quick mode at a tiny scale so the harness cannot rot, without
judging any figure)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from benchmarks import common, report

PORT = int(os.environ.get("BENCH_PORT", "5115"))


def _child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--child", *args],
        cwd=common.ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(args: list[str]) -> dict:
    kind = args[0]
    if kind == "recompute":
        from benchmarks.recompute import measure

        return measure(args[1], int(args[2]))
    if kind == "exports":
        from benchmarks.files import measure_exports

        return measure_exports(args[1])
    if kind == "demo":
        from benchmarks.files import measure_demo_load

        return measure_demo_load(int(args[1]))
    if kind == "saves-board":
        from benchmarks.saves import prepare_board

        return prepare_board(args[1], int(args[2]), int(args[3]))
    if kind == "import":
        from benchmarks.imports import measure_import

        return measure_import(args[1], int(args[2]) or None)
    raise SystemExit(f"unknown child {kind}")


def _unit_code(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as conn:
        code = conn.scalar(
            text(
                "SELECT u.code FROM standing s JOIN unit u ON u.id = s.unit_id "
                "WHERE s.snapshot_id = (SELECT MAX(id) FROM snapshot) ORDER BY s.rank LIMIT 1"
            )
        )
    engine.dispose()
    return code


def http_targets(url: str) -> dict:
    """{name: (path, headers, expected status)}; None stands for the page's own ETag."""
    page = "/bang-xep-hang/bench"
    return {
        "static": ("/static/css/app.css", {}, 200),
        "leaderboard": (page, {}, 200),
        "leaderboard 304": (page, {"If-None-Match": None}, 304),
        "unit": (f"/don-vi/{_unit_code(url)}", {}, 200),
        "api": ("/api/v1/periods/bench/leaderboard?per_page=100", {}, 200),
    }


def measure_http(url: str, seconds: float, rounds: int, conns: int) -> dict:
    from benchmarks.http import measure

    return measure(url, PORT, http_targets(url), seconds, rounds, conns)


def measure_saves(url: str, args, quick: bool) -> dict:
    """A board of concurrent members on the working copy (after its other measurements)."""
    from benchmarks.saves import measure

    members = args.save_members or (20 if quick else 50)
    job = _child("saves-board", url, str(members), "2")
    seconds = args.save_seconds or (4.0 if quick else 30.0)
    return measure(url, PORT, job, seconds, args.save_think, 0.1)


def _phase(kind: str, name: str, fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    print(f"{kind}: {name} done in {time.perf_counter() - started:.1f} s", flush=True)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs="+")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--units", type=int, help="competing units (default: all 10,051)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--sections",
        default="recompute,exports,http",
        help="comma-separated subset of recompute,exports,http (e.g. --sections recompute)",
    )
    parser.add_argument("--seconds", type=float, help="length of one HTTP measurement")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the pristine sets")
    parser.add_argument("--demo-provinces", type=int, help="-1 skips the demo load")
    parser.add_argument("--out", help="report file (default: docs/PERFORMANCE.md or quick.md)")
    parser.add_argument("--pg-prefix", help="name prefix of the PostgreSQL databases")
    parser.add_argument("--save-members", type=int, help="concurrent members (50; quick 20)")
    parser.add_argument("--save-seconds", type=float, help="length of the save run")
    parser.add_argument("--save-think", type=float, default=1.0, help="mean think time, s")
    parser.add_argument("--import-rows", type=int, help="rows of the import file (all)")
    args = parser.parse_args(argv)
    if args.pg_prefix:
        os.environ["BENCH_PG_PREFIX"] = common.PG_PREFIX = args.pg_prefix
    if args.child:
        print(json.dumps(child(args.child)))
        return
    quick = args.quick
    units = args.units or (300 if quick else None)
    runs, rounds = (1, 1) if quick else (3, 3)
    seconds = args.seconds or (2.0 if quick else 5.0)
    conns = 10 if quick else 20
    demo_provinces = args.demo_provinces if args.demo_provinces is not None else (1 if quick else 0)
    kinds = ["sqlite"] if quick else ["sqlite", "postgresql"]
    if args.only:
        kinds = [args.only]
    sections = set(args.sections.split(","))
    if "postgresql" in kinds and not common.pg_available():
        print("PostgreSQL not reachable: SQLite only")
        kinds.remove("postgresql")
    results: dict = {"machine": common.machine(), "started": datetime.now(UTC).isoformat()}
    results["quick"], results["units"], results["databases"] = quick, units, {}
    for kind in kinds:
        url, facts = _phase(kind, "prepare", common.prepare, kind, units, args.regenerate)
        data = _phase(kind, "recompute", _child, "recompute", url, str(runs))
        data["generate_s"] = facts["generate_s"]
        if "exports" in sections:
            data["exports"] = _phase(kind, "exports", _child, "exports", url)
        # pages on the last database (PostgreSQL when present)
        if kind == kinds[-1] and "http" in sections:
            results["http"] = _phase(kind, "http", measure_http, url, seconds, rounds, conns)
            results["http_database"] = kind
        data["saves"] = _phase(kind, "saves", measure_saves, url, args, quick)
        rows = args.import_rows if args.import_rows is not None else (500 if quick else 0)
        target = common.empty_database(kind, "import")
        data["import"] = _phase(kind, "import", _child, "import", target, str(rows))
        results["databases"][kind] = data
    if demo_provinces >= 0:
        results["demo"] = _phase("sqlite", "demo load", _child, "demo", str(demo_provinces))
    results["http_tool"] = __import__("benchmarks.http", fromlist=["load_tool"]).load_tool()
    results["finished"] = datetime.now(UTC).isoformat()
    out = args.out or str(
        common.BENCH_DIR / "quick.md" if quick else common.ROOT / "docs" / "PERFORMANCE.md"
    )
    report.write(results, out)
    (common.BENCH_DIR / ("quick.json" if quick else "full.json")).write_text(json.dumps(results))
    print(f"report: {out}")


if __name__ == "__main__":
    main()
