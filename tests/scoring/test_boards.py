"""Board services: members, chair, assignment modes, conflicts of interest."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from emulation.accounts.models import Role, RoleGrant
from emulation.audit.models import AuditEvent
from emulation.campaigns.models import PeriodStatus
from emulation.errors import InvalidInput, InvalidState
from emulation.org.models import UnitKind
from emulation.scoring import boards
from emulation.scoring.models import Assignment, AssignmentMode


@pytest.fixture
def setup(make, db_session):
    province = make.province(code="PX")
    communes = [make.unit(parent=province) for _ in range(7)]
    admin = make.admin()
    period = make.period(status=PeriodStatus.SCORING)
    board = boards.create_board(
        db_session, period=period, name="Hội đồng PX", scope_unit=province, actor=admin
    )
    chair = make.board_member(scope=province, chair=True)
    scorers = [make.board_member(scope=province) for _ in range(3)]
    members = [
        boards.add_member(db_session, board=board, user=u, actor=admin) for u in [chair, *scorers]
    ]
    boards.set_chair(db_session, board=board, member=members[0], actor=admin)
    db_session.commit()
    return {
        "province": province,
        "communes": communes,
        "admin": admin,
        "board": board,
        "members": members,
        "period": period,
    }


def _pairs(db_session):
    return {(a.member_id, a.unit_id) for a in db_session.scalars(select(Assignment))}


def test_members_need_a_board_grant_covering_the_scope(db_session, make, setup):
    outsider = make.board_member(scope=make.province())
    viewer = make.viewer(scope=setup["province"])
    for user in (outsider, viewer):
        with pytest.raises(InvalidInput):
            boards.add_member(db_session, board=setup["board"], user=user, actor=None)
    national = make.board_member(scope=make.ministry())
    boards.add_member(db_session, board=setup["board"], user=national, actor=None)


def test_exactly_one_chair_and_it_needs_the_chair_role(db_session, make, setup):
    board, members = setup["board"], setup["members"]
    with pytest.raises(InvalidInput):
        boards.set_chair(db_session, board=board, member=members[1], actor=None)
    second = make.board_member(scope=setup["province"], chair=True)
    new_chair = boards.add_member(db_session, board=board, user=second, actor=None)
    boards.set_chair(db_session, board=board, member=new_chair, actor=None)
    assert [m.id for m in board.members if m.is_chair] == [new_chair.id]


def test_assign_all_gives_every_member_every_unit(db_session, setup):
    result = boards.assign_units(
        db_session, board=setup["board"], mode=AssignmentMode.ALL, actor=setup["admin"]
    )
    db_session.commit()
    assert result.created == 4 * 7 and result.blocked == 0
    assert len(_pairs(db_session)) == 28
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "board.assigned"))
    assert event.after["count"] == 28


def test_balanced_assignment_is_even(db_session, setup):
    result = boards.assign_units(
        db_session,
        board=setup["board"],
        mode=AssignmentMode.BALANCED,
        scorers_per_unit=2,
        actor=None,
    )
    assert result.created == 14 and result.short_units == []
    loads = Counter(m for m, _u in _pairs(db_session))
    assert sorted(loads.values()) == [3, 3, 4, 4]
    per_unit = Counter(u for _m, u in _pairs(db_session))
    assert set(per_unit.values()) == {2}


def test_balanced_refuses_more_scorers_than_members(db_session, setup):
    with pytest.raises(InvalidInput):
        boards.assign_units(
            db_session,
            board=setup["board"],
            mode=AssignmentMode.BALANCED,
            scorers_per_unit=5,
            actor=None,
        )


def test_assignment_needs_a_chair(db_session, make):
    province = make.province()
    board = make.board(scope=province)
    make.member(board=board)
    with pytest.raises(InvalidState):
        boards.assign_units(db_session, board=board, mode=AssignmentMode.ALL, actor=None)


def test_conflict_from_the_tree_blocks_and_override_records_reason(db_session, make, setup):
    board, communes = setup["board"], setup["communes"]
    conflicted = setup["members"][1].user
    own = communes[2]
    conflicted.grants.append(RoleGrant(role=Role.UNIT_HEAD, scope_unit=own))
    db_session.commit()
    conflicts = boards.find_conflicts(db_session, board=board)
    assert [(c.member.id, c.unit.id) for c in conflicts] == [(setup["members"][1].id, own.id)]
    boards.assign_units(db_session, board=board, mode=AssignmentMode.ALL, actor=None)
    assert (setup["members"][1].id, own.id) not in _pairs(db_session)
    with pytest.raises(InvalidInput):
        boards.override_conflict(
            db_session,
            board=board,
            member=setup["members"][1],
            unit=own,
            reason="short",
            actor=setup["admin"],
        )
    assignment = boards.override_conflict(
        db_session,
        board=board,
        member=setup["members"][1],
        unit=own,
        reason="Chỉ có một thành viên am hiểu địa bàn",
        actor=setup["admin"],
    )
    db_session.commit()
    assert assignment.overridden_by_id == setup["admin"].id
    assert (setup["members"][1].id, own.id) in _pairs(db_session)
    event = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "assignment.conflict_overridden")
    )
    assert event.after["reason"] == "Chỉ có một thành viên am hiểu địa bàn"
    # A redistribution keeps the recorded override.
    boards.assign_units(
        db_session, board=board, mode=AssignmentMode.BALANCED, scorers_per_unit=1, actor=None
    )
    assert (setup["members"][1].id, own.id) in _pairs(db_session)


def test_conflict_covers_ancestors_below_the_ministry_and_descendants(make):
    province = make.province()
    district = make.unit(parent=province, kind=UnitKind.DISTRICT)
    commune = make.unit(parent=district)
    elsewhere = make.unit()
    admin_of_province = make.admin(scope=province)
    head_of_commune = make.unit_head(unit=commune)
    national = make.admin()
    assert boards.conflict_reason(admin_of_province, commune) == province
    assert boards.conflict_reason(head_of_commune, district) == commune  # a descendant
    assert boards.conflict_reason(head_of_commune, elsewhere) is None
    assert boards.conflict_reason(national, commune) is None  # the ministry does not count


def test_balanced_avoids_conflicts(db_session, make, setup):
    member = setup["members"][2]
    member.user.grants.append(RoleGrant(role=Role.VIEWER, scope_unit=setup["province"]))
    db_session.commit()
    result = boards.assign_units(
        db_session,
        board=setup["board"],
        mode=AssignmentMode.BALANCED,
        scorers_per_unit=3,
        actor=None,
    )
    assert member.id not in {m for m, _u in _pairs(db_session)}
    assert result.short_units == [] and result.created == 21


def test_cluster_board_covers_the_cluster_members(db_session, make):
    province = make.province()
    inside = [make.unit(parent=province) for _ in range(2)]
    make.unit(parent=province)  # not in the cluster
    cluster = make.cluster(owner=province, units=inside)
    board = boards.create_board(
        db_session,
        period=make.period(status=PeriodStatus.SCORING),
        name="Cụm",
        cluster=cluster,
        actor=None,
    )
    assert board.scope_unit_id == province.id
    assert {u.id for u in boards.scope_units(db_session, board)} == {u.id for u in inside}


def test_boards_of_a_closed_period_cannot_change(db_session, make):
    period = make.period(status=PeriodStatus.PUBLISHED)
    with pytest.raises(InvalidState):
        boards.create_board(
            db_session, period=period, name="x", scope_unit=make.province(), actor=None
        )


def test_assignments_frozen_once_scoring_started(db_session, make, setup):
    boards.assign_units(db_session, board=setup["board"], mode=AssignmentMode.ALL, actor=None)
    db_session.commit()
    assignment = db_session.scalars(select(Assignment)).first()
    make.sheet(
        unit=assignment.unit,
        period=setup["period"],
        scorer=assignment.member.user,
        assignment=assignment,
    )
    with pytest.raises(InvalidState):
        boards.assign_units(db_session, board=setup["board"], mode=AssignmentMode.ALL, actor=None)
