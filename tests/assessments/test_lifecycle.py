"""Draft → submitted → returned → resubmitted; what blocks a submit; audit of each step."""

import pytest
from sqlalchemy import select

from emulation.assessments import services
from emulation.assessments.models import AssessmentStatus
from emulation.audit.models import AuditEvent
from emulation.errors import Conflict, InvalidInput, InvalidState
from tests.assessments.helpers import build, fill_complete, save


def _submit(session, world, draft, **kw):
    kw.setdefault("expected_version", draft.version)
    return services.submit_assessment(session, assessment=draft, actor=world.head, **kw)


def test_submit_refuses_an_incomplete_assessment_listing_each_problem(make, db_session):
    world = build(make)
    draft = world.draft(make)
    save(db_session, world, draft, "1.1", 500)
    save(db_session, world, draft, "1.3", 1)  # justification required, none given
    save(db_session, world, draft, "P1", 2)  # a declared penalty needs its evidence
    save(db_session, world, draft, "V1", 1)  # a declared veto needs an explanation
    with pytest.raises(InvalidInput) as info:
        _submit(db_session, world, draft)
    problems = [(m.criterion.code, m.message) for m in info.value.details]
    assert problems == [
        ("1.2", "Give a value."),
        ("1.3", "Give a justification."),
        ("B1", "Give a value."),
        ("P1", "Attach at least one evidence file."),
        ("V1", "Explain the declared veto condition."),
    ]
    assert draft.status is AssessmentStatus.DRAFT


def test_draft_submitted_returned_resubmitted(make, db_session):
    world = build(make)
    chair = make.board_member(scope=world.unit.parent, chair=True)
    draft = world.draft(make)
    fill_complete(db_session, world, draft)
    _submit(db_session, world, draft)
    assert draft.status is AssessmentStatus.SUBMITTED and draft.submitted_by_id == world.head.id
    with pytest.raises(InvalidState):  # read-only once submitted
        save(db_session, world, draft, "1.1", 100)

    services.return_for_revision(
        db_session, assessment=draft, actor=chair, reason="Thiếu biên bản tiêu chí 1.3"
    )
    assert draft.status is AssessmentStatus.RETURNED
    assert draft.return_reason == "Thiếu biên bản tiêu chí 1.3"
    with pytest.raises(InvalidState):  # only a submitted one can be returned
        services.return_for_revision(db_session, assessment=draft, actor=chair, reason="x")

    save(db_session, world, draft, "1.1", 600)
    _submit(db_session, world, draft, explanation="Đã bổ sung biên bản")
    assert draft.status is AssessmentStatus.SUBMITTED
    assert draft.explanation == "Đã bổ sung biên bản"
    db_session.commit()
    actions = db_session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.action.like("self_assessment.%"))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "self_assessment.submitted",
        "self_assessment.returned",
        "self_assessment.submitted",
    ]
    returned = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "self_assessment.returned")
    )
    assert returned.actor_id == chair.id
    assert returned.after["reason"] == "Thiếu biên bản tiêu chí 1.3"
    assert returned.before["status"] == "submitted"


def test_return_needs_a_reason(make, db_session):
    world = build(make)
    draft = world.draft(make)
    fill_complete(db_session, world, draft)
    _submit(db_session, world, draft)
    with pytest.raises(InvalidInput):
        services.return_for_revision(db_session, assessment=draft, actor=world.head, reason="  ")
    assert draft.status is AssessmentStatus.SUBMITTED


def test_submit_after_a_change_elsewhere_asks_for_a_new_review(make, db_session):
    world = build(make)
    draft = world.draft(make)
    fill_complete(db_session, world, draft)
    reviewed = draft.version
    save(db_session, world, draft, "1.1", 100)  # another device, after the review
    with pytest.raises(Conflict):
        _submit(db_session, world, draft, expected_version=reviewed)


def test_start_creates_one_draft_and_audits_it(make, db_session):
    world = build(make)
    first = services.start_assessment(
        db_session, unit=world.unit, period=world.period, actor=world.head
    )
    again = services.start_assessment(
        db_session, unit=world.unit, period=world.period, actor=world.head
    )
    assert first is again and first.status is AssessmentStatus.DRAFT
    assert services.assessment_for(db_session, world.unit, world.period) is first
    db_session.commit()
    assert db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "self_assessment.started")
    )
