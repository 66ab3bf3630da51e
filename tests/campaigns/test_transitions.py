"""The period lifecycle: legal and illegal moves, the freeze, publishing."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from emulation.audit.models import AuditEvent
from emulation.campaigns.models import PeriodStatus as S
from emulation.campaigns.services import transition_period
from emulation.errors import InvalidInput, InvalidState
from tests.campaigns.helpers import valid_set

LEGAL = [
    (S.DRAFT, S.OPEN),
    (S.OPEN, S.SELF_ASSESSMENT),
    (S.SELF_ASSESSMENT, S.SCORING),
    (S.SCORING, S.CLOSED),
    (S.CLOSED, S.PUBLISHED),
]
ILLEGAL = [
    (S.DRAFT, S.SELF_ASSESSMENT),
    (S.DRAFT, S.PUBLISHED),
    (S.OPEN, S.SCORING),
    (S.SELF_ASSESSMENT, S.OPEN),  # would unfreeze the criteria
    (S.SELF_ASSESSMENT, S.CLOSED),
    (S.SCORING, S.PUBLISHED),
    (S.PUBLISHED, S.CLOSED),
    (S.PUBLISHED, S.DRAFT),
    (S.DRAFT, S.DRAFT),
]


@pytest.mark.parametrize(("start", "to"), LEGAL)
def test_each_forward_step_is_allowed_and_audited(make, db_session, start, to):
    period = make.period(status=start)
    valid_set(make, period)
    admin = make.admin()
    transition_period(db_session, period=period, to=to, actor=admin)
    db_session.commit()
    assert period.status is to
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "period.transitioned")
    ).one()
    assert event.before == {"status": str(start)}
    assert event.after["status"] == str(to)
    assert event.actor_name == admin.username


@pytest.mark.parametrize(("start", "to"), ILLEGAL)
def test_illegal_jumps_are_refused_with_a_message(make, db_session, start, to):
    period = make.period(status=start)
    with pytest.raises(InvalidState) as err:
        transition_period(db_session, period=period, to=to, actor=make.admin())
    assert "cannot go from" in err.value.message
    db_session.rollback()
    assert period.status is start


@pytest.mark.parametrize(
    ("start", "to"), [(S.OPEN, S.DRAFT), (S.SCORING, S.SELF_ASSESSMENT), (S.CLOSED, S.SCORING)]
)
def test_moving_back_needs_a_reason(make, db_session, start, to):
    period = make.period(status=start)
    with pytest.raises(InvalidInput):
        transition_period(db_session, period=period, to=to, actor=make.admin(), reason="  ")
    transition_period(db_session, period=period, to=to, actor=make.admin(), reason="Sai lịch")
    db_session.commit()
    assert period.status is to
    event = db_session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.after["reason"] == "Sai lịch"


def test_opening_self_assessment_freezes_the_criteria(make, db_session):
    period = make.period(status=S.OPEN)
    valid_set(make, period)
    now = datetime(2026, 3, 1, 1, 0)
    transition_period(db_session, period=period, to=S.SELF_ASSESSMENT, actor=make.admin(), now=now)
    db_session.commit()
    assert period.criteria_frozen_at == now


def test_self_assessment_cannot_open_on_an_invalid_set(make, db_session):
    period = make.period(status=S.OPEN)
    make.group(period=period, code="1", max_points=10000)
    make.criterion(period=period, code="X", max_points=0)
    with pytest.raises(InvalidState) as err:
        transition_period(db_session, period=period, to=S.SELF_ASSESSMENT, actor=make.admin())
    assert err.value.details  # the list of problems
    db_session.rollback()
    assert period.status is S.OPEN and period.criteria_frozen_at is None


def test_self_assessment_cannot_open_with_no_criteria(make, db_session):
    period = make.period(status=S.OPEN)
    with pytest.raises(InvalidState):
        transition_period(db_session, period=period, to=S.SELF_ASSESSMENT, actor=make.admin())


def test_publishing_records_when_and_who(make, db_session):
    period = make.period(status=S.CLOSED)
    chair = make.admin()
    now = datetime(2026, 12, 20, 3, 0)
    transition_period(db_session, period=period, to=S.PUBLISHED, actor=chair, now=now)
    db_session.commit()
    assert period.published_at == now and period.published_by_id == chair.id


def test_a_stale_version_is_a_conflict(make, db_session):
    from emulation.errors import Conflict

    period = make.period(status=S.DRAFT)
    with pytest.raises(Conflict):
        transition_period(
            db_session,
            period=period,
            to=S.OPEN,
            actor=make.admin(),
            expected_version=period.version - 1,
        )
