"""Database faults during requests: a request whose connection dies (or that cannot get the
database) answers a clear, translated 503 instead of a 500, and the app recovers by itself
(the pool checks connections before use) with no restart."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from emulation.extensions import db
from tests.accounts.helpers import dispose, sign_in
from tests.conftest import PG_URL, IsolatedClient

UNAVAILABLE_VI = "Không kết nối được cơ sở dữ liệu"


@pytest.fixture
def second_app(make_app):
    """Another app (as another worker) with its own connection pool."""
    made = []

    def _make(**config):
        other = make_app(**config)
        other.test_client_class = IsolatedClient
        made.append(other)
        return other

    yield _make
    for other in made:
        dispose(other)


def _engine(app):
    with app.app_context():
        return db.engine


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL pointing at PostgreSQL")
def test_backends_killed_mid_request_give_503_then_the_app_recovers(app, make, second_app):
    worker = second_app()
    engine = _engine(worker)
    pids: set[int] = set()
    event.listen(engine, "connect", lambda conn, _r: pids.add(conn.info.backend_pid))
    client = worker.test_client()
    sign_in(worker, client, make.user())
    assert client.get("/auth/account").status_code == 200

    def kill_all():
        with db.engine.connect() as admin:  # the test's own pool, not the worker's
            for pid in sorted(pids):
                admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    armed = [True]

    def kill_during_the_request(conn, cursor, statement, *args):
        if armed[0]:
            armed[0] = False
            kill_all()  # the statement about to run meets a dead connection

    event.listen(engine, "before_cursor_execute", kill_during_the_request)
    failed = client.get("/auth/account")
    assert failed.status_code == 503
    assert failed.headers["Retry-After"] == "5"
    assert UNAVAILABLE_VI in failed.get_data(as_text=True)
    event.remove(engine, "before_cursor_execute", kill_during_the_request)

    assert client.get("/auth/account").status_code == 200  # a new connection, no restart
    kill_all()  # every pooled connection dies while idle
    assert client.get("/auth/account").status_code == 200  # pre-ping replaces them
    api = client.get("/api/v1/openapi.json")
    assert api.status_code == 200


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's single writer")
def test_database_locked_is_a_503_not_a_500(app, second_app):
    worker = second_app()
    engine = _engine(worker)
    event.listen(engine, "connect", lambda conn, _r: conn.execute("PRAGMA busy_timeout=50"))
    with db.engine.connect() as holder:
        holder.exec_driver_sql("BEGIN IMMEDIATE")  # another process holds the write lock
        holder.exec_driver_sql("INSERT INTO rate_limit_counter VALUES ('x', 1, 0)")
        response = worker.test_client().post(
            "/auth/login", data={"username": "someone", "password": "wrong password!"}
        )
        holder.exec_driver_sql("ROLLBACK")
    assert response.status_code == 503
    assert UNAVAILABLE_VI in response.get_data(as_text=True)
    again = worker.test_client().post(
        "/auth/login", data={"username": "someone", "password": "wrong password!"}
    )
    assert again.status_code == 401


@pytest.mark.skipif(bool(PG_URL), reason="sqlite3 reports bad SQL as OperationalError")
def test_a_bug_in_sql_is_not_disguised_as_unavailable(app, make_app):
    from emulation import access

    worker = make_app(PROPAGATE_EXCEPTIONS=False)
    worker.add_url_rule(
        "/_test/bad-sql",
        "bad_sql",
        access.public(lambda: str(db.session.execute(text("SELECT * FROM no_such_table")))),
    )
    try:
        assert worker.test_client().get("/_test/bad-sql").status_code == 500
    finally:
        dispose(worker)
