"""Windows: the scheduler's apply_period_windows and admins' extensions with a reason."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from emulation.audit.models import AuditEvent
from emulation.campaigns.models import PeriodStatus as S
from emulation.campaigns.services import apply_period_windows, extend_window
from emulation.errors import Conflict, InvalidInput, InvalidState
from tests.campaigns.helpers import valid_set

SA_OPEN = datetime(2026, 3, 1, 1, 0)
SA_CLOSE = datetime(2026, 3, 15, 10, 0)
SC_OPEN = datetime(2026, 3, 16, 1, 0)
SC_CLOSE = datetime(2026, 3, 31, 10, 0)
SECOND = timedelta(seconds=1)


@pytest.fixture
def period(make):
    period = make.period(
        status=S.OPEN,
        self_assessment_opens_at=SA_OPEN,
        self_assessment_closes_at=SA_CLOSE,
        scoring_opens_at=SC_OPEN,
        scoring_closes_at=SC_CLOSE,
    )
    valid_set(make, period)
    return period


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (SA_OPEN - SECOND, S.OPEN),
        (SA_OPEN, S.SELF_ASSESSMENT),
        (SA_CLOSE, S.SELF_ASSESSMENT),
        (SC_OPEN - SECOND, S.SELF_ASSESSMENT),
        (SC_OPEN, S.SCORING),
        (SC_CLOSE - SECOND, S.SCORING),
        (SC_CLOSE, S.CLOSED),
    ],
)
def test_status_follows_the_window_boundaries(db_session, period, now, expected):
    apply_period_windows(db_session, now)
    db_session.commit()
    assert period.status is expected


def test_apply_is_idempotent_and_audited_as_system(db_session, period):
    moved = apply_period_windows(db_session, SA_OPEN)
    db_session.commit()
    assert moved == [period] and period.status is S.SELF_ASSESSMENT
    assert period.criteria_frozen_at == SA_OPEN
    version = period.version
    assert apply_period_windows(db_session, SA_OPEN + SECOND) == []
    db_session.commit()
    assert period.version == version
    events = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "period.transitioned")
    ).all()
    assert len(events) == 1 and events[0].actor_name == "system" and events[0].actor_id is None


def test_a_late_run_catches_up_step_by_step(db_session, period):
    apply_period_windows(db_session, SC_CLOSE + timedelta(days=1))
    db_session.commit()
    assert period.status is S.CLOSED
    actions = db_session.scalars(
        select(AuditEvent.after).where(AuditEvent.action == "period.transitioned")
    ).all()
    assert [a["status"] for a in actions] == ["self_assessment", "scoring", "closed"]


def test_draft_and_published_periods_are_left_alone(make, db_session):
    draft = make.period(status=S.DRAFT, self_assessment_opens_at=SA_OPEN)
    done = make.period(status=S.PUBLISHED, scoring_closes_at=SC_CLOSE)
    assert apply_period_windows(db_session, SC_CLOSE + SECOND) == []
    assert draft.status is S.DRAFT and done.status is S.PUBLISHED


def test_an_invalid_set_keeps_the_period_open(make, db_session):
    period = make.period(status=S.OPEN, self_assessment_opens_at=SA_OPEN)
    assert apply_period_windows(db_session, SA_OPEN) == []
    assert period.status is S.OPEN


def test_extending_a_window_needs_a_reason(make, db_session, period):
    admin = make.admin()
    later = SA_CLOSE + timedelta(hours=6)
    with pytest.raises(InvalidInput):
        extend_window(
            db_session,
            period=period,
            window="self_assessment_closes_at",
            new_value=later,
            reason=" ",
            actor=admin,
            expected_version=period.version,
        )
    db_session.rollback()
    assert period.self_assessment_closes_at == SA_CLOSE


def test_extension_is_audited_with_before_after_and_reason(make, db_session, period):
    admin = make.admin()
    later = SA_CLOSE + timedelta(hours=6)
    extend_window(
        db_session,
        period=period,
        window="self_assessment_closes_at",
        new_value=later,
        reason="Mất điện diện rộng",
        actor=admin,
        expected_version=period.version,
    )
    db_session.commit()
    assert period.self_assessment_closes_at == later
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "period.window_extended")
    ).one()
    assert event.before == {"self_assessment_closes_at": SA_CLOSE.isoformat()}
    assert event.after == {
        "self_assessment_closes_at": later.isoformat(),
        "reason": "Mất điện diện rộng",
    }


def test_extension_must_move_later_and_keep_the_order(make, db_session, period):
    admin = make.admin()
    kw = {"period": period, "reason": "x", "actor": admin, "expected_version": period.version}
    with pytest.raises(InvalidInput):
        extend_window(db_session, window="scoring_closes_at", new_value=SC_CLOSE, **kw)
    with pytest.raises(InvalidInput):  # past the opening of scoring
        extend_window(
            db_session, window="self_assessment_closes_at", new_value=SC_OPEN + SECOND, **kw
        )
    with pytest.raises(InvalidInput):
        extend_window(db_session, window="self_assessment_opens_at", new_value=SA_CLOSE, **kw)


def test_a_finished_phase_cannot_be_extended(make, db_session, period):
    period.status = S.SCORING
    db_session.commit()
    with pytest.raises(InvalidState):
        extend_window(
            db_session,
            period=period,
            window="self_assessment_closes_at",
            new_value=SA_CLOSE + SECOND,
            reason="x",
            actor=make.admin(),
            expected_version=period.version,
        )


def test_extension_with_a_stale_version_is_a_conflict(make, db_session, period):
    with pytest.raises(Conflict):
        extend_window(
            db_session,
            period=period,
            window="scoring_closes_at",
            new_value=SC_CLOSE + SECOND,
            reason="x",
            actor=make.admin(),
            expected_version=period.version + 1,
        )
