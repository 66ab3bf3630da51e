"""Recompute leaderboards with set-based SQL: one new snapshot per period, in one transaction.

The rules are those of `ranking.py` (read its docstring; it is the reference the SQL is
tested against), over the period roster (`roster.py`). The arithmetic is exact (see
`recompute_sql.py`): combined scores, weights, caps, bands and the tie-break chain compare
exact integers of 1/scale hundredth; stored display columns are rounded once.

Nothing here loads score rows into Python: one INSERT … SELECT (GROUP BY + window RANK())
writes every standing of every scope, from the scores aggregated once per (unit, criterion)
(`criterion_results.py`, brought up to date first). The inputs hash is computed from small
ordered queries and SQL aggregates (rules, criteria, roster, submitted sheets, veto
decisions, the score revision), so an unchanged period writes nothing. Callers own the
transaction (and the lock, see `locks.py`); a crash before their commit leaves the previous
snapshot the one readers see."""

from __future__ import annotations

import hashlib
import logging
import math
import re
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, exists, func, or_, select, text
from sqlalchemy.orm import Session

from emulation.campaigns.models import (
    Aggregation,
    Classification,
    Criterion,
    CriterionKind,
    Period,
    PeriodStatus,
)
from emulation.db import utcnow
from emulation.errors import InvalidState
from emulation.leaderboards.criterion_results import sync_criterion_results
from emulation.leaderboards.inputs import (
    ensure_score_statistics,
    ensure_statistics,
    score_revision,
)
from emulation.leaderboards.models import RosterEntry, ScopeType, Snapshot, Standing
from emulation.leaderboards.ranking import effective_chain
from emulation.leaderboards.recompute_sql import (
    PAIRS_SQL,
    STANDINGS_SQL,
    aggregation_sql,
    pair_sql,
    rounded,
)
from emulation.leaderboards.roster import ensure_roster
from emulation.org.models import UnitKind
from emulation.scoring.models import ScoreSheet, SheetStatus, VetoDecision

log = logging.getLogger(__name__)
K = CriterionKind
PG_WORK_MEM = "64MB"
C = Classification
MAX_SCORERS = 20  # lcm(1..20) keeps every exact integer far below 2**63


# --- public interface -----------------------------------------------------------------------
def recompute_period(
    session: Session, period: Period, *, official: bool = False, now: datetime | None = None
) -> Snapshot | None:
    """Write a new snapshot of every scope of `period`; None if nothing changed (or frozen)."""
    last = session.scalar(
        select(Snapshot).where(Snapshot.period_id == period.id).order_by(Snapshot.id.desc())
    )
    if _has_official(session, period):
        return None  # an official snapshot is final
    ensure_roster(session, period)
    digest = inputs_hash(session, period)
    if last is not None and last.inputs_hash == digest and last.official == official:
        return None
    # Movement is always against the previous period's official result (DOMAIN.md rule 5).
    previous_id = _previous_official_id(session, period)
    lcm = scale_lcm(most_sheets(session, period))
    snapshot = Snapshot(
        period_id=period.id,
        computed_at=now or utcnow(),
        inputs_hash=digest,
        official=official,
        scale=100 * lcm,
    )
    session.add(snapshot)
    session.flush()
    ensure_score_statistics(session)
    sync_criterion_results(session, period.id)
    ensure_statistics(session)
    _insert_standings(session, period, snapshot.id, previous_id, lcm)
    snapshot.unit_count = _ranked_count(session, snapshot.id)
    session.flush()
    log.info("period %s: snapshot %s, %s units", period.code, snapshot.id, snapshot.unit_count)
    return snapshot


def recompute_due(session: Session, now: datetime | None = None) -> list[Snapshot]:
    """Provisional snapshots of periods in scoring; the official one of newly published ones."""
    now = now or utcnow()
    written = []
    scoring = session.scalars(
        select(Period).where(Period.status == PeriodStatus.SCORING).order_by(Period.id)
    )
    for period in scoring.all():
        snapshot = recompute_period(session, period, now=now)
        if snapshot is not None:
            written.append(snapshot)
    official = exists().where(Snapshot.period_id == Period.id, Snapshot.official.is_(True))
    published = session.scalars(
        select(Period).where(Period.status == PeriodStatus.PUBLISHED, ~official).order_by(Period.id)
    )
    for period in published.all():
        snapshot = recompute_period(session, period, official=True, now=now)
        if snapshot is not None:
            written.append(snapshot)
    return written


