"""Who may read a self-assessment and its evidence: the unit's own head, the members and chair
of a board of that period covering the unit, and administrators whose scope covers it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.assessments.models import SelfAssessment
from emulation.scoring.models import Board, BoardMember


def sits_on_board_for(session: Session, user: Any, assessment: SelfAssessment) -> bool:
    """True if the user is a member (or the chair) of a board of the period covering the unit."""
    unit = assessment.unit
    boards = session.scalars(
        select(Board)
        .join(BoardMember, BoardMember.board_id == Board.id)
        .where(Board.period_id == assessment.period_id, BoardMember.user_id == user.id)
    ).all()
    for board in boards:
        if board.cluster_id is not None:
            if unit.cluster_id == board.cluster_id:
                return True
        elif board.scope_unit is not None and unit.path.startswith(board.scope_unit.path):
            return True
    return False


def may_read(session: Session, user: Any, assessment: SelfAssessment) -> bool:
    """May this user see the self-assessment and download its evidence?"""
    if not authz.is_authenticated(user):
        return False
    unit = assessment.unit
    if authz.has_role(user, (Role.UNIT_HEAD, Role.ADMIN), unit):
        return True
    return sits_on_board_for(session, user, assessment)


def may_edit(user: Any, assessment: SelfAssessment) -> bool:
    """Only the unit's own head fills in its self-assessment."""
    return authz.can(user, "self_assess", assessment)
