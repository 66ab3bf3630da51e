"""The chain's head is anchored, so `flask audit verify` reports an edited, a deleted and a
truncated chain (issue 12, item 7)."""

from __future__ import annotations

import logging

from sqlalchemy import delete, update

from emulation.audit.models import AuditEvent, AuditHead
from emulation.audit.services import GENESIS, record, verify_chain


def _events(make, db_session, n=4):
    actor = make.admin(username="quantri")
    for i in range(n):
        record(db_session, actor, "unit.renamed", object_type="Unit", object_id=i, after={"i": i})
    db_session.commit()
    return db_session.query(AuditEvent).order_by(AuditEvent.id).all()


def _verify(app, *args):
    result = app.test_cli_runner().invoke(args=["audit", "verify", *args])
    return result.exit_code, result.output


def test_the_head_follows_every_append(make, db_session):
    events = _events(make, db_session)
    head = db_session.get(AuditHead, 1)
    # make.admin records its own events (user created, role granted) before ours.
    total = db_session.query(AuditEvent).count()
    assert (head.count, head.last_id, head.hash) == (total, events[-1].id, events[-1].hash)
    assert verify_chain(db_session).ok


def test_deleting_the_newest_events_is_reported_as_truncated(app, make, db_session):
    events = _events(make, db_session)
    db_session.execute(delete(AuditEvent).where(AuditEvent.id >= events[-2].id))
    db_session.commit()
    report = verify_chain(db_session)
    assert report.problem == "truncated" and report.last_id == events[-3].id
    code, output = _verify(app)
    assert code == 1 and "TRUNCATED" in output and "newest events were deleted" in output


def test_an_edited_event_is_reported_as_edited(app, make, db_session):
    events = _events(make, db_session)
    db_session.execute(
        update(AuditEvent).where(AuditEvent.id == events[1].id).values(after={"i": 99})
    )
    db_session.commit()
    code, output = _verify(app)
    assert code == 1
    assert f"BROKEN at event id {events[1].id}: its content was edited" in output


def test_a_deleted_event_in_the_middle_is_reported_as_a_broken_link(app, make, db_session):
    events = _events(make, db_session)
    db_session.execute(delete(AuditEvent).where(AuditEvent.id == events[1].id))
    db_session.commit()
    code, output = _verify(app)
    assert code == 1 and f"BROKEN at event id {events[2].id}" in output
    assert "deleted or inserted" in output


def test_truncation_with_a_rewritten_head_is_caught_by_the_logged_anchor(
    app, make, db_session, caplog
):
    caplog.set_level(logging.INFO, logger="emulation.audit")
    events = _events(make, db_session)
    logged = [r.getMessage() for r in caplog.records if r.name == "emulation.audit"][-1]
    count = int(logged.split("count=")[1].split()[0])
    digest = logged.split("hash=")[1]
    assert digest == events[-1].hash
    # An intruder deletes the newest event and rewrites the head to match.
    db_session.execute(delete(AuditEvent).where(AuditEvent.id == events[-1].id))
    db_session.execute(
        update(AuditHead).values(count=count - 1, last_id=events[-2].id, hash=events[-2].hash)
    )
    db_session.commit()
    assert _verify(app)[0] == 0  # the database alone cannot tell
    code, output = _verify(app, "--anchor", f"{count}:{digest}")
    assert code == 1 and "anchor" in output


def test_a_rolled_back_append_is_not_logged_and_leaves_the_head(make, db_session, caplog):
    _events(make, db_session, n=1)
    head_before = (db_session.get(AuditHead, 1).count, db_session.get(AuditHead, 1).hash)
    caplog.clear()
    record(db_session, None, "period.opened", object_type="Period", object_id=1)
    db_session.rollback()
    assert not [r for r in caplog.records if r.name == "emulation.audit"]
    head = db_session.get(AuditHead, 1)
    assert (head.count, head.hash) == head_before


def test_an_empty_log_verifies_and_its_head_is_genesis(app, db_session):
    assert verify_chain(db_session).ok
    record(db_session, None, "period.opened", object_type="Period", object_id=1)
    db_session.commit()
    assert db_session.get(AuditHead, 1).count == 1
    assert db_session.query(AuditEvent).one().prev_hash == GENESIS
    code, output = _verify(app)
    assert code == 0 and "1 events verified" in output
