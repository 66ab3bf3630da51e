"""Login rate limits live in storage shared by every worker: two apps, one counter."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import select

from emulation.audit.models import AuditEvent
from emulation.extensions import db
from tests.accounts.helpers import dispose
from tests.conftest import IsolatedClient


@pytest.fixture
def workers(make_app):
    """Two app instances (as two gunicorn workers) sharing only the configured storage."""
    made = []

    def _make(**extra):
        prefix = f"t{uuid.uuid4().hex[:8]}"
        apps = [
            make_app(RATELIMIT_ENABLED=True, RATELIMIT_KEY_PREFIX=prefix, **extra) for _ in "ab"
        ]
        for app in apps:
            app.test_client_class = IsolatedClient
        made.extend(apps)
        return [app.test_client() for app in apps]

    yield _make
    for app in made:
        dispose(app)


def _bad_login(client, username, ip="10.0.0.1"):
    return client.post(
        "/auth/login",
        data={"username": username, "password": "wrong password!"},
        environ_base={"REMOTE_ADDR": ip},
    )


def _eleven_failures_across_two_workers(clients, user) -> list[int]:
    return [_bad_login(clients[i % 2], user.username).status_code for i in range(11)]


def test_eleventh_failure_gets_429_in_every_worker_database_storage(app, make, workers):
    user = make.user()
    clients = workers()
    statuses = _eleven_failures_across_two_workers(clients, user)
    assert statuses == [401] * 10 + [429]
    assert _bad_login(clients[0], user.username).status_code == 429
    # The right password does not get through either while the window lasts.
    ok = clients[1].post(
        "/auth/login",
        data={"username": user.username, "password": "correct horse battery"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert ok.status_code == 429


def test_limit_is_per_ip_across_accounts_and_per_account_across_ips(app, make, workers):
    clients = workers()
    by_ip = [_bad_login(clients[i % 2], f"nobody{i}").status_code for i in range(11)]
    assert by_ip[-1] == 429 and 429 not in by_ip[:10]
    user = make.user()
    by_account = [
        _bad_login(clients[i % 2], user.username, ip=f"10.1.0.{i}").status_code for i in range(11)
    ]
    assert by_account[-1] == 429 and 429 not in by_account[:10]


def test_failed_attempts_and_lockout_are_audited(app, make, workers):
    user = make.user()
    client = workers(LOGIN_LOCKOUT_THRESHOLD=3)[0]
    for _ in range(3):
        _bad_login(client, user.username)
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["auth.login_failed"] * 3 + ["auth.locked"]
    right = client.post(
        "/auth/login", data={"username": user.username, "password": "correct horse battery"}
    )
    assert right.status_code == 429  # locked: even the right password waits


def test_disabled_in_testing_by_default(app, client, make):
    user = make.user()
    statuses = {_bad_login(client, user.username, ip=f"10.2.0.{i}").status_code for i in range(12)}
    assert statuses == {401}


@pytest.mark.redis
def test_eleventh_failure_gets_429_in_every_worker_redis_storage(app, make, workers):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    user = make.user()
    clients = workers(RATELIMIT_STORAGE_URI=url)
    statuses = _eleven_failures_across_two_workers(clients, user)
    assert statuses == [401] * 10 + [429]
