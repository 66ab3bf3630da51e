"""Score sheets: points per criterion kind, versions, conflicts, the comment threshold,
conflicts of interest, submit and reopen."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from emulation.accounts.models import Role, RoleGrant
from emulation.audit.models import AuditEvent
from emulation.errors import Conflict, InvalidInput, InvalidState, NotAllowed, NotFound
from emulation.scoring import sheets
from emulation.scoring.models import SheetStatus
from tests.scoring.helpers import build, score_all


@pytest.fixture
def world(make, english):
    return build(make)


def save(db_session, world, criterion, value, comment="", version=None, user=None, unit=None):
    sheet = sheets.save_score(
        db_session,
        user=user or world.members[0],
        period=world.period,
        unit=unit or world.units[0],
        data=sheets.ScoreInput(criterion.id, value, comment),
        expected_version=version,
    )
    db_session.commit()
    return sheet


def test_each_save_stores_the_points_of_the_kind_and_bumps_the_version(db_session, world):
    sheet = save(db_session, world, world.direct, 750, "Thiếu hồ sơ")
    assert sheet.version == 1  # created
    sheet = save(db_session, world, world.passed, 1, version=1)
    assert sheet.version == 2
    sheet = save(db_session, world, world.penalty, 2, "Hai hồ sơ trễ", version=2)
    assert sheet.version == 3
    by_code = {s.criterion.code: (s.points, s.measured, s.comment) for s in sheet.scores}
    # 1.1 direct 7.5 points; 1.2 passed = its max 5; penalty 2 items x 1 point = -2.
    assert by_code == {
        "1.1": (750, None, "Thiếu hồ sơ"),
        "1.2": (500, 1, ""),
        "T": (-200, 2, "Hai hồ sơ trễ"),
    }


def test_a_stale_version_is_a_conflict_that_carries_the_stored_value(db_session, world):
    save(db_session, world, world.direct, 800)  # version 1, as in the self-assessment
    save(db_session, world, world.direct, 900, "Tốt hơn", version=1)  # "tab A": now version 2
    with pytest.raises(sheets.ScoreConflict) as caught:
        save(db_session, world, world.direct, 600, "Tab B", version=1)
    db_session.rollback()
    assert caught.value.current.points == 900 and caught.value.version == 2
    assert isinstance(caught.value, Conflict) and caught.value.status == 409
    sheet = sheets.sheet_for(db_session, world.members[0], world.period, world.units[0])
    assert [s.points for s in sheet.scores] == [900]  # nothing overwritten


def test_the_second_tab_that_never_saw_the_sheet_also_conflicts(db_session, world):
    save(db_session, world, world.direct, 800)
    with pytest.raises(sheets.ScoreConflict):
        save(db_session, world, world.direct, 700, "x", version=None)


@pytest.mark.parametrize(
    ("points", "needs"),
    [
        (800, False),  # same as the self-score
        (1000, False),  # +2 points = 20% of max 10: not more than the threshold
        (600, False),  # -2 points
        (575, True),  # -2.25 points > 2
        (1000 - 0, False),
        (0, True),
    ],
)
def test_comment_required_beyond_the_threshold(db_session, world, points, needs):
    if needs:
        with pytest.raises(InvalidInput, match="comment"):
            save(db_session, world, world.direct, points)
        db_session.rollback()
        assert sheets.sheet_for(db_session, world.members[0], world.period, world.units[0]) is None
    else:
        assert save(db_session, world, world.direct, points).scores[0].points == points


def test_the_threshold_is_a_period_setting(db_session, world, make):
    sheets.set_comment_threshold(db_session, period=world.period, percent=5, actor=make.admin())
    db_session.commit()
    with pytest.raises(InvalidInput):
        save(db_session, world, world.direct, 700)  # 1 point > 5% of 10 = 0.5
    db_session.rollback()
    event = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "period.comment_threshold_set")
    )
    assert event.before == {"comment_threshold_percent": 20}
    assert event.after == {"comment_threshold_percent": 5}


def test_flagging_a_veto_needs_a_comment(db_session, world):
    with pytest.raises(InvalidInput):
        save(db_session, world, world.veto, 1)
    db_session.rollback()
    assert save(db_session, world, world.veto, 1, "Cán bộ bị giáng chức").scores[0].measured == 1


def test_out_of_range_points_are_refused_with_the_range(db_session, world):
    with pytest.raises(InvalidInput, match="0 and 10"):
        save(db_session, world, world.direct, 1050, "quá")


def test_parse_value_per_kind(world):
    assert sheets.parse_value(world.direct, "7,5") == 750
    assert sheets.parse_value(world.direct, "7.25") == 725
    assert sheets.parse_value(world.penalty, "3") == 3
    for bad in ("", "abc", "7,555"):
        with pytest.raises(InvalidInput):
            sheets.parse_value(world.direct, bad)
    with pytest.raises(InvalidInput):
        sheets.parse_value(world.passed, "2")


def test_conflict_of_interest_refuses_with_the_reason(db_session, world):
    member = world.members[0]
    member.grants.append(RoleGrant(role=Role.UNIT_HEAD, scope_unit=world.units[0]))
    db_session.commit()
    with pytest.raises(NotAllowed) as caught:
        sheets.check_may_score(db_session, member, world.period, world.units[0])
    assert "Phường Cửa Nam" in caught.value.message
    assert "conflict of interest" in caught.value.message
    with pytest.raises(NotAllowed):
        save(db_session, world, world.direct, 800)


def test_a_recorded_override_lifts_the_conflict(db_session, world):
    member = world.members[0]
    member.grants.append(RoleGrant(role=Role.UNIT_HEAD, scope_unit=world.units[0]))
    assignment = sheets.assignment_for(db_session, member, world.period, world.units[0])
    assignment.conflict_override_reason = "Không còn ai khác trong tỉnh"
    db_session.commit()
    assert save(db_session, world, world.direct, 800).scores[0].points == 800


def test_unassigned_units_cannot_be_scored(db_session, world, make):
    other = make.unit(parent=world.province)
    with pytest.raises(NotFound):
        save(db_session, world, world.direct, 800, unit=other)


def test_submit_needs_every_criterion_and_then_the_sheet_is_read_only(db_session, world):
    sheet = save(db_session, world, world.direct, 800)
    with pytest.raises(InvalidInput) as caught:
        sheets.submit_sheet(
            db_session, user=world.members[0], period=world.period, unit=world.units[0],
            expected_version=sheet.version,
        )  # fmt: skip
    assert sorted(caught.value.details) == [
        "1.2 is not scored yet.", "T is not scored yet.", "V is not scored yet.",
    ]  # fmt: skip
    db_session.rollback()
    sheet = score_all(
        db_session, world, world.members[0], world.units[0], (800, 1, 0, 0), version=sheet.version
    )
    assert sheet.status is SheetStatus.SUBMITTED and sheet.submitted_at is not None
    with pytest.raises(InvalidState, match="read-only"):
        save(db_session, world, world.direct, 700, "x", version=sheet.version)


def test_the_chair_reopens_a_submitted_sheet_with_a_reason(db_session, world):
    sheet = score_all(db_session, world, world.members[0], world.units[0], (800, 1, 0, 0))
    version = sheet.version
    with pytest.raises(InvalidInput):
        sheets.reopen_sheet(
            db_session, board=world.board, sheet=sheet, reason="", actor=world.chair
        )
    sheets.reopen_sheet(
        db_session, board=world.board, sheet=sheet, reason="Xem lại tiêu chí 1.1",
        actor=world.chair,
    )  # fmt: skip
    db_session.commit()
    assert sheet.status is SheetStatus.DRAFT and sheet.version == version + 1
    assert save(db_session, world, world.direct, 700, version=sheet.version).version == version + 2
    actions = db_session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("board_score.saved") == 5
    assert actions.count("score_sheet.submitted") == 1
    assert actions.count("score_sheet.reopened") == 1


def test_saves_are_audited_with_before_and_after(db_session, world):
    save(db_session, world, world.direct, 800)
    save(db_session, world, world.direct, 900, "Vượt chỉ tiêu", version=1)
    events = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "board_score.saved").order_by(AuditEvent.id)
    ).all()
    assert events[0].before is None
    assert events[1].before == {"points": 800, "measured": None, "comment": ""}
    assert events[1].after == {
        "points": 900, "measured": None, "comment": "Vượt chỉ tiêu", "criterion": "1.1",
    }  # fmt: skip
    assert events[1].actor_id == world.members[0].id


def test_two_first_saves_racing_to_create_the_sheet_give_a_conflict(db_session, world, monkeypatch):
    # Tab A creates the sheet; tab B read "no sheet yet" just before: its insert then meets
    # the unique key and must become a 409 showing nothing of B's value, not a 500.
    save(db_session, world, world.direct, 800)
    monkeypatch.setattr(sheets, "sheet_for", lambda *args: None)
    with pytest.raises(sheets.ScoreConflict) as caught:
        save(db_session, world, world.passed, 1)
    db_session.rollback()
    assert caught.value.status == 409 and caught.value.current is None
    monkeypatch.undo()
    sheet = sheets.sheet_for(db_session, world.members[0], world.period, world.units[0])
    assert sheet.version == 1 and [s.points for s in sheet.scores] == [800]
