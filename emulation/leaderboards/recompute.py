"""Recompute leaderboards with set-based SQL: one new snapshot per period, in one transaction.

The rules are those of `ranking.py` (read its docstring; it is the reference the SQL is
tested against). In short: per unit and criterion the weighted mean of the SUBMITTED sheets'
points, rounded half away from zero to the hundredth with integer arithmetic only (the
same on SQLite and PostgreSQL: the division is done on absolute values, so the
truncating integer division of both databases is a floor); per top-level group and category
(base / bonus / penalty) a sum capped by the group's max; total = base + bonus + penalty; veto
= a strict majority of the sheets found the condition; classification by the period's bands
with the optional cap on "excellent"; RANK() over the period's tie-break chain per scope.

Nothing here loads score rows into Python: one INSERT … SELECT (GROUP BY + window RANK())
writes every standing of every scope. The inputs hash is streamed from small ordered
queries (rules, criteria, units, submitted sheets), so an unchanged period writes nothing.
Callers own the transaction (and the lock, see `locks.py`); a crash before their commit
leaves the previous snapshot the one readers see."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import datetime

from sqlalchemy import and_, bindparam, exists, func, or_, select, text
from sqlalchemy.orm import Session

from emulation.campaigns.models import (
    Classification,
    Criterion,
    CriterionKind,
    Period,
    PeriodStatus,
)
from emulation.db import utcnow
from emulation.leaderboards.inputs import ensure_statistics, score_revision
from emulation.leaderboards.models import ScopeType, Snapshot, Standing
from emulation.leaderboards.ranking import effective_chain
from emulation.org.models import COMPETING_KINDS, PROVINCIAL_KINDS, Cluster, Unit, UnitKind
from emulation.scoring.models import ScoreSheet, SheetStatus

log = logging.getLogger(__name__)
K = CriterionKind
PG_WORK_MEM = "64MB"
C = Classification


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
    digest = inputs_hash(session, period)
    if last is not None and last.inputs_hash == digest and last.official == official:
        return None
    previous_id = last.id if last is not None else _previous_official_id(session, period)
    snapshot = Snapshot(
        period_id=period.id, computed_at=now or utcnow(), inputs_hash=digest, official=official
    )
    session.add(snapshot)
    session.flush()
    ensure_statistics(session)
    _insert_standings(session, period, snapshot.id, previous_id)
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
    """sha256 over the ordered inputs of a period's computation, streamed in small rows."""
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
            )
            .where(Criterion.period_id == period.id)
            .order_by(Criterion.id)
        )
    )
    feed(
        session.execute(
            select(Unit.id, Unit.code, Unit.kind, Unit.path, Cluster.code)
            .outerjoin(Cluster, Cluster.id == Unit.cluster_id)
            .where(Unit.active.is_(True), Unit.kind.in_(COMPETING_KINDS | PROVINCIAL_KINDS))
            .order_by(Unit.id)
            .execution_options(yield_per=5000)
        )
    )
    feed(
        session.execute(
            select(ScoreSheet.id, ScoreSheet.unit_id, ScoreSheet.version, ScoreSheet.updated_at)
            .where(ScoreSheet.period_id == period.id, ScoreSheet.status == SheetStatus.SUBMITTED)
            .order_by(ScoreSheet.id)
            .execution_options(yield_per=5000)
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


# --- the statement --------------------------------------------------------------------------
def _typed(name: str, value, column) -> tuple[str, object]:
    """A bind parameter that stores an enum the way its column does (names, not values)."""
    return name, bindparam(name, value, type_=column.type)


def _order_by(chain: tuple[str, ...], groups: dict[str, str], dialect: str, alias: str) -> str:
    code = f'{alias}.code COLLATE "C"' if dialect == "postgresql" else f"{alias}.code"
    parts = []
    for key in chain:
        if key == "total":
            parts.append(f"{alias}.total DESC")
        elif key == "fewer_penalties":
            parts.append(f"{alias}.penalty DESC")
        elif key == "bonus":
            parts.append(f"{alias}.bonus DESC")
        elif key == "unit_code":
            parts.append(f"{code} ASC")
        else:
            parts.append(f"{alias}.{groups[key]} DESC")
    return ", ".join(parts)


def _classification_sql(cap_percent: int | None) -> str:
    if cap_percent is None:
        return "band"
    return (
        "CASE WHEN band = :c_excellent AND band_pos > (gob * :cap_percent) / 100 "
        "THEN :c_good ELSE band END"
    )


def _insert_standings(
    session: Session, period: Period, snapshot_id: int, previous_id: int | None
) -> None:
    dialect = session.get_bind().dialect.name
    chain = effective_chain(period.tie_break or ())
    group_keys = [key for key in chain if key.startswith("group:")]
    groups = {key: f"tg{i}" for i, key in enumerate(group_keys)}
    pivots = "".join(
        f", SUM(CASE WHEN grp = :{col}_code THEN pts ELSE 0 END) AS {col}"
        for col in groups.values()
    )
    pivot_cols = "".join(f", COALESCE(j.{col}, 0) AS {col}" for col in groups.values())
    json_agg = (
        "json_object_agg(grp, pts)" if dialect == "postgresql" else "json_group_object(grp, pts)"
    )
    sql = STANDINGS_SQL.format(
        pivots=pivots,
        pivot_cols=pivot_cols,
        json_agg=json_agg,
        kind_value=_kind_value_sql(),
        national_order=_order_by(chain, groups, dialect, "ur"),
        scope_order=_order_by(chain, groups, dialect, "x"),
        classification=_classification_sql(period.excellent_cap_percent),
    )
    binds = dict(
        [
            _typed("k_group", K.GROUP, Criterion.__table__.c.kind),
            _typed("k_bonus", K.BONUS, Criterion.__table__.c.kind),
            _typed("k_penalty", K.PENALTY, Criterion.__table__.c.kind),
            _typed("k_veto", K.VETO, Criterion.__table__.c.kind),
            _typed("submitted", SheetStatus.SUBMITTED, ScoreSheet.__table__.c.status),
            _typed("s_national", ScopeType.NATIONAL, Standing.__table__.c.scope_type),
            _typed("s_province", ScopeType.PROVINCE, Standing.__table__.c.scope_type),
            _typed("s_cluster", ScopeType.CLUSTER, Standing.__table__.c.scope_type),
            _typed("s_kind", ScopeType.KIND, Standing.__table__.c.scope_type),
            *(
                _typed(f"c_{c.value}", c, Standing.__table__.c.classification)
                for c in Classification
            ),
            *(_typed(f"u_{kind.value}", kind, Unit.__table__.c.kind) for kind in UnitKind),
        ]
    )
    binds |= {
        "competing": bindparam(
            "competing", sorted(COMPETING_KINDS), type_=Unit.__table__.c.kind.type, expanding=True
        ),
        "provincial": bindparam(
            "provincial",
            sorted(PROVINCIAL_KINDS),
            type_=Unit.__table__.c.kind.type,
            expanding=True,
        ),
        "base_kinds": bindparam(
            "base_kinds",
            [K.DIRECT, K.QUANTITATIVE, K.PASS_FAIL],
            type_=Criterion.__table__.c.kind.type,
            expanding=True,
        ),
    }
    if dialect == "postgresql":
        # 500k (unit, criterion) groups at scale: keep the hash aggregate in memory, not on
        # disk. Misestimated WITH steps push the statement's cost over jit_above_cost, and
        # LLVM then spends 2.5–3.5 s compiling it on every run: no JIT here. SET LOCAL ends
        # with the caller's transaction.
        session.execute(text(f"SET LOCAL work_mem = '{PG_WORK_MEM}'"))
        session.execute(text("SET LOCAL jit = off"))
    used = set(re.findall(r"(?<!:):(\w+)", sql))
    statement = text(sql).bindparams(*(b for name, b in binds.items() if name in used))
    params = {
        "period_id": period.id,
        "snapshot_id": snapshot_id,
        "previous_id": previous_id if previous_id is not None else -1,
        "yes": True,
        "no": False,
        "band_excellent": period.band_excellent,
        "band_good": period.band_good,
        "band_completed": period.band_completed,
        "cap_percent": period.excellent_cap_percent or 0,
        **{f"{col}_code": key.partition(":")[2] for key, col in groups.items()},
    }
    session.execute(statement, params)


def _kind_value_sql() -> str:
    """The unit kind's value ('commune'), the scope key of the per-kind boards."""
    whens = " ".join(f"WHEN :u_{kind.value} THEN '{kind.value}'" for kind in UnitKind)
    return f"CASE ur.kind {whens} END"


STANDINGS_SQL = """
WITH RECURSIVE tree(id, root_id) AS (
    SELECT id, id FROM criterion WHERE period_id = :period_id AND parent_id IS NULL
    UNION ALL
    SELECT c.id, t.root_id FROM criterion c JOIN tree t ON c.parent_id = t.id
),
leaf AS (
    SELECT c.id, r.code AS grp, c.weight_percent AS weight,
           CASE WHEN r.id <> c.id AND r.kind = :k_group AND r.max_points > 0
                THEN r.max_points ELSE 0 END AS cap,
           CASE WHEN c.kind IN :base_kinds THEN 'base'
                WHEN c.kind = :k_bonus THEN 'bonus'
                WHEN c.kind = :k_penalty THEN 'penalty'
                ELSE 'veto' END AS cat
    FROM tree t JOIN criterion c ON c.id = t.id JOIN criterion r ON r.id = t.root_id
    WHERE c.kind <> :k_group
),
ranked AS (
    SELECT DISTINCT s.unit_id FROM score_sheet s JOIN unit u ON u.id = s.unit_id
    WHERE s.period_id = :period_id AND s.status = :submitted
      AND u.active = :yes AND u.kind IN :competing
),
per_criterion AS (
    SELECT sh.unit_id, b.criterion_id, SUM(b.points) AS pts, COUNT(*) AS n,
           SUM(CASE WHEN b.measured <> 0 THEN 1 ELSE 0 END) AS hits
    FROM board_score b JOIN score_sheet sh ON sh.id = b.sheet_id JOIN unit u ON u.id = sh.unit_id
    WHERE sh.period_id = :period_id AND sh.status = :submitted
      AND u.active = :yes AND u.kind IN :competing
    GROUP BY sh.unit_id, b.criterion_id
),
scored AS MATERIALIZED (
    SELECT p.unit_id, l.grp, l.cat,
           CASE WHEN p.pts >= 0
                THEN (2 * p.pts * l.weight + 100 * p.n) / (200 * p.n)
                ELSE -((-2 * p.pts * l.weight + 100 * p.n) / (200 * p.n)) END AS pts,
           CASE WHEN 2 * p.hits > p.n THEN 1 ELSE 0 END AS veto
    FROM per_criterion p JOIN leaf l ON l.id = p.criterion_id
),
grp_cat AS (SELECT DISTINCT grp, cat, cap FROM leaf WHERE cat <> 'veto'),
grp_sum AS (
    SELECT unit_id, grp, cat, SUM(pts) AS pts FROM scored WHERE cat <> 'veto'
    GROUP BY unit_id, grp, cat
),
capped AS (
    SELECT r.unit_id, g.grp, g.cat,
           CASE WHEN g.cap > 0 AND g.cat = 'penalty' AND COALESCE(s.pts, 0) < -g.cap THEN -g.cap
                WHEN g.cap > 0 AND g.cat <> 'penalty' AND COALESCE(s.pts, 0) > g.cap THEN g.cap
                ELSE COALESCE(s.pts, 0) END AS pts
    FROM ranked r CROSS JOIN grp_cat g
    LEFT JOIN grp_sum s ON s.unit_id = r.unit_id AND s.grp = g.grp AND s.cat = g.cat
),
subtotal AS (SELECT unit_id, grp, SUM(pts) AS pts FROM capped GROUP BY unit_id, grp),
subtotals AS (
    SELECT unit_id, {json_agg} AS subtotals {pivots} FROM subtotal GROUP BY unit_id
),
parts AS (
    SELECT r.unit_id,
           COALESCE(SUM(CASE WHEN c.cat = 'base' THEN c.pts END), 0) AS base,
           COALESCE(SUM(CASE WHEN c.cat = 'bonus' THEN c.pts END), 0) AS bonus,
           COALESCE(SUM(CASE WHEN c.cat = 'penalty' THEN c.pts END), 0) AS penalty
    FROM ranked r LEFT JOIN capped c ON c.unit_id = r.unit_id GROUP BY r.unit_id
),
vetoes AS (SELECT unit_id, MAX(veto) AS vetoed FROM scored WHERE cat = 'veto' GROUP BY unit_id),
unit_row AS (
    SELECT u.id AS unit_id, u.code, u.kind, u.path, u.cluster_id,
           p.base, p.bonus, p.penalty, p.base + p.bonus + p.penalty AS total,
           COALESCE(v.vetoed, 0) AS vetoed, j.subtotals {pivot_cols}
    FROM parts p JOIN unit u ON u.id = p.unit_id
    LEFT JOIN vetoes v ON v.unit_id = p.unit_id
    LEFT JOIN subtotals j ON j.unit_id = p.unit_id
),
national AS (
    SELECT ur.*, {kind_value} AS kind_value,
           RANK() OVER (ORDER BY {national_order}) AS nrank,
           CASE WHEN ur.vetoed = 1 THEN :c_not_completed
                WHEN ur.total >= :band_excellent THEN :c_excellent
                WHEN ur.total >= :band_good THEN :c_good
                WHEN ur.total >= :band_completed THEN :c_completed
                ELSE :c_not_completed END AS band
    FROM unit_row ur
),
counted AS (
    SELECT n.*,
           COUNT(CASE WHEN n.band IN (:c_excellent, :c_good) THEN 1 END) OVER () AS gob,
           COUNT(*) OVER (PARTITION BY n.band ORDER BY n.nrank) AS band_pos
    FROM national n
),
classified AS (SELECT c.*, {classification} AS classification FROM counted c),
province AS MATERIALIZED (SELECT code, path FROM unit WHERE kind IN :provincial),
scoped AS (
    SELECT :s_national AS scope_type, 'all' AS scope_key, c.* FROM classified c
    UNION ALL
    SELECT :s_province, pr.code, c.* FROM classified c
    JOIN province pr ON substr(c.path, 1, length(pr.path)) = pr.path
    UNION ALL
    SELECT :s_cluster, cl.code, c.* FROM classified c JOIN cluster cl ON cl.id = c.cluster_id
    UNION ALL
    SELECT :s_kind, c.kind_value, c.* FROM classified c
)
INSERT INTO standing (snapshot_id, unit_id, scope_type, scope_key, total, base, bonus, penalty,
                      group_subtotals, rank, previous_rank, classification, vetoed)
SELECT :snapshot_id, x.unit_id, x.scope_type, x.scope_key, x.total, x.base, x.bonus, x.penalty,
       COALESCE(x.subtotals, '{{}}'),
       RANK() OVER (PARTITION BY x.scope_type, x.scope_key ORDER BY {scope_order}),
       prev.rank, x.classification,
       CASE WHEN x.vetoed = 1 THEN :yes ELSE :no END
FROM scoped x
LEFT JOIN standing prev ON prev.snapshot_id = :previous_id AND prev.scope_type = x.scope_type
     AND prev.scope_key = x.scope_key AND prev.unit_id = x.unit_id
"""
