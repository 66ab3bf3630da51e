"""Publishing: refused while a board is not finalised (with the list); allowed to a national
administrator or the chair of a national board only; the next recompute is official."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from emulation.campaigns.models import PeriodStatus
from emulation.campaigns.services import transition_period
from emulation.db import utcnow
from emulation.errors import InvalidState, NotAllowed
from emulation.leaderboards.models import Snapshot
from emulation.leaderboards.recompute import recompute_due
from emulation.scoring import publish
from tests.scoring.helpers import build


@pytest.fixture
def world(make, english):
    return build(make)


def test_publishing_with_unfinalised_boards_is_refused_with_their_names(db_session, world, make):
    make.board(period=world.period, scope=make.province(), name="Hội đồng Tỉnh B")
    with pytest.raises(InvalidState) as caught:
        publish.publish_period(db_session, period=world.period, actor=make.admin())
    assert set(caught.value.details) == {"Hội đồng thẩm định thử", "Hội đồng Tỉnh B"}
    db_session.rollback()
    assert world.period.status is PeriodStatus.SCORING


def test_the_period_flow_itself_is_gated(db_session, world, make):
    transition_period(db_session, period=world.period, to=PeriodStatus.CLOSED, actor=None)
    with pytest.raises(InvalidState, match="not finalised"):
        transition_period(db_session, period=world.period, to=PeriodStatus.PUBLISHED, actor=None)


def test_only_national_admins_or_national_board_chairs_publish(db_session, world, make):
    world.board.finalised_at = utcnow()
    db_session.commit()
    for refused in (make.admin(scope=world.province), world.chair):
        with pytest.raises(NotAllowed):
            publish.publish_period(db_session, period=world.period, actor=refused)
    national = make.board(period=world.period, scope=make.ministry(), name="Hội đồng Bộ")
    national_chair = make.board_member(scope=make.ministry(), chair=True)
    make.member(board=national, user=national_chair, is_chair=True)
    assert publish.may_publish(db_session, national_chair, world.period)
    with pytest.raises(InvalidState):  # the national board itself is not finalised
        publish.publish_period(db_session, period=world.period, actor=national_chair)
    db_session.rollback()
    national.finalised_at = utcnow()
    db_session.commit()
    publish.publish_period(db_session, period=world.period, actor=national_chair)
    db_session.commit()
    assert world.period.status is PeriodStatus.PUBLISHED
    assert world.period.published_by_id == national_chair.id


def test_after_publication_the_next_recompute_is_official(db_session, world, make):
    world.board.finalised_at = utcnow()
    db_session.commit()
    recompute_due(db_session)
    db_session.commit()
    publish.publish_period(db_session, period=world.period, actor=make.admin())
    db_session.commit()
    recompute_due(db_session)
    db_session.commit()
    snapshots = db_session.scalars(
        select(Snapshot.official).where(Snapshot.period_id == world.period.id).order_by(Snapshot.id)
    ).all()
    assert snapshots == [False, True]