# --- inputs hash ----------------------------------------------------------------------------
def inputs_hash(session: Session, period: Period) -> str:
    """sha256 over the ordered inputs of a period's computation (small rows, SQL aggregates)."""
    digest = hashlib.sha256()

    def feed(rows) -> None:
        for row in rows:
            digest.update(repr(tuple(row)).encode())
            digest.update(b"\n")
        digest.update(b"--\n")

    rules = (
        period.id,
        period.band_excellent,
        period.band_good,
        period.band_completed,
        period.excellent_cap_percent,
        tuple(period.tie_break or ()),
        str(period.aggregation),
    )
    feed([rules])
    feed([(score_revision(session, period.id),)])
    feed(
        session.execute(
            select(
                Criterion.id,
                Criterion.parent_id,
                Criterion.code,
                Criterion.kind,
                Criterion.max_points,
                Criterion.weight_percent,
                Criterion.target,
                Criterion.target_share_percent,
                Criterion.higher_is_better,
            )
            .where(Criterion.period_id == period.id)
            .order_by(Criterion.id)
        )
    )
    # Aggregates, not streamed rows: the roster is rewritten as a whole (new ids, new
    # recorded_at), and a submitted sheet's every change bumps its version (submit, reopen,
    # save) or the count and id sum (new, deleted); changes to score rows that bypass the
    # sheet bump score_revision (`note_scores_changed`).
    roster = RosterEntry
    feed(
        session.execute(
            select(
                func.count(),
                func.sum(roster.unit_id),
                func.max(roster.id),
                func.min(roster.id),
                func.max(roster.recorded_at),
            ).where(roster.period_id == period.id)
        )
    )
    feed(
        session.execute(
            select(VetoDecision.unit_id, VetoDecision.criterion_id, VetoDecision.vetoed)
            .where(VetoDecision.period_id == period.id)
            .order_by(VetoDecision.unit_id, VetoDecision.criterion_id)
        )
    )
    sheet = ScoreSheet
    feed(
        session.execute(
            select(
                func.count(),
                func.sum(sheet.id),
                func.sum(sheet.unit_id),
                func.sum(sheet.version),
                func.sum(sheet.id * sheet.version),
                func.max(sheet.updated_at),
            ).where(sheet.period_id == period.id, sheet.status == SheetStatus.SUBMITTED)
        )
    )
    return digest.hexdigest()


# --- helpers --------------------------------------------------------------------------------
def _has_official(session: Session, period: Period) -> bool:
    return session.scalar(
        select(exists().where(Snapshot.period_id == period.id, Snapshot.official.is_(True)))
    )


def previous_period(session: Session, period: Period) -> Period | None:
    """The period just before this one in its campaign (by start, end, id)."""
    before = or_(
        Period.starts_on < period.starts_on,
        and_(Period.starts_on == period.starts_on, Period.ends_on < period.ends_on),
        and_(
            Period.starts_on == period.starts_on,
            Period.ends_on == period.ends_on,
            Period.id < period.id,
        ),
    )
    return session.scalar(
        select(Period)
        .where(Period.campaign_id == period.campaign_id, before)
        .order_by(Period.starts_on.desc(), Period.ends_on.desc(), Period.id.desc())
        .limit(1)
    )


def _previous_official_id(session: Session, period: Period) -> int | None:
    before = previous_period(session, period)
    if before is None:
        return None
    return session.scalar(
        select(Snapshot.id)
        .where(Snapshot.period_id == before.id, Snapshot.official.is_(True))
        .order_by(Snapshot.id.desc())
        .limit(1)
    )


def _ranked_count(session: Session, snapshot_id: int) -> int:
    return session.scalar(
        select(func.count())
        .select_from(Standing)
        .where(Standing.snapshot_id == snapshot_id, Standing.scope_type == ScopeType.NATIONAL)
    )


def most_sheets(session: Session, period: Period) -> int:
    """The most submitted sheets any one unit has in the period."""
    per_unit = (
        select(func.count().label("n"))
        .where(ScoreSheet.period_id == period.id, ScoreSheet.status == SheetStatus.SUBMITTED)
        .group_by(ScoreSheet.unit_id)
        .subquery()
    )
    return session.scalar(select(func.max(per_unit.c.n))) or 0


def scale_lcm(scorers: int) -> int:
    """lcm(1..N): every divisor a combination of up to N scorers uses divides it."""
    if scorers > MAX_SCORERS:
        raise InvalidState(
            _(
                "A unit has more than %(count)s submitted score sheets; exact results allow "
                "at most that many.",
                count=MAX_SCORERS,
            )
        )
    return math.lcm(*range(1, max(scorers, 2) + 1))


# --- the statement --------------------------------------------------------------------------
def _typed(name: str, value, column) -> tuple[str, object]:
    """A bind parameter that stores an enum the way its column does (names, not values)."""
    return name, bindparam(name, value, type_=column.type)


def _order_by(chain: tuple[str, ...], groups: dict[str, str], alias: str) -> str:
    """The tie-break chain on exact values (no unit code: units still equal share a rank)."""
    columns = {"total": "xtotal", "fewer_penalties": "xpenalty", "bonus": "xbonus"}
    return ", ".join(f"{alias}.{columns.get(key) or groups[key]} DESC" for key in chain)


