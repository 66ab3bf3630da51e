"""The board's scores aggregated once per (period, unit, criterion): `criterion_result`.

The recompute reads these rows (about 500k at 10,051 units × 50 criteria) instead of every
scorer's score (2M): aggregating the score rows was half its time. They are derived data,
kept fresh without asking every writer to remember them:

- `sync_criterion_results` runs at the start of every recompute that writes a snapshot. It
  compares each unit's submitted sheets (count, version sum, id sum: a submit, reopen,
  new or deleted sheet moves one of them; every sheet update bumps `version`) with what the
  unit's rows were built from (`criterion_result_source`) and rebuilds the units that
  differ — so a sheet written by any path (services, imports, restores, tests) is seen.
- A score row edited without touching its sheet is invisible to that comparison: the
  writer calls `note_scores_changed(session, period_id, unit_ids)` (inputs.py), which
  marks the named units' sources stale (all of the period's when no unit is named).
- Bulk writers (the scale set, the demo load) call `rebuild_criterion_results` once after
  loading, so the first recompute does not pay for the whole period.

Every row holds exact integer statistics from which each aggregation method follows (see
`recompute_sql.AGG`), so changing the period's method needs no rebuild."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from emulation.leaderboards.models import CriterionResult, CriterionResultSource
from emulation.scoring.models import ScoreSheet, SheetStatus

CHUNK = 500  # units per statement of a partial rebuild (SQLite's bound-parameter limit)
FULL_SHARE = 4  # more than 1/4 of the units changed: rebuild the whole period at once

BUILD_SQL = """
INSERT INTO criterion_result (period_id, unit_id, criterion_id, n, psum, pmin, pmax, pmid,
                              m, msum, mmin, mmax, mmid, hits)
SELECT :period_id, unit_id, criterion_id, MAX(n), SUM(points), MIN(points), MAX(points),
       SUM(CASE WHEN prn IN ((n + 1) / 2, n / 2 + 1) THEN points ELSE 0 END),
       MAX(m), SUM(measured), MIN(measured), MAX(measured),
       SUM(CASE WHEN m > 0 AND mrn IN ((m + 1) / 2, m / 2 + 1) THEN measured ELSE 0 END),
       SUM(CASE WHEN measured <> 0 THEN 1 ELSE 0 END)
FROM (
    SELECT sh.unit_id, b.criterion_id, b.points, b.measured,
           ROW_NUMBER() OVER (PARTITION BY sh.unit_id, b.criterion_id ORDER BY b.points) AS prn,
           ROW_NUMBER() OVER (PARTITION BY sh.unit_id, b.criterion_id
                              ORDER BY CASE WHEN b.measured IS NULL THEN 1 ELSE 0 END,
                                       b.measured) AS mrn,
           COUNT(*) OVER (PARTITION BY sh.unit_id, b.criterion_id) AS n,
           COUNT(b.measured) OVER (PARTITION BY sh.unit_id, b.criterion_id) AS m
    FROM board_score b JOIN score_sheet sh ON sh.id = b.sheet_id
    WHERE sh.period_id = :period_id AND sh.status = :submitted{units}
) o
GROUP BY unit_id, criterion_id
"""

SOURCE_SQL = """
INSERT INTO criterion_result_source (period_id, unit_id, sheets, version_sum, id_sum)
SELECT :period_id, unit_id, COUNT(*), SUM(version), SUM(id) FROM score_sheet
WHERE period_id = :period_id AND status = :submitted GROUP BY unit_id
"""


def _submitted():
    return bindparam("submitted", SheetStatus.SUBMITTED, type_=ScoreSheet.__table__.c.status.type)


def rebuild_criterion_results(session: Session, period_id: int) -> None:
    """Rebuild every aggregate of the period from its submitted sheets (set-based; call it
    after bulk-loading score sheets, before the first recompute)."""
    session.flush()
    for table in (CriterionResult, CriterionResultSource):
        session.execute(delete(table).where(table.period_id == period_id))
    # The sources first: a sheet submitted meanwhile then looks changed at the next sync.
    source = text(SOURCE_SQL).bindparams(_submitted())
    session.execute(source, {"period_id": period_id})
    build = text(BUILD_SQL.format(units="")).bindparams(_submitted())
    session.execute(build, {"period_id": period_id})


def _rebuild_units(session: Session, period_id: int, current: dict, unit_ids: list[int]) -> None:
    build = text(BUILD_SQL.format(units=" AND sh.unit_id IN :units")).bindparams(
        _submitted(), bindparam("units", expanding=True)
    )
    for start in range(0, len(unit_ids), CHUNK):
        chunk = unit_ids[start : start + CHUNK]
        for table in (CriterionResult, CriterionResultSource):
            session.execute(
                delete(table).where(table.period_id == period_id, table.unit_id.in_(chunk))
            )
        rows = [
            {"period_id": period_id, "unit_id": u, "sheets": s, "version_sum": v, "id_sum": i}
            for u in chunk
            if u in current
            for s, v, i in (current[u],)
        ]
        if rows:
            session.execute(insert(CriterionResultSource), rows)
        session.execute(build, {"period_id": period_id, "units": chunk})


def sync_criterion_results(session: Session, period_id: int) -> int:
    """Rebuild the aggregates of every unit whose submitted sheets changed since they were
    built (or that `note_scores_changed` named); returns how many units were rebuilt."""
    session.flush()
    current = {
        unit_id: (sheets, int(versions), int(ids))
        for unit_id, sheets, versions, ids in session.execute(
            select(
                ScoreSheet.unit_id,
                func.count(),
                func.sum(ScoreSheet.version),
                func.sum(ScoreSheet.id),
            )
            .where(ScoreSheet.period_id == period_id, ScoreSheet.status == SheetStatus.SUBMITTED)
            .group_by(ScoreSheet.unit_id)
        )
    }
    S = CriterionResultSource
    stored = {
        unit_id: (sheets, int(versions), int(ids))
        for unit_id, sheets, versions, ids in session.execute(
            select(S.unit_id, S.sheets, S.version_sum, S.id_sum).where(S.period_id == period_id)
        )
    }
    changed = sorted(u for u in current.keys() | stored.keys() if current.get(u) != stored.get(u))
    if not changed:
        return 0
    if len(changed) * FULL_SHARE > max(len(current), 4 * CHUNK):
        rebuild_criterion_results(session, period_id)
    else:
        _rebuild_units(session, period_id, current, changed)
    return len(changed)


def forget_sources(session: Session, period_id: int, unit_ids: Iterable[int] | None) -> None:
    """Make the next sync rebuild these units (every unit of the period when None). The
    sources are marked, not deleted: a unit left without sheets must still lose its rows."""
    S = CriterionResultSource
    query = update(S).where(S.period_id == period_id).values(sheets=-1)
    if unit_ids is None:
        session.execute(query)
        return
    ids = sorted(set(unit_ids))
    for start in range(0, len(ids), CHUNK):
        session.execute(query.where(S.unit_id.in_(ids[start : start + CHUNK])))
