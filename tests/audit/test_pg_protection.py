"""On PostgreSQL the migration makes the audit log append-only in the database itself
(issue 12, item 7): UPDATE, DELETE and TRUNCATE of audit rows are refused."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from emulation.audit.services import record, verify_chain
from emulation.extensions import db
from tests.conftest import PG_URL, _fresh_postgres_database

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL only (TEST_DATABASE_URL)")


@pytest.fixture
def migrated_app(make_app):
    url, drop = _fresh_postgres_database(PG_URL)
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        yield app
        db.session.remove()
        db.engine.dispose()
    drop()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET ip = '10.9.9.9'",
        "DELETE FROM audit_event WHERE id = (SELECT MAX(id) FROM audit_event)",
        "TRUNCATE audit_event CASCADE",
        "DELETE FROM audit_head",
    ],
)
def test_the_database_refuses_to_change_audit_rows(migrated_app, statement):
    for i in range(3):
        record(db.session, None, "period.opened", object_type="Period", object_id=i)
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()
    # Appending still works (the head row may be updated), and the chain is whole.
    record(db.session, None, "period.closed", object_type="Period", object_id=9)
    db.session.commit()
    report = verify_chain(db.session)
    assert report.ok and report.checked == 4
