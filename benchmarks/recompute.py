"""Recompute benchmark, run in a child process per database so its peak RSS is its own.

Order matters: the first recompute runs on the database as generated (never analysed: the
state of a real deployment after imports), then the bare `SUM … GROUP BY unit` and the
best of N analysed recomputes, each forced by noting one unit's scores changed (its
per-criterion aggregates are rebuilt inside the run) and keeping the previous snapshot so
the join to it is included, then an unchanged tick, and (for information) the set-based
rebuild of the whole period's aggregates that bulk writers run once."""

from __future__ import annotations

import time

from sqlalchemy import text

from benchmarks.common import peak_rss_mb

BARE_SQL = """
SELECT s.unit_id, SUM(b.points) FROM board_score b JOIN score_sheet s ON s.id = b.sheet_id
WHERE s.period_id = :period AND s.status = 'SUBMITTED' GROUP BY s.unit_id
"""


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _rss_mb() -> int:
    """Peak RSS of this process image. Not getrusage's ru_maxrss: Linux carries the parent's
    peak across fork and exec, so a child of the generator reported the generator's."""
    return peak_rss_mb()


def measure(url: str, runs: int) -> dict:
    """Timings (seconds), counts and this process's peak RSS (MB)."""
    from benchmarks.common import bench_app
    from emulation.campaigns.models import Period
    from emulation.extensions import db
    from emulation.leaderboards.criterion_results import rebuild_criterion_results
    from emulation.leaderboards.inputs import note_scores_changed
    from emulation.leaderboards.recompute import inputs_hash, recompute_period

    app = bench_app(url)
    with app.app_context():
        session = db.session
        period = session.query(Period).filter_by(code="bench").one()
        baseline = _rss_mb()
        was_analysed = _analysed(session)

        def full():
            snapshot = recompute_period(session, period)
            session.commit()
            assert snapshot is not None and snapshot.unit_count > 0

        def bare():
            session.execute(text(BARE_SQL), {"period": period.id}).all()
            session.rollback()

        never = _timed(full)  # includes the ANALYZE the recompute runs when stats are missing
        bare()  # warm the page cache for both
        bare_times = [_timed(bare) for _ in range(runs)]
        full_times = []
        changed = session.scalar(text("SELECT MIN(unit_id) FROM score_sheet"))
        for _ in range(runs):
            # Untimed: one unit's scores changed (its aggregates are rebuilt in the run).
            note_scores_changed(session, period.id, [changed])
            session.commit()
            full_times.append(_timed(full))

        def rebuild():
            rebuild_criterion_results(session, period.id)
            session.commit()

        rebuilt = _timed(rebuild)  # what a bulk writer pays once (not part of a recompute)
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
        "was_analysed": was_analysed,
        "never_analysed": never,
        "bare": min(bare_times),
        "full": min(full_times),
        "full_all": full_times,
        "unchanged": unchanged,
        "rebuild": rebuilt,
        "hash": hash_time,
        "baseline_rss_mb": baseline,
        "peak_rss_mb": _rss_mb(),
        "board_scores": counts[0],
        "self_scores": counts[1],
        "standings": counts[2],
        "units": counts[3],
    }


def _analysed(session) -> bool:
    if session.get_bind().dialect.name == "postgresql":
        return bool(
            session.scalar(
                text(
                    "SELECT COALESCE(last_analyze, last_autoanalyze) IS NOT NULL "
                    "FROM pg_stat_user_tables WHERE relname = 'board_score'"
                )
            )
        )
    if not session.scalar(text("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")):
        return False
    # Recording the roster analyses roster_entry alone: the score tables are what count.
    return bool(
        session.scalar(
            text(
                "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl IN ('board_score', 'criterion_result')"
            )
        )
    )
