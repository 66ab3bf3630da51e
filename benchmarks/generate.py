"""The DESIGN.md scale set: 10,051 wards (2021 list) × 50 criteria × (1 self + 4 board).

About 2.5 M score rows: 10,051 × 50 self scores plus 10,051 × 4 × 50 board scores, written
with PostgreSQL `COPY` or SQLite's `executemany` in large batches straight on the driver
(no ORM, no per-row dict). Points are random but plausible and full of ties. `units=N`
keeps the first N units only and `provinces=N` loads the first N provinces only (the
quick benchmark and its test)."""

from __future__ import annotations

import random
import time
from datetime import date

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from emulation.accounts.models import User
from emulation.assessments.models import AssessmentStatus, SelfAssessment, SelfScore
from emulation.campaigns.models import Campaign, Criterion, CriterionKind, Period, PeriodKind
from emulation.campaigns.models import PeriodStatus as PS
from emulation.db import utcnow
from emulation.demo import load_clusters, load_units
from emulation.leaderboards.criterion_results import rebuild_criterion_results
from emulation.leaderboards.roster import record_roster
from emulation.scoring.models import BoardScore, ScoreSheet, SheetStatus

K = CriterionKind
BOARD_SCORERS = 4
BATCH = 50_000
# 5 base groups × 8 criteria, 5 bonus, 4 penalty, 1 veto = 50 criteria.
GROUPS = [("1", 2000), ("2", 2000), ("3", 2000), ("4", 2500), ("5", 1500)]


def _criteria(session: Session, period: Period) -> list[Criterion]:
    leaves = []
    position = 0
    for code, cap in GROUPS:
        group = Criterion(period=period, code=code, kind=K.GROUP, title_vi=code, max_points=cap)
        session.add(group)
        for i in range(1, 9):
            position += 1
            leaves.append(
                Criterion(
                    period=period,
                    parent=group,
                    code=f"{code}.{i}",
                    kind=K.DIRECT,
                    title_vi=f"{code}.{i}",
                    max_points=cap // 8 + 50,
                    position=position,
                )
            )
    for code, kind, cap, count in (("B", K.BONUS, 1000, 5), ("P", K.PENALTY, 4000, 4)):
        group = Criterion(period=period, code=code, kind=K.GROUP, title_vi=code, max_points=cap)
        for i in range(1, count + 1):
            leaves.append(
                Criterion(
                    period=period,
                    parent=group,
                    code=f"{code}{i}",
                    kind=kind,
                    title_vi=f"{code}{i}",
                    max_points=600,
                    points_per_item=200,
                )
            )
    veto = Criterion(period=period, code="V", kind=K.GROUP, title_vi="V", max_points=0)
    leaves.append(Criterion(period=period, parent=veto, code="V1", kind=K.VETO, title_vi="V1"))
    session.add_all(leaves)
    session.flush()
    return leaves


def _points(criterion: Criterion, quality: float, rng: random.Random) -> tuple[int, int | None]:
    if criterion.kind is K.DIRECT:
        q = min(1.0, max(0.0, quality + rng.gauss(0, 0.1)))
        return int(criterion.max_points * q) // 25 * 25, None
    if criterion.kind is K.BONUS:
        n = rng.choices((0, 1, 2), (80, 15, 5))[0]
        return n * 200, n
    if criterion.kind is K.PENALTY:
        n = rng.choices((0, 1, 2), (85, 12, 3))[0]
        return -n * 200, n
    return 0, 1 if rng.random() < 0.002 else 0


