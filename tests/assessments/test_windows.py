"""The self-assessment window, and an administrator's per-unit extension."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from emulation.assessments import services
from emulation.assessments.windows import window_for
from emulation.audit.models import AuditEvent
from emulation.campaigns.models import PeriodStatus
from emulation.db import utcnow
from emulation.errors import InvalidInput, InvalidState
from tests.assessments.helpers import build, fill_complete, save


def test_after_the_deadline_saving_and_submitting_are_refused_with_the_dates(make, db_session):
    world = build(make)
    draft = world.draft(make)
    fill_complete(db_session, world, draft)
    later = world.period.self_assessment_closes_at + timedelta(minutes=1)
    with pytest.raises(InvalidState) as info:
        services.save_self_score(
            db_session,
            assessment=draft,
            actor=world.head,
            expected_version=None,
            now=later,
            data=services.ScoreInput(world.c["1.1"].id, 100),
        )
    closes = world.period.self_assessment_closes_at + timedelta(hours=7)  # Vietnam time
    assert closes.strftime("%d/%m/%Y %H:%M") in info.value.message
    with pytest.raises(InvalidState):
        services.submit_assessment(
            db_session, assessment=draft, actor=world.head, expected_version=None, now=later
        )


def test_a_period_in_board_scoring_is_closed_to_drafts(make, db_session):
    world = build(make, status=PeriodStatus.SCORING, closes_in=-timedelta(days=1))
    draft = world.draft(make)
    with pytest.raises(InvalidState):
        save(db_session, world, draft, "1.1", 100)
    with pytest.raises(InvalidState):
        services.start_assessment(
            db_session, unit=make.unit(), period=world.period, actor=world.head
        )


def test_an_extension_reopens_the_window_for_that_unit_only(make, db_session):
    world = build(make, status=PeriodStatus.SCORING, closes_in=-timedelta(days=1))
    admin = make.admin()
    other = make.unit(parent=world.unit.parent)
    until = utcnow() + timedelta(days=2)
    services.extend_deadline(
        db_session,
        period=world.period,
        unit=world.unit,
        until=until,
        reason="Mất điện kéo dài do bão",
        actor=admin,
    )
    now = utcnow()
    assert window_for(db_session, world.period, world.unit, now).is_open
    assert not window_for(db_session, world.period, other, now).is_open
    draft = world.draft(make)
    fill_complete(db_session, world, draft)
    services.submit_assessment(
        db_session, assessment=draft, actor=world.head, expected_version=draft.version
    )
    after = until + timedelta(minutes=1)
    assert not window_for(db_session, world.period, world.unit, after).is_open
    db_session.commit()
    event = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "self_assessment.deadline_extended")
    )
    assert event.actor_id == admin.id and event.after["reason"] == "Mất điện kéo dài do bão"


def test_an_extension_needs_a_reason_and_a_later_date(make, db_session):
    world = build(make)
    admin = make.admin()
    later = utcnow() + timedelta(days=10)
    with pytest.raises(InvalidInput):
        services.extend_deadline(
            db_session, period=world.period, unit=world.unit, until=later, reason=" ", actor=admin
        )
    with pytest.raises(InvalidInput):  # not after the period's own deadline
        services.extend_deadline(
            db_session,
            period=world.period,
            unit=world.unit,
            reason="Bão",
            until=world.period.self_assessment_closes_at - timedelta(hours=1),
            actor=admin,
        )


def test_a_returned_assessment_can_be_revised_during_scoring(make, db_session):
    world = build(make)
    draft = world.draft(make)
    fill_complete(db_session, world, draft)
    services.submit_assessment(
        db_session, assessment=draft, actor=world.head, expected_version=draft.version
    )
    world.period.status = PeriodStatus.SCORING
    world.period.self_assessment_closes_at = utcnow() - timedelta(days=1)
    services.return_for_revision(db_session, assessment=draft, actor=make.admin(), reason="Xem lại")
    save(db_session, world, draft, "1.1", 600)
    services.submit_assessment(
        db_session, assessment=draft, actor=world.head, expected_version=draft.version
    )
    world.period.status = PeriodStatus.CLOSED
    with pytest.raises(InvalidState):
        services.return_for_revision(db_session, assessment=draft, actor=world.head, reason="x")
