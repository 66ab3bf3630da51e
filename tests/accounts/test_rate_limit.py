"""Sign-in throttling on storage shared by every worker (two apps, one counter).

Failures are counted per (address, username), per address with a much higher ceiling, and per
username across addresses with growing delays instead of a lockout. Nobody can close sign-in
for others: failures against other names from a shared address, or against your name from
elsewhere, never stop a correct password plus second factor."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import select

from emulation.audit.models import AuditEvent
from emulation.extensions import db
from tests.accounts.helpers import dispose, totp_code
from tests.conftest import IsolatedClient
from tests.factories import DEFAULT_PASSWORD

# No per-username delays: these tests look at the per-address limits alone.
NO_BACKOFF = {"LOGIN_BACKOFF_AFTER": 1000}
# Delays start after 3 failures and are a minute long, far longer than any test runs.
SLOW_BACKOFF = {"LOGIN_BACKOFF_AFTER": 3, "LOGIN_BACKOFF_BASE_SECONDS": 60}


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


def _login(client, username, password="wrong password!", ip="10.0.0.1"):
    return client.post(
        "/auth/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


def _flash(response) -> str:
    html = response.get_data(as_text=True)
    start = html.index('class="alert')
    return html[start : html.index("</div>", start)]


def test_pair_limit_counts_in_every_worker_database_storage(app, make, workers):
    user = make.user()
    clients = workers(**NO_BACKOFF)
    statuses = [_login(clients[i % 2], user.username).status_code for i in range(11)]
    assert statuses == [401] * 10 + [429]
    # The right password from that address waits too; from another address it goes through.
    waiting = _login(clients[1], user.username, DEFAULT_PASSWORD)
    assert waiting.status_code == 429 and 1 <= int(waiting.headers["Retry-After"]) <= 60
    assert _login(clients[0], user.username, DEFAULT_PASSWORD, ip="10.9.9.9").status_code == 302


def test_failures_at_a_shared_address_do_not_block_its_other_users(app, make, workers):
    user = make.user()
    clients = workers(**NO_BACKOFF)
    for i in range(30):
        assert _login(clients[i % 2], f"nobody{i}").status_code == 401
    assert _login(clients[0], user.username, DEFAULT_PASSWORD).status_code == 302


def test_an_address_has_a_ceiling_across_names(app, make, workers):
    clients = workers(LOGIN_IP_RATE_LIMIT="20 per minute", **NO_BACKOFF)
    statuses = [_login(clients[i % 2], f"nobody{i}").status_code for i in range(21)]
    assert statuses == [401] * 20 + [429]
    assert _login(clients[0], "nobody99", ip="10.7.7.7").status_code == 401


def test_backoff_grows_and_is_capped_well_below_a_lockout():
    from emulation.accounts.throttle import backoff_seconds

    # Defaults: delays start at the 5th failure, 1 s doubling, at most 5 minutes.
    assert [backoff_seconds(n) for n in range(1, 5)] == [0, 0, 0, 0]
    assert [backoff_seconds(n) for n in range(5, 10)] == [1, 2, 4, 8, 16]
    assert backoff_seconds(13) == 256
    assert backoff_seconds(14) == backoff_seconds(20) == backoff_seconds(1000) == 300
    assert backoff_seconds(3, after=3, base=60, cap=300) == 60
    assert backoff_seconds(4, after=3, base=60, cap=300) == 120


def test_failures_from_many_addresses_delay_the_name_not_lock_it(app, make, workers):
    user = make.user()
    client = workers(**SLOW_BACKOFF)[0]
    for i in range(3):
        assert _login(client, user.username, ip=f"10.3.0.{i}").status_code == 401
    waiting = _login(client, user.username, DEFAULT_PASSWORD, ip="10.3.1.1")
    assert waiting.status_code == 429
    assert 0 < int(waiting.headers["Retry-After"]) <= 60
    assert client.get("/auth/account").status_code == 302


def test_a_delayed_known_name_looks_like_an_unknown_one(app, make, workers):
    user = make.user()
    client = workers(**SLOW_BACKOFF)[0]
    answers = []
    for name in (user.username, "no-such-user"):
        for i in range(3):
            _login(client, name, ip=f"10.4.0.{i}")
        answer = _login(client, name, ip="10.4.1.1")
        answers.append((answer.status_code, _flash(answer)))
    assert answers[0] == answers[1]
    assert answers[0][0] == 429


def test_a_correct_second_factor_gets_through_the_delay(app, make, workers):
    user = make.board_member()
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    user.totp_secret, user.totp_enabled = secret, True
    db.session.commit()
    client = workers(**SLOW_BACKOFF)[0]
    for i in range(4):
        _login(client, user.username, ip=f"10.5.0.{i}")
    step = _login(client, user.username, DEFAULT_PASSWORD, ip="10.5.1.1")
    assert step.status_code == 302 and step.headers["Location"].endswith("/auth/two-factor")
    here = {"REMOTE_ADDR": "10.5.1.1"}
    done = client.post("/auth/two-factor", data={"code": totp_code(secret)}, environ_base=here)
    assert done.status_code == 302
    assert client.get("/auth/account", environ_base=here).status_code == 200


def test_a_wrong_password_during_the_delay_answers_like_the_right_one(app, make, workers):
    user = make.user()
    client = workers(**SLOW_BACKOFF)[0]
    for i in range(3):
        _login(client, user.username, ip=f"10.6.0.{i}")
    right = _login(client, user.username, DEFAULT_PASSWORD, ip="10.6.1.1")
    wrong = _login(client, user.username, ip="10.6.1.2")
    assert (right.status_code, _flash(right)) == (wrong.status_code, _flash(wrong))


def test_failures_and_delays_are_audited(app, make, workers):
    user = make.user()
    client = workers(**SLOW_BACKOFF)[0]
    for i in range(3):
        _login(client, user.username, ip=f"10.8.0.{i}")
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["auth.login_failed"] * 3 + ["auth.throttled"]
    ips = db.session.scalars(
        select(AuditEvent.ip)
        .where(AuditEvent.action == "auth.login_failed")
        .order_by(AuditEvent.id)
    ).all()
    assert ips == ["10.8.0.0", "10.8.0.1", "10.8.0.2"]


def test_disabled_in_testing_by_default(app, client, make):
    user = make.user()
    statuses = {_login(client, user.username, ip=f"10.2.0.{i}").status_code for i in range(12)}
    assert statuses == {401}


@pytest.mark.redis
def test_pair_limit_counts_in_every_worker_redis_storage(app, make, workers):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    user = make.user()
    clients = workers(RATELIMIT_STORAGE_URI=url, **NO_BACKOFF)
    statuses = [_login(clients[i % 2], user.username).status_code for i in range(11)]
    assert statuses == [401] * 10 + [429]


@pytest.mark.redis
def test_backoff_in_redis_storage(app, make, workers):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    user = make.user()
    client = workers(RATELIMIT_STORAGE_URI=url, **SLOW_BACKOFF)[0]
    for i in range(3):
        assert _login(client, user.username, ip=f"10.3.0.{i}").status_code == 401
    assert _login(client, user.username, DEFAULT_PASSWORD, ip="10.3.1.1").status_code == 429


def test_a_device_the_owner_signed_in_from_gets_through_the_delay(app, make, workers):
    user = make.user()
    owner, stranger = workers(**SLOW_BACKOFF)
    here = {"REMOTE_ADDR": "10.9.0.1"}
    assert _login(owner, user.username, DEFAULT_PASSWORD, ip="10.9.0.1").status_code == 302
    owner.post("/auth/logout", environ_base=here)
    for i in range(3):
        assert _login(stranger, user.username, ip=f"10.9.1.{i}").status_code == 401
    assert _login(stranger, user.username, DEFAULT_PASSWORD, ip="10.9.1.9").status_code == 429
    assert _login(owner, user.username, DEFAULT_PASSWORD, ip="10.9.0.1").status_code == 302
    assert owner.get("/auth/account", environ_base=here).status_code == 200
