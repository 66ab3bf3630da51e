"""The demo's Hà Nội board of the period in board scoring, built through the services.

`thamdinh.1`, `thamdinh.2` and `chutich.hd` (chair) sit on it; each unit gets two of them
(balanced split). A few sheets are already saved and submitted through `sheets.save_score`
and `sheets.submit_sheet`, so the demo shows a board mid-way: most units are still to score,
among them the units of `truong.xa1` and `truong.xa2`, whose self-assessments are still
open."""

from __future__ import annotations

import random
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.accounts.models import User
from emulation.campaigns.models import Period
from emulation.org.models import Unit
from emulation.scoring import boards, sheets
from emulation.scoring.models import Assignment, AssignmentMode, Board, BoardMember
from emulation.scoring.self_side import own_score

MEMBERS = ("chutich.hd", "thamdinh.1", "thamdinh.2")
CHAIR = "chutich.hd"
# (username, sheets submitted, sheets saved but not submitted yet)
PROGRESS = (("thamdinh.1", 6, 2), ("thamdinh.2", 9, 1), ("chutich.hd", 3, 1))
COMMENT = "Đối chiếu hồ sơ, minh chứng: điều chỉnh so với điểm tự chấm."
# Their units' self-assessments are still drafts (deadline extended): the board waits for them.
UNIT_HEADS = ("truong.xa1", "truong.xa2")


def demo_province(session: Session, users: dict[str, User]) -> Unit | None:
    """The province the demo board logins serve (their grant's scope)."""
    user = users.get(CHAIR)
    return user.grants[0].scope_unit if user is not None and user.grants else None


def build_board(session: Session, period: Period, users: dict[str, User]) -> Board | None:
    """Create the board, its members and chair, and a balanced assignment (two per unit)."""
    province = demo_province(session, users)
    if province is None or any(name not in users for name in MEMBERS):
        return None
    admin = users.get("admin")
    board = boards.create_board(
        session,
        period=period,
        name=f"Hội đồng thẩm định – {province.name}",
        scope_unit=province,
        actor=admin,
    )
    for name in MEMBERS:
        member = boards.add_member(session, board=board, user=users[name], actor=admin)
        if name == CHAIR:
            boards.set_chair(session, board=board, member=member, actor=admin)
    boards.assign_units(
        session, board=board, mode=AssignmentMode.BALANCED, scorers_per_unit=2, actor=admin
    )
    return board


def _units_of(session: Session, board: Board, user: User) -> list[Unit]:
    return list(
        session.scalars(
            select(Unit)
            .join(Assignment, Assignment.unit_id == Unit.id)
            .join(BoardMember, BoardMember.id == Assignment.member_id)
            .where(BoardMember.board_id == board.id, BoardMember.user_id == user.id)
            .order_by(Unit.path)
        )
    )


def fill_sheets(
    session: Session,
    board: Board,
    users: dict[str, User],
    measure: Callable[[sheets.Criterion, Unit], int],
) -> int:
    """Save (and mostly submit) the first sheets of each member through the services."""
    count = 0
    criteria = sheets.leaf_criteria(board.period)
    waiting = {g.scope_unit_id for name in UNIT_HEADS if name in users for g in users[name].grants}
    for name, submitted, drafts in PROGRESS:
        user = users[name]
        units = [u for u in _units_of(session, board, user) if u.id not in waiting]
        for n, unit in enumerate(units[: submitted + drafts]):
            version = None
            for criterion in criteria:
                value = measure(criterion, unit)
                sheet = _save(session, user, board.period, unit, criterion, value, version)
                version = sheet.version
            if n < submitted:
                sheets.submit_sheet(
                    session, user=user, period=board.period, unit=unit, expected_version=version
                )
            count += 1
    return count


def _save(session, user, period, unit, criterion, value, version):
    # Decide the comment up front: the loader runs outside a request, where raising (and
    # translating) the service's "comment required" message is not possible.
    points, measured = sheets.awarded(criterion, value)
    own = own_score(session, period, unit, criterion.id)
    comment = COMMENT if sheets.needs_comment(criterion, period, points, measured, own) else ""
    return sheets.save_score(
        session,
        user=user,
        period=period,
        unit=unit,
        data=sheets.ScoreInput(criterion.id, value, comment),
        expected_version=version,
    )


def demo_value(rng: random.Random, quality: Callable[[Unit], float], points_for_quality):
    """A `measure(criterion, unit)` for `fill_sheets` from the demo's unit quality model."""

    def measure(criterion, unit: Unit) -> int:
        points, measured = points_for_quality(criterion, quality(unit), rng)
        return points if criterion.kind is sheets.K.DIRECT else measured

    return measure
