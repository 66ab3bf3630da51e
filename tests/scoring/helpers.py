"""A small board world: one province, two communes, a board of two members and a chair."""

from __future__ import annotations

from dataclasses import dataclass

from emulation.accounts.models import User
from emulation.assessments.models import AssessmentStatus, SelfAssessment
from emulation.campaigns.models import Criterion, CriterionKind, Period, PeriodStatus
from emulation.org.models import Unit
from emulation.scoring.models import Board, BoardMember


@dataclass
class BoardWorld:
    period: Period
    province: Unit
    units: list[Unit]
    board: Board
    chair: User
    members: list[User]  # members[0] and members[1] (the chair is not a scorer here)
    seats: list[BoardMember]
    direct: Criterion  # max 10 points
    passed: Criterion  # pass/fail, max 5
    penalty: Criterion  # 1 point per item, cap 5
    veto: Criterion
    assessments: list[SelfAssessment]


def build(make, *, self_scores: bool = True) -> BoardWorld:
    period = make.period(status=PeriodStatus.SCORING)
    group = make.group(period=period, code="1", max_points=1500, position=1)
    direct = make.criterion(period=period, parent=group, code="1.1", max_points=1000, position=1)
    passed = make.criterion(
        period=period, parent=group, code="1.2", kind=CriterionKind.PASS_FAIL, max_points=500,
        position=2,
    )  # fmt: skip
    penalty = make.criterion(
        period=period, code="T", kind=CriterionKind.PENALTY, max_points=500, points_per_item=100,
        position=3,
    )  # fmt: skip
    veto = make.criterion(period=period, code="V", kind=CriterionKind.VETO, position=4)
    province = make.province("Tỉnh Thử Nghiệm")
    units = [
        make.unit("Phường Cửa Nam", parent=province),
        make.unit("Xã Đông Anh", parent=province),
    ]
    board = make.board(period=period, scope=province, name="Hội đồng thẩm định thử")
    chair = make.board_member(scope=province, chair=True, full_name="Chủ tịch Hội đồng")
    members = [make.board_member(scope=province, full_name=f"Thành viên {n}") for n in (1, 2)]
    make.member(board=board, user=chair, is_chair=True)
    seats = [make.member(board=board, user=user) for user in members]
    for seat in seats:
        for unit in units:
            make.assignment(member=seat, unit=unit)
    assessments = []
    for unit in units:
        assessment = make.assessment(unit=unit, period=period, status=AssessmentStatus.SUBMITTED)
        if self_scores:
            make.self_score(assessment, direct, points=800, note="Đạt chỉ tiêu")
            make.self_score(assessment, passed, points=500, measured=1)
            make.self_score(assessment, penalty, points=0, measured=0)
            make.self_score(assessment, veto, points=0, measured=0)
        assessments.append(assessment)
    return BoardWorld(
        period, province, units, board, chair, members, seats, direct, passed, penalty, veto,
        assessments,
    )  # fmt: skip


def score_all(db_session, world, user, unit, values, submit=True, version=None):
    """Save `values` = (direct points, passed flag, penalty count, veto flag) and submit."""
    from emulation.scoring import sheets

    criteria = [world.direct, world.passed, world.penalty, world.veto]
    for criterion, value in zip(criteria, values, strict=True):
        comment = "Khác tự chấm" if criterion is not world.penalty else ""
        sheet = sheets.save_score(
            db_session, user=user, period=world.period, unit=unit,
            data=sheets.ScoreInput(criterion.id, value, comment), expected_version=version,
        )  # fmt: skip
        version = sheet.version
    if submit:
        sheets.submit_sheet(
            db_session, user=user, period=world.period, unit=unit, expected_version=version
        )
    db_session.commit()
    return sheet
