"""Exports and the demo load, each timed in a child process of its own."""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.common import BENCH_DIR, bench_app, peak_rss_mb


def measure_exports(url: str) -> dict:
    """The national board as XLSX and CSV: the first request builds the file, the next is
    served from the render cache (one build per snapshot and language)."""
    app = bench_app(url)
    client = app.test_client()
    results = {}
    for fmt in ("xlsx", "csv"):
        path = f"/bang-xep-hang/bench/xuat.{fmt}"
        started, cpu = time.perf_counter(), time.process_time()
        first = client.get(path)
        cold, cold_cpu = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        again = client.get(path)
        warm = time.perf_counter() - started
        assert first.status_code == again.status_code == 200, first.status_code
        assert first.get_data() == again.get_data()
        results[fmt] = {
            "cold_s": cold,
            "cold_cpu_s": cold_cpu,
            "warm_s": warm,
            "bytes": len(first.get_data()),
        }
    return results


def measure_demo_load(provinces: int) -> dict:
    """`flask demo load` on an empty SQLite database (schema created first, untimed)."""
    from emulation.demo import load_demo
    from emulation.extensions import db

    path = BENCH_DIR / "demo.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    app = bench_app(f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        load_demo(db.session, legacy=False, provinces=provinces, seed=2021, echo=lambda _m: None)
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "provinces": provinces,
        "peak_rss_mb": peak_rss_mb(),
    }
