"""Board setup pages: create, members, chair, assignment table, override; scope isolation."""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import select

from emulation.accounts.models import Role, RoleGrant
from emulation.campaigns.models import PeriodStatus
from emulation.scoring.models import Assignment, Board, BoardMember


@pytest.fixture
def world(make):
    x, y = make.province("Tỉnh Xanh", code="PX"), make.province("Tỉnh Vàng", code="PY")
    units = [make.unit(parent=x) for _ in range(5)]
    return {
        "x": x,
        "y": y,
        "units": units,
        "period": make.period(status=PeriodStatus.SCORING),
        "admin_x": make.admin(scope=x),
        "chair": make.board_member(scope=x, chair=True, full_name="Chủ tịch"),
        "members": [make.board_member(scope=x, full_name=f"Thành viên {n}") for n in range(2)],
        "foreign": make.board(scope=y),
    }


def test_whole_board_setup_through_the_pages(client, login_as, db_session, world):
    login_as(world["admin_x"])
    response = client.post(
        url_for("scoring.create_board"),
        data={"period": world["period"].id, "name": "Hội đồng Xanh", "scope": f"u{world['x'].id}"},
    )
    assert response.status_code == 302
    board = db_session.scalar(select(Board).where(Board.name == "Hội đồng Xanh"))
    for user in [world["chair"], *world["members"]]:
        client.post(url_for("scoring.add_member", board_id=board.id), data={"user": user.id})
    chair_member = db_session.scalar(
        select(BoardMember).where(BoardMember.user_id == world["chair"].id)
    )
    client.post(url_for("scoring.set_chair", board_id=board.id, member_id=chair_member.id))
    client.post(
        url_for("scoring.assign", board_id=board.id),
        data={"mode": "balanced", "scorers_per_unit": "2"},
    )
    assert len(db_session.scalars(select(Assignment)).all()) == 10
    page = client.get(url_for("scoring.board", board_id=board.id)).get_data(as_text=True)
    assert page.count("✓") >= 10 and "Chủ tịch" in page


def test_override_from_the_table_records_the_reason(client, login_as, db_session, make, world):
    board = make.board(period=world["period"], scope=world["x"])
    chair = make.member(board=board, user=world["chair"], is_chair=True)
    conflicted = world["members"][0]
    conflicted.grants.append(RoleGrant(role=Role.UNIT_HEAD, scope_unit=world["units"][0]))
    member = make.member(board=board, user=conflicted)
    login_as(world["admin_x"])
    client.post(url_for("scoring.assign", board_id=board.id), data={"mode": "all"})
    page = client.get(url_for("scoring.board", board_id=board.id)).get_data(as_text=True)
    assert 'class="override"' in page
    unit = world["units"][0]
    url = url_for("scoring.override", board_id=board.id, member_id=member.id, unit_id=unit.id)
    client.post(url, data={"reason": "ngắn"})
    assert (
        db_session.scalar(
            select(Assignment).where(
                Assignment.member_id == member.id, Assignment.unit_id == unit.id
            )
        )
        is None
    )
    client.post(url, data={"reason": "Không còn ai khác trong cụm"})
    assignment = db_session.scalar(
        select(Assignment).where(Assignment.member_id == member.id, Assignment.unit_id == unit.id)
    )
    assert assignment.conflict_override_reason == "Không còn ai khác trong cụm"
    assert chair.is_chair


def test_admin_of_another_province_gets_404_everywhere(client, login_as, make, world):
    foreign = world["foreign"]
    member = make.member(board=foreign)
    login_as(world["admin_x"])
    unit = world["units"][0]
    for response in (
        client.get(url_for("scoring.board", board_id=foreign.id)),
        client.post(url_for("scoring.assign", board_id=foreign.id), data={"mode": "all"}),
        client.post(url_for("scoring.add_member", board_id=foreign.id), data={"user": 1}),
        client.post(url_for("scoring.set_chair", board_id=foreign.id, member_id=member.id)),
        client.post(url_for("scoring.remove_member", board_id=foreign.id, member_id=member.id)),
        client.post(
            url_for("scoring.override", board_id=foreign.id, member_id=member.id, unit_id=unit.id),
            data={"reason": "x" * 20},
        ),
        client.post(
            url_for("scoring.create_board"),
            data={"period": world["period"].id, "name": "x", "scope": f"u{world['y'].id}"},
        ),
    ):
        assert response.status_code in (404, 302)
        if response.status_code == 302:  # the create form refuses a scope it does not offer
            assert "scoring.board" not in response.headers["Location"]
    index = client.get(url_for("scoring.boards")).get_data(as_text=True)
    assert foreign.name not in index


def test_non_admin_is_refused(client, login_as, world):
    login_as(world["chair"])
    assert client.get(url_for("scoring.boards")).status_code == 403
