"""Shared fixtures: `app`, `client`, `db_session`, `login_as`, `make` (factories).

The database is created once per test session (a temporary SQLite file, or a fresh
PostgreSQL database next to TEST_DATABASE_URL) and emptied after every test."""

from __future__ import annotations

import contextvars
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from config import TestingConfig
from emulation import create_app
from emulation.extensions import db
from tests.factories import DEFAULT_PASSWORD, Factory

PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def _fresh_postgres_database(base_url: str) -> tuple[str, callable]:
    """Create an empty database beside `base_url` so parallel runs never collide."""
    url = make_url(base_url)
    name = f"emulation_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    if PG_URL:
        url, drop = _fresh_postgres_database(PG_URL)
        yield url
        drop()
    else:
        path = tmp_path_factory.mktemp("db") / "test.sqlite"
        yield f"sqlite:///{path}"


@pytest.fixture(scope="session")
def evidence_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("evidence")


@pytest.fixture(scope="session")
def make_app(database_url, evidence_dir):
    """Build an app on the test database with config overrides (e.g. CSRF on)."""

    def _make(**overrides):
        config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
        config.update(SQLALCHEMY_DATABASE_URI=database_url, EVIDENCE_DIR=str(evidence_dir))
        config.update(overrides)
        return create_app(config)

    return _make


@pytest.fixture(scope="session")
def _schema(make_app):
    app = make_app()
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(_schema) -> Iterator:
    app = _schema
    ctx = app.test_request_context()
    ctx.push()
    yield app
    db.session.rollback()
    db.session.remove()
    _empty_all_tables()
    ctx.pop()


def _empty_all_tables() -> None:
    engine = db.engine
    tables = list(reversed(db.metadata.sorted_tables))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            # unit <-> cluster reference each other: check the keys once, at commit.
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def reset_db(app):
    """Empty every table now: a property test's examples each start from a clean database."""

    def _reset() -> None:
        db.session.rollback()
        db.session.expunge_all()
        _empty_all_tables()

    return _reset


@pytest.fixture
def db_session(app):
    return db.session


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context and DB session, as under a real server.

    The test's own session commits before the request (so the request sees what the test
    made) and forgets its cached objects after it (so the test sees what the request did)."""

    def open(self, *args, **kwargs):
        db.session.commit()
        try:
            return contextvars.Context().run(super().open, *args, **kwargs)
        finally:
            db.session.expire_all()


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def make(app) -> Factory:
    return Factory(db.session)


@pytest.fixture
def login_as(client):
    """Sign `user` in through the real login form; returns the response."""

    def _login(user, password: str = DEFAULT_PASSWORD):
        response = client.post(
            "/auth/login", data={"username": user.username, "password": password}
        )
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        if response.headers["Location"].endswith("/auth/two-factor") and user.totp_secret:
            import pyotp  # an enrolled user: answer the second step with the next code

            code = pyotp.TOTP(user.totp_secret).at(int(time.time()) + 30)
            response = client.post("/auth/two-factor", data={"code": code})
            assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return response

    return _login