def _classification_sql(cap_percent: int | None) -> str:
    if cap_percent is None:
        return "band"
    return (
        "CASE WHEN band = :c_excellent AND band_pos > (gob * :cap_percent) / 100 "
        "THEN :c_good ELSE band END"
    )


def _kind_value_sql() -> str:
    """The unit kind's value ('commune'), the scope key of the per-kind boards."""
    whens = " ".join(f"WHEN :u_{kind.value} THEN '{kind.value}'" for kind in UnitKind)
    return f"CASE ur.kind {whens} END"


def _binds() -> dict:
    binds = dict(
        [
            _typed("k_group", K.GROUP, Criterion.__table__.c.kind),
            _typed("k_quantitative", K.QUANTITATIVE, Criterion.__table__.c.kind),
            _typed("k_bonus", K.BONUS, Criterion.__table__.c.kind),
            _typed("k_penalty", K.PENALTY, Criterion.__table__.c.kind),
            _typed("submitted", SheetStatus.SUBMITTED, ScoreSheet.__table__.c.status),
            _typed("s_national", ScopeType.NATIONAL, Standing.__table__.c.scope_type),
            _typed("s_province", ScopeType.PROVINCE, Standing.__table__.c.scope_type),
            _typed("s_cluster", ScopeType.CLUSTER, Standing.__table__.c.scope_type),
            _typed("s_kind", ScopeType.KIND, Standing.__table__.c.scope_type),
            *(
                _typed(f"c_{c.value}", c, Standing.__table__.c.classification)
                for c in Classification
            ),
            *(_typed(f"u_{kind.value}", kind, RosterEntry.__table__.c.kind) for kind in UnitKind),
        ]
    )
    binds["base_kinds"] = bindparam(
        "base_kinds",
        [K.DIRECT, K.QUANTITATIVE, K.PASS_FAIL],
        type_=Criterion.__table__.c.kind.type,
        expanding=True,
    )
    return binds


def period_pairs(session: Session, period: Period) -> list[tuple[str, str, int]]:
    """The (group, category, cap) triples of the period's scored leaves."""
    statement = text(PAIRS_SQL).bindparams(
        *(b for name, b in _binds().items() if f":{name}" in PAIRS_SQL)
    )
    params = {"period_id": period.id, "yes": True}
    return [tuple(row) for row in session.execute(statement, params)]


def standings_sql(
    period: Period, dialect: str, pairs: list[tuple[str, str, int]]
) -> tuple[str, dict[str, str]]:
    """The statement for this period's rules, and the bind parameters of its group codes."""
    chain = effective_chain(period.tie_break or ())
    groups = {key: f"tg{i}" for i, key in enumerate(k for k in chain if k.startswith("group:"))}
    pieces, params = pair_sql(pairs, groups, dialect)
    sql = STANDINGS_SQL.format(
        aggregation=aggregation_sql(Aggregation(period.aggregation)),
        kind_value=_kind_value_sql(),
        national_order=_order_by(chain, groups, "ur"),
        scope_order=_order_by(chain, groups, "x"),
        classification=_classification_sql(period.excellent_cap_percent),
        **pieces,
        **{f"r_{part}": rounded(f"x.x{part}") for part in ("total", "base", "bonus", "penalty")},
    )
    return sql, params


def _insert_standings(
    session: Session, period: Period, snapshot_id: int, previous_id: int | None, lcm: int
) -> None:
    dialect = session.get_bind().dialect.name
    sql, codes = standings_sql(period, dialect, period_pairs(session, period))
    if dialect == "postgresql":
        # 500k (unit, criterion) groups at scale: keep the hash aggregate in memory, not on
        # disk. Misestimated WITH steps push the statement's cost over jit_above_cost, and
        # LLVM then spends 2.5–3.5 s compiling it on every run: no JIT here. SET LOCAL ends
        # with the caller's transaction.
        session.execute(text(f"SET LOCAL work_mem = '{PG_WORK_MEM}'"))
        session.execute(text("SET LOCAL jit = off"))
    used = set(re.findall(r"(?<!:):(\w+)", sql))
    statement = text(sql).bindparams(*(b for name, b in _binds().items() if name in used))
    scale = 100 * lcm
    params = {
        "period_id": period.id,
        "snapshot_id": snapshot_id,
        "previous_id": previous_id if previous_id is not None else -1,
        "yes": True,
        "no": False,
        "lcm": lcm,
        "scale": scale,
        "band_excellent": period.band_excellent * scale,
        "band_good": period.band_good * scale,
        "band_completed": period.band_completed * scale,
        "cap_percent": period.excellent_cap_percent or 0,
        **codes,
    }
    session.execute(statement, params)
