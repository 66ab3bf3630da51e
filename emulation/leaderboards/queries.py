"""Read side of leaderboards: the latest complete snapshot and its standings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from emulation.campaigns.models import Period
from emulation.leaderboards.models import ScopeType, Snapshot, Standing


@dataclass(frozen=True)
class Page:
    rows: list[Standing]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def latest_snapshot(session: Session, period: Period) -> Snapshot | None:
    """The official snapshot if the period is published, else the newest provisional one."""
    query = select(Snapshot).where(Snapshot.period_id == period.id)
    official = session.scalar(
        query.where(Snapshot.official.is_(True)).order_by(Snapshot.id.desc()).limit(1)
    )
    if official is not None:
        return official
    return session.scalar(query.order_by(Snapshot.id.desc()).limit(1))


def standings_page(
    session: Session,
    snapshot: Snapshot,
    scope_type: ScopeType = ScopeType.NATIONAL,
    scope_key: str = "all",
    page: int = 1,
    per_page: int = 100,
) -> Page:
    where = (
        Standing.snapshot_id == snapshot.id,
        Standing.scope_type == scope_type,
        Standing.scope_key == scope_key,
    )
    total = session.scalar(select(func.count()).select_from(Standing).where(*where)) or 0
    rows = session.scalars(
        select(Standing)
        .where(*where)
        .options(joinedload(Standing.unit))
        .order_by(Standing.rank, Standing.unit_id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page(list(rows), total, page, per_page)