def generate(
    session: Session, echo=print, seed: int = 2021, units: int | None = None, provinces: int = 0
) -> Period:
    """Load the scale set into an empty schema; returns the period in scoring."""
    started = time.perf_counter()
    loaded = load_units(session, legacy=True, provinces=provinces, echo=echo)
    load_clusters(session, echo=echo)
    campaign = Campaign(slug="bench", name_vi="Bench", name_en="Bench", starts_on=date(2021, 6, 1))
    period = Period(
        campaign=campaign,
        code="bench",
        name_vi="Bench",
        name_en="Bench",
        kind=PeriodKind.YEAR,
        starts_on=date(2021, 6, 1),
        ends_on=date(2021, 12, 31),
        status=PS.SCORING,
        excellent_cap_percent=20,
        tie_break=["total", "group:4", "fewer_penalties", "unit_code"],
    )
    session.add(period)
    scorers = [
        User(username=f"bench{i}", full_name=f"Bench {i}", password_hash="x")
        for i in range(BOARD_SCORERS)
    ]
    session.add_all(scorers)
    session.flush()
    leaves = _criteria(session, period)
    session.commit()
    rng = random.Random(seed)
    competing = [(u.id, min(1.0, max(0.3, rng.gauss(0.8, 0.1)))) for u in loaded][:units]
    echo(f"{len(competing)} competing units, {len(leaves)} criteria")
    _self_scores(session, period, competing, leaves, rng)
    _board_scores(session, period, competing, leaves, scorers, rng)
    rebuild_criterion_results(session, period.id)  # bulk writers keep the aggregates built
    record_roster(session, period)  # as opening board scoring does
    session.commit()
    total = session.scalar(select(func.count()).select_from(BoardScore))
    total += session.scalar(select(func.count()).select_from(SelfScore))
    echo(f"{total:,} score rows in {time.perf_counter() - started:.0f} s")
    return period


SCORE_COLUMNS = {
    SelfScore: (
        "assessment_id",
        "criterion_id",
        "points",
        "measured",
        "note",
        "updated_at",
        "version",
    ),
    BoardScore: ("sheet_id", "criterion_id", "points", "measured", "comment"),
}


def _flush_rows(session: Session, model, rows: list[tuple]) -> None:
    """Write `rows` (tuples in SCORE_COLUMNS order) with the driver's fastest bulk path."""
    if not rows:
        return
    table, columns = model.__tablename__, SCORE_COLUMNS[model]
    cursor = session.connection().connection.driver_connection.cursor()
    if session.get_bind().dialect.name == "postgresql":
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    cursor.close()
    rows.clear()


def _self_scores(session, period, competing, leaves, rng) -> None:
    ids = session.scalars(
        insert(SelfAssessment).returning(SelfAssessment.id, sort_by_parameter_order=True),
        [
            {
                "period_id": period.id,
                "unit_id": unit_id,
                "status": AssessmentStatus.SUBMITTED,
                "version": 1,
                "explanation": "",
            }
            for unit_id, _q in competing
        ],
    ).all()
    rows: list[tuple] = []
    now = utcnow()
    for assessment_id, (_unit, quality) in zip(ids, competing, strict=True):
        for leaf in leaves:
            points, measured = _points(leaf, quality + 0.05, rng)
            rows.append((assessment_id, leaf.id, points, measured, "", now, 1))
        if len(rows) >= BATCH:
            _flush_rows(session, SelfScore, rows)
    _flush_rows(session, SelfScore, rows)


def _board_scores(session, period, competing, leaves, scorers, rng) -> None:
    sheets = [
        {
            "period_id": period.id,
            "unit_id": unit_id,
            "scorer_id": scorer.id,
            "status": SheetStatus.SUBMITTED,
            "version": 1,
        }
        for unit_id, _q in competing
        for scorer in scorers
    ]
    ids = session.scalars(
        insert(ScoreSheet).returning(ScoreSheet.id, sort_by_parameter_order=True), sheets
    ).all()
    quality = dict(competing)
    rows: list[tuple] = []
    for sheet_id, sheet in zip(ids, sheets, strict=True):
        for leaf in leaves:
            points, measured = _points(leaf, quality[sheet["unit_id"]], rng)
            rows.append((sheet_id, leaf.id, points, measured, ""))
        if len(rows) >= BATCH:
            _flush_rows(session, BoardScore, rows)
    _flush_rows(session, BoardScore, rows)
