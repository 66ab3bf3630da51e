"""Read side of the board pages: the boards, scopes and units an admin's scope shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from emulation.campaigns.models import Period
from emulation.org.models import COMPETING_KINDS, Cluster, Unit
from emulation.scoring.boards import scope_units_query
from emulation.scoring.models import Board, BoardMember

MAX_BOARDS = 500


def boards_in(session: Session, scope: ColumnElement[bool]) -> list[Board]:
    """Boards whose scope unit's path meets `scope`, newest period first, members loaded."""
    query = (
        select(Board)
        .join(Unit, Unit.id == Board.scope_unit_id)
        .join(Period, Period.id == Board.period_id)
        .where(scope)
        .options(
            selectinload(Board.period),
            selectinload(Board.scope_unit),
            selectinload(Board.cluster),
            selectinload(Board.members).selectinload(BoardMember.user),
        )
        .order_by(Period.starts_on.desc(), Unit.path, Board.name)
        .limit(MAX_BOARDS)
    )
    return list(session.scalars(query))


def scopes_in(session: Session, scope: ColumnElement[bool]) -> tuple[list[Unit], list[Cluster]]:
    """What a new board may cover: active non-competing units and the clusters defined there."""
    units = session.scalars(
        select(Unit)
        .where(scope, Unit.active.is_(True), Unit.kind.not_in(COMPETING_KINDS))
        .order_by(Unit.path)
    ).all()
    clusters = session.scalars(
        select(Cluster)
        .join(Unit, Unit.id == Cluster.owner_unit_id)
        .where(scope)
        .order_by(Unit.path, Cluster.code)
    ).all()
    return list(units), list(clusters)


@dataclass(frozen=True)
class UnitPage:
    units: list[Unit]
    total: int
    page: int
    pages: int


def scope_units_page(session: Session, board: Board, page: int, per_page: int) -> UnitPage:
    """One page of the board's units, counted and cut in SQL."""
    query = scope_units_query(session, board)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    units = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return UnitPage(list(units), total, page, pages)
