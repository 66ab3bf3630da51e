"""Classification rules of a period: bands, the cap on excellent, the tie-break chain."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from emulation.audit.models import AuditEvent
from emulation.campaigns import services
from emulation.campaigns.models import PeriodStatus
from emulation.campaigns.validation import Rules
from emulation.errors import Conflict, InvalidInput, InvalidState
from tests.campaigns.helpers import valid_set

CHAIN = ("total", "group:1", "bonus", "fewer_penalties")


def rules(**kw) -> Rules:
    values = {
        "band_excellent": 9500,
        "band_good": 8000,
        "band_completed": 6000,
        "excellent_cap_percent": 20,
        "tie_break": CHAIN,
    }
    values.update(kw)
    return Rules(**values)


@pytest.fixture
def period(make):
    period = make.period()
    valid_set(make, period)
    return period


def test_rules_are_saved_and_audited(make, db_session, period):
    services.update_rules(
        db_session,
        period=period,
        data=rules(),
        actor=make.admin(),
        expected_version=period.version,
    )
    db_session.commit()
    assert (period.band_excellent, period.band_good, period.band_completed) == (9500, 8000, 6000)
    assert period.tie_break == list(CHAIN) and period.excellent_cap_percent == 20
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "period.rules_updated")
    ).one()
    assert event.before["band_excellent"] == 9000 and event.after["band_excellent"] == 9500


@pytest.mark.parametrize(
    "bad",
    [
        rules(band_good=9500),
        rules(band_excellent=12000),  # above 100 base + 10 bonus
        rules(excellent_cap_percent=0),
        rules(tie_break=("group:1", "total")),
        rules(tie_break=("total", "total")),
        rules(tie_break=("total", "group:4")),  # no such group in this set
    ],
)
def test_invalid_rules_change_nothing(make, db_session, period, bad):
    with pytest.raises(InvalidInput):
        services.update_rules(
            db_session, period=period, data=bad, actor=None, expected_version=period.version
        )
    db_session.rollback()
    assert period.band_excellent == 9000


def test_rules_can_still_change_during_scoring_but_not_once_closed(make, db_session, period):
    period.status = PeriodStatus.SCORING
    db_session.commit()
    services.update_rules(
        db_session, period=period, data=rules(), actor=None, expected_version=period.version
    )
    period.status = PeriodStatus.CLOSED
    db_session.commit()
    with pytest.raises(InvalidState):
        services.update_rules(
            db_session,
            period=period,
            data=rules(band_good=7000),
            actor=None,
            expected_version=period.version,
        )


def test_stale_rules_are_a_conflict(db_session, period):
    with pytest.raises(Conflict):
        services.update_rules(
            db_session,
            period=period,
            data=rules(),
            actor=None,
            expected_version=period.version - 1,
        )
