"""The scheduler verifies the audit chain (issue 12, item 7 follow-up): the job runs once per
tick under the scheduler's lock, records every outcome (AuditCheck), logs a broken chain as an
ERROR, and the audit page shows the last result, with a danger alert when it failed."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, select, update

from emulation import scheduler as sched
from emulation.audit.models import AuditCheck, AuditEvent
from emulation.audit.services import record
from emulation.leaderboards.models import JobRun

NOW = datetime(2026, 11, 26, 10, 7, 30)
DAY = 24 * 3600


@pytest.fixture
def chain(make, db_session):
    """A national admin and a few events after the ones the factories wrote."""
    admin = make.admin(username="quantri")
    for i in range(4):
        record(db_session, admin, "unit.renamed", object_type="Unit", object_id=i, after={"i": i})
    db_session.commit()
    events = list(db_session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    return admin, events


def _checks(db_session):
    db_session.expire_all()
    return list(db_session.scalars(select(AuditCheck).order_by(AuditCheck.id)))


def test_the_scheduler_has_the_job_daily_by_default_and_configurable(make_app):
    from emulation.extensions import db

    for overrides, hours in (({}, 24), ({"AUDIT_VERIFY_INTERVAL_HOURS": 6}, 6)):
        app = make_app(**overrides)
        job = sched.build_scheduler(app).get_job(sched.AUDIT_VERIFY)
        assert job is not None and job.trigger.interval == timedelta(hours=hours)
        assert tuple(job.args[1:]) == (sched.AUDIT_VERIFY, hours * 3600)
        with app.app_context():
            db.engine.dispose()


def test_an_intact_chain_is_recorded_ok_once_per_tick(app, chain, db_session, caplog):
    _admin, events = chain
    with caplog.at_level(logging.INFO):
        assert sched.run_job(app, sched.AUDIT_VERIFY, DAY, now=NOW) == "done"
        # A second scheduler (or a restart) in the same tick finds it taken: the lock holds.
        assert sched.run_job(app, sched.AUDIT_VERIFY, DAY, now=NOW) == "skipped"
    (check,) = _checks(db_session)
    assert check.ok and check.checked == len(events) and check.last_id == events[-1].id
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    run = db_session.scalar(select(JobRun).where(JobRun.job == sched.AUDIT_VERIFY))
    assert run.status == "done" and "audit log OK" in run.detail
    # The next tick runs again.
    assert sched.run_job(app, sched.AUDIT_VERIFY, DAY, now=NOW + timedelta(days=1)) == "done"
    assert len(_checks(db_session)) == 2


def test_a_truncated_chain_is_recorded_as_failed_logged_and_shown(
    app, chain, db_session, client, login_as, caplog
):
    admin, events = chain
    db_session.execute(delete(AuditEvent).where(AuditEvent.id >= events[-2].id))
    db_session.commit()
    with caplog.at_level(logging.INFO):
        assert sched.run_job(app, sched.AUDIT_VERIFY, DAY, now=NOW) == "done"
    (check,) = _checks(db_session)
    assert not check.ok and check.problem == "truncated" and check.last_id == events[-3].id
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("audit verify FAILED" in m and "newest events were deleted" in m for m in errors)

    login_as(admin)  # signing in appends to the log; the recorded check stays the failure
    html = client.get("/admin/audit/").get_data(as_text=True)
    status = html[html.index("chain-status") - 60 : html.index("chain-status") + 1200]
    assert "alert-danger" in status and 'role="alert"' in status
    assert "THẤT BẠI" in status and "Các sự kiện mới nhất đã bị xoá" in status
    assert f"kết thúc tại sự kiện {events[-3].id}" in status


def test_an_edited_event_is_shown_as_edited(app, chain, db_session, client, login_as):
    admin, events = chain
    db_session.execute(
        update(AuditEvent).where(AuditEvent.id == events[1].id).values(after={"i": 99})
    )
    db_session.commit()
    assert sched.run_job(app, sched.AUDIT_VERIFY, DAY, now=NOW) == "done"
    login_as(admin)
    html = client.get("/admin/audit/?lang=en").get_data(as_text=True)
    assert f"Event {events[1].id} was edited after it was written." in html
    assert "alert-danger" in html


def test_an_ok_check_is_shown_and_an_overdue_one_is_flagged(
    app, chain, db_session, client, login_as
):
    admin, _events = chain
    login_as(admin)
    assert sched.run_job(app, sched.AUDIT_VERIFY, DAY, now=NOW) == "done"
    html = client.get("/admin/audit/?lang=en").get_data(as_text=True)
    assert "Chain verified up to event" in html and "chain-stale" not in html
    assert "alert-danger" not in html
    db_session.execute(update(AuditCheck).values(at=datetime(2020, 1, 1)))
    db_session.commit()
    html = client.get("/admin/audit/?lang=en").get_data(as_text=True)
    assert "No verification for more than 48 hours" in html
