"""Sign-in, sign-out, sessions (fixation, timeouts, remember-me) and forced password change."""

from __future__ import annotations

import time

from argon2 import PasswordHasher
from sqlalchemy import select

from emulation.accounts import sessions
from emulation.accounts.passwords import HASHER
from emulation.audit.models import AuditEvent
from emulation.extensions import db
from tests.factories import DEFAULT_PASSWORD


def _login(client, username, password=DEFAULT_PASSWORD, **data):
    return client.post("/auth/login", data={"username": username, "password": password, **data})


def test_login_page_has_the_form(app, client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert 'name="username"' in html and 'name="password"' in html
    assert 'name="remember"' in html and "checked" not in html


def test_login_rotates_the_session(app, client, make):
    user = make.user()
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    assert _login(client, user.username).status_code == 302
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["_user_id"] == user.get_id()


def test_wrong_password_and_unknown_user_look_the_same(app, client, make):
    user = make.user()
    wrong = _login(client, user.username, "not the password")
    unknown = _login(client, "no-such-user", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert client.get("/auth/account").status_code == 302
    assert db.session.scalars(select(AuditEvent.action)).all() == ["auth.login_failed"] * 2


def test_remember_me_is_off_by_default(app, client, make):
    user = make.user()
    response = _login(client, user.username)
    assert "remember_token" not in response.headers.get("Set-Cookie", "")
    client.post("/auth/logout")
    response = _login(client, user.username, remember="y")
    assert "remember_token" in " ".join(response.headers.getlist("Set-Cookie"))


def test_logout_needs_post_and_ends_the_session(app, client, make, login_as):
    login_as(make.user())
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/auth/account").status_code == 302


def test_next_must_stay_on_this_site(app, client, make):
    user = make.user()
    response = client.post(
        "/auth/login?next=//evil.example/x",
        data={"username": user.username, "password": DEFAULT_PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_idle_timeout(app, client, make, login_as):
    login_as(make.user())
    assert client.get("/auth/account").status_code == 200
    with client.session_transaction() as sess:
        sess[sessions.SEEN_AT] = int(time.time()) - 31 * 60
    response = client.get("/auth/account")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.get("/auth/account").status_code == 302


def test_absolute_timeout_even_when_active(app, client, make, login_as):
    login_as(make.user())
    with client.session_transaction() as sess:
        sess[sessions.LOGIN_AT] = int(time.time()) - 13 * 3600
    assert client.get("/auth/account").status_code == 302


def test_password_change_ends_other_sessions(app, make, login_as, client):
    user = make.user()
    other = app.test_client()
    login_as(user)
    _login(other, user.username)
    assert other.get("/auth/account").status_code == 200
    response = client.post(
        "/auth/password",
        data={
            "current": DEFAULT_PASSWORD,
            "new": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/auth/account").status_code == 200  # this session continues
    assert other.get("/auth/account").status_code == 302  # the other one is gone
    assert _login(other, user.username, "a brand new passphrase").status_code == 302


def test_password_change_refuses_weak_or_wrong(app, make, login_as, client):
    login_as(make.user())
    weak = client.post(
        "/auth/password",
        data={"current": DEFAULT_PASSWORD, "new": "password1", "confirm": "password1"},
    )
    wrong = client.post(
        "/auth/password",
        data={"current": "nope nope", "new": "long enough phrase", "confirm": "long enough phrase"},
    )
    assert weak.status_code == wrong.status_code == 422


def test_forced_password_change_blocks_everything_else(app, make, client):
    user = make.admin(must_change_password=True)
    response = _login(client, user.username)
    assert response.headers["Location"].endswith("/auth/password")
    for path in ("/admin/", "/auth/account", "/admin/users/"):
        assert client.get(path).headers["Location"].endswith("/auth/password"), path
    assert client.get("/auth/password").status_code == 200
    new = "my own long passphrase"
    client.post("/auth/password", data={"current": DEFAULT_PASSWORD, "new": new, "confirm": new})
    assert client.get("/admin/").status_code == 200


def test_rehash_on_login_when_parameters_change(app, make, client):
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    user = make.user()
    user.password_hash = weak.hash(DEFAULT_PASSWORD)
    db.session.commit()
    assert _login(client, user.username).status_code == 302
    db.session.refresh(user)
    assert not HASHER.check_needs_rehash(user.password_hash)


def test_deactivated_user_cannot_sign_in(app, make, client):
    user = make.user(active=False)
    assert _login(client, user.username).status_code == 401
