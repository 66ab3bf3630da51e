"""The audit log is append-only and hash-chained; tampering is found by verify."""

from sqlalchemy import update

from emulation.audit.models import AuditEvent
from emulation.audit.services import GENESIS, record, verify_chain


def _three_events(make, db_session):
    actor = make.admin(username="quantri")
    unit = make.unit()
    record(db_session, actor, "unit.renamed", unit, before={"name": "A"}, after={"name": "B"})
    record(db_session, actor, "unit.retired", unit, ip="10.0.0.1")
    record(db_session, None, "period.opened", object_type="Period", object_id=7)
    db_session.commit()
    return db_session.query(AuditEvent).order_by(AuditEvent.id).all()


def test_events_link_to_the_previous_hash(make, db_session):
    events = _three_events(make, db_session)
    assert events[0].prev_hash == GENESIS
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert events[0].actor_name == "quantri" and events[2].actor_name == "system"
    assert events[0].object_type == "Unit" and events[0].after == {"name": "B"}
    assert verify_chain(db_session).ok and verify_chain(db_session).checked == 3


def test_editing_a_past_event_breaks_the_chain_there(make, db_session):
    events = _three_events(make, db_session)
    db_session.execute(
        update(AuditEvent).where(AuditEvent.id == events[1].id).values(ip="10.9.9.9")
    )
    db_session.commit()
    report = verify_chain(db_session)
    assert not report.ok and report.broken_at == events[1].id and report.checked == 1


def test_deleting_a_past_event_breaks_the_chain(make, db_session):
    events = _three_events(make, db_session)
    db_session.delete(db_session.get(AuditEvent, events[0].id))
    db_session.commit()
    assert verify_chain(db_session).broken_at == events[1].id


def test_cli_verify_reports_ok_and_broken(make, db_session, app):
    events = _three_events(make, db_session)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "3 events verified" in result.output
    db_session.execute(
        update(AuditEvent).where(AuditEvent.id == events[2].id).values(action="period.closed")
    )
    db_session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"BROKEN at event id {events[2].id}" in result.output
