"""The period roster: who competes in a period, recorded when board scoring opens."""

from __future__ import annotations

from sqlalchemy import delete, exists, func, insert, select, text
from sqlalchemy.orm import Session

from emulation.campaigns.models import Period
from emulation.db import utcnow
from emulation.leaderboards.models import RosterEntry
from emulation.org.models import COMPETING_KINDS, PROVINCIAL_KINDS, Cluster, Unit


def has_roster(session: Session, period: Period) -> bool:
    return bool(session.scalar(select(exists().where(RosterEntry.period_id == period.id))))


def record_roster(session: Session, period: Period) -> int:
    """(Re)write the roster from today's active competing units; returns how many compete."""
    session.execute(delete(RosterEntry).where(RosterEntry.period_id == period.id))
    # The province of a unit is the provincial unit whose path prefixes its own: looked up
    # in a dict (a SQL prefix join is a nested loop over all units, 7 s at 10,051 units).
    provinces = dict(
        session.execute(select(Unit.path, Unit.code).where(Unit.kind.in_(PROVINCIAL_KINDS))).all()
    )
    found = session.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.kind, Unit.path, Cluster.id, Cluster.code)
        .outerjoin(Cluster, Cluster.id == Unit.cluster_id)
        .where(Unit.active.is_(True), Unit.kind.in_(COMPETING_KINDS))
        .order_by(Unit.id)
    ).all()
    rows = [
        (unit_id, code, name, kind, _province_of(path, provinces), cluster_id, cluster_code)
        for unit_id, code, name, kind, path, cluster_id, cluster_code in found
    ]
    now = utcnow()
    columns = ("unit_id", "code", "name", "kind", "province_code", "cluster_id", "cluster_code")
    if rows:  # one executemany, not 10,000 ORM objects
        session.execute(
            insert(RosterEntry),
            [
                {"period_id": period.id, "recorded_at": now, **dict(zip(columns, row, strict=True))}
                for row in rows
            ],
        )
    # Fresh statistics, or the planner may nested-loop the recompute's join (DESIGN.md).
    session.execute(text("ANALYZE roster_entry"))
    return len(rows)


def _province_of(path: str, provinces: dict[str, str]) -> str | None:
    """The code of the provincial unit whose path is a prefix of `path` (paths end in /)."""
    end = path.find("/", 1)
    while end != -1:
        code = provinces.get(path[: end + 1])
        if code is not None:
            return code
        end = path.find("/", end + 1)
    return None


def ensure_roster(session: Session, period: Period) -> None:
    """A period scored before rosters existed gets one at its first recompute."""
    if not has_roster(session, period):
        record_roster(session, period)


def roster_size(session: Session, period: Period) -> int:
    return (
        session.scalar(select(func.count(RosterEntry.id)).where(RosterEntry.period_id == period.id))
        or 0
    )


def roster_entry(session: Session, period: Period, unit_id: int) -> RosterEntry | None:
    return session.scalar(
        select(RosterEntry).where(
            RosterEntry.period_id == period.id, RosterEntry.unit_id == unit_id
        )
    )
