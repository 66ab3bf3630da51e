"""Benchmark databases: a pristine scale set per database and size (generated once, never
analysed), copied afresh for every run so each run starts from the state of a real
deployment after its imports."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("BENCH_DIR", "/tmp/emulation-bench"))
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
# Score tables generated with autovacuum off, so a copy stays "never analysed" until the
# code under test analyses it.
# Database names: a prefix of its own per checkout, so parallel runs never share a database.
PG_PREFIX = os.environ.get("BENCH_PG_PREFIX", "emulation_bench")
NO_AUTOVACUUM = ("board_score", "score_sheet", "self_score", "self_assessment", "unit")


def bench_app(url: str):
    from emulation import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})


def schema_tag() -> str:
    """Changes when the models change, so an old pristine set is not reused."""
    from emulation.extensions import db
    from emulation.models import __all__  # noqa: F401  (registers every table)

    shape = sorted((t.name, tuple(c.name for c in t.columns)) for t in db.metadata.tables.values())
    return hashlib.sha256(repr(shape).encode()).hexdigest()[:8]


def pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def pg_available() -> bool:
    try:
        engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def _admin(sql: str) -> None:
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def _pg_exists(name: str) -> bool:
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        found = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
    engine.dispose()
    return bool(found)


def _provinces_for(units: int | None) -> int:
    """Enough provinces of the 2021 list for `units` wards (about 160 each); 0 = all."""
    return 0 if units is None else max(2, units // 100)


def _generate(url: str, units: int | None, echo) -> float:
    """Create the schema and the scale set at `url`; returns the seconds it took."""
    from benchmarks.generate import generate
    from emulation.extensions import db

    app = bench_app(url)
    with app.app_context():
        db.create_all()
        if url.startswith("postgresql"):
            for table in NO_AUTOVACUUM:
                db.session.execute(text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
            db.session.commit()
        started = time.perf_counter()
        generate(db.session, echo=echo, units=units, provinces=_provinces_for(units))
        seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    return seconds


def prepare(
    kind: str, units: int | None, regenerate: bool, echo=lambda _m: None
) -> tuple[str, dict]:
    """A fresh working copy of the pristine set; returns its URL and the generation facts."""
    tag = f"{units or 'full'}_{schema_tag()}"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    facts_file = BENCH_DIR / f"{kind}_{tag}.json"
    if kind == "sqlite":
        pristine = BENCH_DIR / f"pristine_{tag}.sqlite"
        if regenerate or not pristine.exists() or not facts_file.exists():
            pristine.unlink(missing_ok=True)
            seconds = _generate(f"sqlite:///{pristine}", units, echo)
            facts_file.write_text(json.dumps({"generate_s": seconds, "at": time.time()}))
        work = BENCH_DIR / "work.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(pristine, work)
        return f"sqlite:///{work}", json.loads(facts_file.read_text())
    pristine = f"{PG_PREFIX}_pristine_{tag}"
    if regenerate or not _pg_exists(pristine) or not facts_file.exists():
        _admin(f'DROP DATABASE IF EXISTS "{pristine}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{pristine}"')
        seconds = _generate(pg_url(pristine), units, echo)
        facts_file.write_text(json.dumps({"generate_s": seconds, "at": time.time()}))
    _admin(f'DROP DATABASE IF EXISTS "{PG_PREFIX}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{PG_PREFIX}" TEMPLATE "{pristine}"')
    return pg_url(PG_PREFIX), json.loads(facts_file.read_text())


def machine() -> dict:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load": load,
    }


def peak_rss_mb() -> int:
    """VmHWM of /proc/self/status: the peak resident set of the current process image."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
