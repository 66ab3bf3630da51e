"""The period roster: who competes in a period, recorded when board scoring opens."""

from __future__ import annotations

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session, aliased

from emulation.campaigns.models import Period
from emulation.db import utcnow
from emulation.leaderboards.models import RosterEntry
from emulation.org.models import COMPETING_KINDS, PROVINCIAL_KINDS, Cluster, Unit


def has_roster(session: Session, period: Period) -> bool:
    return bool(session.scalar(select(exists().where(RosterEntry.period_id == period.id))))


def record_roster(session: Session, period: Period) -> int:
    """(Re)write the roster from today's active competing units; returns how many compete."""
    session.execute(delete(RosterEntry).where(RosterEntry.period_id == period.id))
    province = aliased(Unit)
    rows = session.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.kind, province.code, Cluster.id, Cluster.code)
        .outerjoin(
            province,
            (province.kind.in_(PROVINCIAL_KINDS))
            & (func.substr(Unit.path, 1, func.length(province.path)) == province.path),
        )
        .outerjoin(Cluster, Cluster.id == Unit.cluster_id)
        .where(Unit.active.is_(True), Unit.kind.in_(COMPETING_KINDS))
        .order_by(Unit.id)
    ).all()
    now = utcnow()
    session.add_all(
        RosterEntry(
            period_id=period.id,
            unit_id=unit_id,
            code=code,
            name=name,
            kind=kind,
            province_code=province_code,
            cluster_id=cluster_id,
            cluster_code=cluster_code,
            recorded_at=now,
        )
        for unit_id, code, name, kind, province_code, cluster_id, cluster_code in rows
    )
    session.flush()
    return len(rows)


def ensure_roster(session: Session, period: Period) -> None:
    """A period scored before rosters existed gets one at its first recompute."""
    if not has_roster(session, period):
        record_roster(session, period)


def roster_entry(session: Session, period: Period, unit_id: int) -> RosterEntry | None:
    return session.scalar(
        select(RosterEntry).where(
            RosterEntry.period_id == period.id, RosterEntry.unit_id == unit_id
        )
    )
