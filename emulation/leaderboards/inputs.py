"""What the recompute needs beyond the score rows: a counter of score changes per period
(so the inputs hash sees a score edited in place) and fresh query-planner statistics.

Other features call `note_scores_changed(session, period_id)` in the transaction that saves,
deletes or restores any board or self score; bulk loaders call `refresh_statistics`."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from emulation.leaderboards.criterion_results import forget_sources
from emulation.leaderboards.models import ScoreRevision

log = logging.getLogger(__name__)


def note_scores_changed(
    session: Session, period_id: int, unit_ids: Iterable[int] | None = None
) -> None:
    """Record that a score of the period changed (saved, deleted, restored); call it in the
    same transaction as the change, last, so the next tick recomputes the period.

    `unit_ids` names the units whose scores changed; without it every unit's aggregated
    results (`criterion_results.py`) are rebuilt at the next recompute. A change through a
    sheet (submit, reopen, a new or deleted sheet) is seen without a note."""
    forget_sources(session, period_id, unit_ids)
    session.execute(
        text(
            "INSERT INTO score_revision (period_id, revision) VALUES (:period_id, 1) "
            "ON CONFLICT (period_id) DO UPDATE SET revision = score_revision.revision + 1"
        ),
        {"period_id": period_id},
    )


def refresh_statistics(session: Session, tables: tuple[str, ...] | None = None) -> None:
    """Update the query planner's statistics; run after bulk loads (imports, the demo load).

    Without them SQLite plans the recompute's joins as nested loops (53–113 s instead of
    about 1 s at 10,051 units) and PostgreSQL misestimates every step. With `tables`, only
    those (SQLite: sampled, `analysis_limit`), as the recompute does for itself."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"ANALYZE {', '.join(tables or PLANNED_TABLES)}"))
    elif tables is None:
        session.execute(text("ANALYZE"))
    else:
        session.execute(text(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}"))
        for table in tables:
            session.execute(text(f"ANALYZE {table}"))
        session.execute(text("PRAGMA analysis_limit = 0"))


# Tables whose row counts decide the recompute's plan, and the growth that makes their
# statistics stale (SQLite keeps no modification counter, PostgreSQL's autovacuum may lag).
PLANNED_TABLES = ("board_score", "score_sheet", "unit", "standing", "criterion_result")
# What the recompute itself reads (not board_score: `criterion_result` holds it aggregated).
RECOMPUTE_TABLES = ("criterion_result", "score_sheet", "roster_entry", "standing")
SQLITE_ANALYSIS_LIMIT = 1000
STALE_GROWTH = 10


def ensure_statistics(session: Session) -> None:
    """ANALYZE the tables the recompute reads when `criterion_result` was never analysed or
    has grown tenfold since: a database filled by imports has no statistics otherwise."""
    if _table_stale(session, "criterion_result"):
        log.info("planner statistics missing or stale: ANALYZE before the recompute")
        refresh_statistics(session, RECOMPUTE_TABLES)


def ensure_score_statistics(session: Session) -> None:
    """ANALYZE `board_score` when it has no statistics (or grew tenfold), before keeping
    `criterion_result` fresh: that reads the changed units' scores through the (sheet,
    criterion) index, which PostgreSQL without statistics skips for a scan of all 2 M rows
    (0.28 s of every recompute at 10,051 units; the ANALYZE costs 0.13 s once)."""
    if _table_stale(session, "board_score"):
        log.info("planner statistics of board_score missing or stale: ANALYZE")
        refresh_statistics(session, ("board_score",))


def _table_stale(session: Session, table: str) -> bool:
    if session.get_bind().dialect.name == "postgresql":
        row = session.execute(
            text(
                "SELECT COALESCE(last_analyze, last_autoanalyze) IS NULL, n_mod_since_analyze, "
                "c.reltuples FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
                "WHERE s.relname = :table"
            ),
            {"table": table},
        ).first()
        if row is None:
            return False
        never, modified, tuples = row
        return bool(never) or modified > max(1000, STALE_GROWTH * max(tuples, 0))
    has_stats = session.scalar(
        text("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    )
    known = None
    if has_stats:
        stat = session.scalar(
            text("SELECT stat FROM sqlite_stat1 WHERE tbl = :table LIMIT 1"), {"table": table}
        )
        known = int(stat.split()[0]) if stat else None
    rows = session.scalar(text(f"SELECT COALESCE(MAX(rowid), 0) FROM {table}"))
    if known is None:
        return rows > 1000
    return rows > max(1000, STALE_GROWTH * known)


def score_revision(session: Session, period_id: int) -> int:
    """How many score changes of the period have been noted (0 before the first)."""
    found = session.scalar(
        select(ScoreRevision.revision).where(ScoreRevision.period_id == period_id)
    )
    return found or 0
