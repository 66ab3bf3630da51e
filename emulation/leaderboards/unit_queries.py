"""Read side of leaderboards for one unit: finding units, a unit's standings in every scope
of a snapshot, its history over the public periods, and the province it belongs to.

Every function here reads; none writes. Public unit pages, search, the API and the unit
head's results page share them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from emulation.campaigns.models import Period
from emulation.leaderboards.models import ScopeType, Snapshot, Standing
from emulation.leaderboards.queries import current_snapshots, like_folded, public_periods
from emulation.org.models import PROVINCIAL_KINDS, Unit


@dataclass(frozen=True)
class HistoryPoint:
    period: Period
    snapshot_id: int
    national: Standing | None
    province: Standing | None


@dataclass(frozen=True)
class UnitRef:
    """What `province_names` needs of a unit."""

    id: int
    path: str


def unit_standings(session: Session, snapshot: Snapshot, unit: Unit) -> dict[ScopeType, Standing]:
    """The unit's row in every scope of the snapshot."""
    rows = session.scalars(
        select(Standing).where(Standing.unit_id == unit.id, Standing.snapshot_id == snapshot.id)
    )
    return {ScopeType(row.scope_type): row for row in rows}


def unit_history(session: Session, unit: Unit) -> list[HistoryPoint]:
    """National and province standing of the unit in the current snapshot of every public
    period, oldest period first."""
    shown = current_snapshots(session)
    periods = [p for p in reversed(public_periods(session)) if p.id in shown]
    if not periods:
        return []
    snapshot_ids = [shown[p.id][0] for p in periods]
    rows = session.scalars(
        select(Standing).where(
            Standing.unit_id == unit.id,
            Standing.snapshot_id.in_(snapshot_ids),
            Standing.scope_type.in_([ScopeType.NATIONAL, ScopeType.PROVINCE]),
        )
    )
    found: dict[tuple[int, ScopeType], Standing] = {
        (row.snapshot_id, ScopeType(row.scope_type)): row for row in rows
    }
    points = []
    for period, snapshot_id in zip(periods, snapshot_ids, strict=True):
        national = found.get((snapshot_id, ScopeType.NATIONAL))
        province = found.get((snapshot_id, ScopeType.PROVINCE))
        if national or province:
            points.append(HistoryPoint(period, snapshot_id, national, province))
    return points


def unit_by_code(session: Session, code: str) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.code == code).options(joinedload(Unit.cluster)))


def search_units(
    session: Session, text: str, page: int = 1, per_page: int = 20
) -> tuple[list[Unit], int]:
    """Units whose folded name contains the folded `text`, or whose code is `text`."""
    where = or_(Unit.name_folded.like(like_folded(text), escape="\\"), Unit.code == text.strip())
    total = session.scalar(select(func.count(Unit.id)).where(where)) or 0
    units = session.scalars(
        select(Unit)
        .where(where)
        .order_by(Unit.name_folded, Unit.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(units), total


def province_code(unit: Unit) -> str | None:
    """The province segment of the unit's path ('/BCA/01/00070/' -> '01'), no query."""
    parts = [part for part in unit.path.split("/") if part]
    return parts[1] if len(parts) > 1 else None


def provinces_by_code(session: Session, units: Iterable[Unit]) -> dict[str, Unit]:
    """{province code: province} for the given units, in one query (no walk up the tree)."""
    codes = {code for code in (province_code(u) for u in units) if code}
    if not codes:
        return {}
    rows = session.scalars(
        select(Unit).where(Unit.code.in_(codes), Unit.kind.in_(list(PROVINCIAL_KINDS)))
    )
    return {unit.code: unit for unit in rows}


def province_names(session: Session, units: Iterable[Unit]) -> dict[int, str]:
    """{unit id: name of its province} in one query."""
    units = list(units)
    provinces = provinces_by_code(session, units)
    names = {}
    for unit in units:
        province = provinces.get(province_code(unit) or "")
        names[unit.id] = province.name if province else ""
    return names
