"""Publishing a period's results: only once every board of the period is finalised, by a
national administrator or the chair of a national board. The next recompute then writes the
official snapshot and the period is frozen (published periods accept no change)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.accounts import authz
from emulation.accounts.models import User
from emulation.campaigns.models import Period, PeriodStatus
from emulation.errors import InvalidState, NotAllowed
from emulation.org.models import Unit
from emulation.scoring.models import Board, BoardMember


def unfinalised_boards(session: Session, period: Period) -> list[Board]:
    return list(
        session.scalars(
            select(Board)
            .where(Board.period_id == period.id, Board.finalised_at.is_(None))
            .order_by(Board.name)
        )
    )


def check_boards_finalised(session: Session, period: Period) -> None:
    """Refuse (listing them) while any board of the period is not finalised."""
    waiting = unfinalised_boards(session, period)
    if waiting:
        names = [b.name for b in waiting]
        raise InvalidState(
            _(
                "%(n)d board(s) of this period are not finalised yet: %(names)s",
                n=len(names),
                names=", ".join(names),
            ),
            details=names,
        )


def chairs_national_board(session: Session, user: User, period: Period) -> bool:
    """True if the user chairs a board of `period` whose scope is the whole country."""
    return bool(
        session.scalar(
            select(BoardMember.id)
            .join(Board, Board.id == BoardMember.board_id)
            .join(Unit, Unit.id == Board.scope_unit_id)
            .where(
                Board.period_id == period.id,
                BoardMember.user_id == user.id,
                BoardMember.is_chair.is_(True),
                Unit.parent_id.is_(None),
            )
        )
    )


def may_publish(session: Session, user: User, period: Period) -> bool:
    return authz.is_national(user) or chairs_national_board(session, user, period)


def publish_period(session: Session, *, period: Period, actor: User, ip: str = "") -> Period:
    """Close (if still in scoring) and publish the period, once every board is finalised."""
    from emulation.campaigns.services import transition_period

    if not may_publish(session, actor, period):
        raise NotAllowed(
            _("Only a national administrator or the chair of a national board may publish.")
        )
    if period.status not in (PeriodStatus.SCORING, PeriodStatus.CLOSED):
        raise InvalidState(_("Only a period in board scoring or closed can be published."))
    check_boards_finalised(session, period)
    if period.status is PeriodStatus.SCORING:
        transition_period(session, period=period, to=PeriodStatus.CLOSED, actor=actor, ip=ip)
    return transition_period(session, period=period, to=PeriodStatus.PUBLISHED, actor=actor, ip=ip)
