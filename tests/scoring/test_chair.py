"""The chair's decisions: explanations (round trip), vetoes, finalisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from emulation.audit.models import AuditEvent
from emulation.db import utcnow
from emulation.errors import InvalidInput, InvalidState, NotFound
from emulation.scoring import chair, results, sheets, vetoes
from emulation.scoring.models import ExplanationStatus, VetoDecision
from tests.scoring.helpers import build, score_all


@pytest.fixture
def world(make, english):
    return build(make)


def _all_submitted(db_session, world, veto_flag=0):
    for user in world.members:
        for unit in world.units:
            flag = veto_flag if unit is world.units[0] and user is world.members[0] else 0
            score_all(db_session, world, user, unit, (700, 1, 0, flag))


def test_explanation_round_trip(db_session, world, make):
    _all_submitted(db_session, world)
    unit = world.units[0]
    explanation = chair.request_explanation(
        db_session, board=world.board, unit=unit, deadline=utcnow() + timedelta(days=3),
        message="Đề nghị giải trình tiêu chí 1.1", actor=world.chair,
    )  # fmt: skip
    db_session.commit()
    # The unit head sees the board's value beside the self-score, with the comments.
    view = results.unit_results(db_session, world.period, unit)
    row = next(r for r in view.rows if r.criterion.code == "1.1")
    assert (row.own.points, row.board) == (800, 700)
    assert row.comments == [(1, "Khác tự chấm"), (2, "Khác tự chấm")]
    head = make.unit_head(unit=unit)
    chair.answer_explanation(
        db_session, explanation=explanation, answers={world.direct.id: "Đã có biên bản bổ sung"},
        actor=head, expected_version=explanation.version,
    )  # fmt: skip
    db_session.commit()
    assert explanation.status is ExplanationStatus.ANSWERED
    assert explanation.answered_by_id == head.id
    assert {a.criterion.code: a.text for a in explanation.answers} == {
        "1.1": "Đã có biên bản bổ sung"
    }
    actions = db_session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "Explanation")
    ).all()
    assert actions == ["explanation.requested", "explanation.answered"]


def test_no_answer_after_the_deadline_and_no_request_in_the_past(db_session, world):
    unit = world.units[0]
    with pytest.raises(InvalidInput):
        chair.request_explanation(
            db_session, board=world.board, unit=unit, deadline=utcnow() - timedelta(hours=1),
            message="", actor=world.chair,
        )  # fmt: skip
    explanation = chair.request_explanation(
        db_session, board=world.board, unit=unit, deadline=utcnow() + timedelta(hours=1),
        message="", actor=world.chair,
    )  # fmt: skip
    db_session.commit()
    with pytest.raises(InvalidState, match="deadline"):
        chair.answer_explanation(
            db_session, explanation=explanation, answers={world.direct.id: "Muộn"}, actor=None,
            expected_version=None, now=utcnow() + timedelta(hours=2),
        )  # fmt: skip


def test_an_explanation_only_for_the_boards_units(db_session, world, make):
    with pytest.raises(NotFound):
        chair.request_explanation(
            db_session, board=world.board, unit=make.unit(), message="",
            deadline=utcnow() + timedelta(days=1), actor=world.chair,
        )  # fmt: skip


def test_veto_decisions_need_a_flag_and_a_reason(db_session, world):
    unit = world.units[0]
    with pytest.raises(NotFound):  # nobody flagged it yet
        vetoes.decide_veto(
            db_session, board=world.board, unit=unit, criterion=world.veto, vetoed=True,
            reason="Cán bộ bị giáng chức", actor=world.chair,
        )  # fmt: skip
    db_session.rollback()
    _all_submitted(db_session, world, veto_flag=1)
    [flag] = vetoes.flags(db_session, world.board)
    assert (flag.unit, flag.criterion, flag.decision) == (unit, world.veto, None)
    assert [u.full_name for u in flag.flagged_by] == ["Thành viên 1"]
    with pytest.raises(InvalidInput):
        vetoes.decide_veto(
            db_session, board=world.board, unit=unit, criterion=world.veto, vetoed=True,
            reason="ngắn", actor=world.chair,
        )  # fmt: skip
    vetoes.decide_veto(
        db_session, board=world.board, unit=unit, criterion=world.veto, vetoed=True,
        reason="Cán bộ bị giáng chức theo quyết định số 12", actor=world.chair,
    )  # fmt: skip
    vetoes.decide_veto(
        db_session, board=world.board, unit=unit, criterion=world.veto, vetoed=False,
        reason="Quyết định kỷ luật đã bị hủy bỏ", actor=world.chair,
    )  # fmt: skip
    db_session.commit()
    [decision] = db_session.scalars(select(VetoDecision)).all()
    assert (decision.vetoed, decision.decided_by_id) == (False, world.chair.id)
    events = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "veto.decided").order_by(AuditEvent.id)
    ).all()
    assert events[0].before is None and events[0].after["vetoed"] is True
    assert events[1].before == {
        "vetoed": True,
        "reason": "Cán bộ bị giáng chức theo quyết định số 12",
    }


def test_finalise_is_refused_until_everything_is_done(db_session, world):
    with pytest.raises(InvalidState) as caught:
        chair.finalise_board(db_session, board=world.board, actor=world.chair)
    assert len(caught.value.details) == 4  # 2 members x 2 units not submitted
    db_session.rollback()
    _all_submitted(db_session, world, veto_flag=1)
    chair.request_explanation(
        db_session, board=world.board, unit=world.units[1], message="",
        deadline=utcnow() + timedelta(days=1), actor=world.chair,
    )  # fmt: skip
    db_session.commit()
    blockers = chair.finalise_blockers(db_session, world.board)
    assert blockers == [
        "Xã Đông Anh may still answer the explanation request.",
        "The flagged veto V of Phường Cửa Nam is not decided.",
    ]
    vetoes.decide_veto(
        db_session, board=world.board, unit=world.units[0], criterion=world.veto, vetoed=True,
        reason="Cán bộ bị giáng chức theo quyết định", actor=world.chair,
    )  # fmt: skip
    later = utcnow() + timedelta(days=2)  # the explanation's deadline has passed
    chair.finalise_board(db_session, board=world.board, actor=world.chair, now=later)
    db_session.commit()
    assert world.board.finalised_at == later and world.board.finalised_by_id == world.chair.id
    with pytest.raises(InvalidState):  # sheets are closed for good
        sheets.reopen_sheet(
            db_session, board=world.board, sheet=sheets.sheet_for(
                db_session, world.members[0], world.period, world.units[0]),
            reason="Muốn sửa", actor=world.chair,
        )  # fmt: skip
    with pytest.raises(InvalidState):
        chair.finalise_board(db_session, board=world.board, actor=world.chair)
