"""Signing out, a password change and an admin's "sign out everywhere" end sessions on the
server: a copied session cookie or remember-me token stops working at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from sqlalchemy import select

from emulation.accounts.models import Role
from emulation.audit.models import AuditEvent
from emulation.extensions import db
from tests.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "a brand new passphrase"


def _login(client, user, remember=False):
    data = {"username": user.username, "password": DEFAULT_PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/auth/login", data=data)
    assert response.status_code == 302
    return response


def _copy(app, client, *names):
    """A second browser holding copies of `client`'s cookies (as a thief would)."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, name
        thief.set_cookie(name, cookie.value)
    return thief


def _signed_in(client) -> bool:
    return client.get("/auth/account").status_code == 200


def test_copied_session_cookie_dies_at_logout(app, client, make):
    _login(client, make.user())
    thief = _copy(app, client, "session")
    assert _signed_in(thief)
    client.post("/auth/logout")
    assert not _signed_in(thief)


def _token_browser(app, token: str):
    """A new browser holding nothing but a copied remember-me token."""
    browser = app.test_client()
    browser.set_cookie("remember_token", token)
    return browser


def test_remember_me_restores_a_session_that_lasts(app, client, make):
    _login(client, make.user(), remember=True)
    browser = _token_browser(app, client.get_cookie("remember_token").value)
    assert _signed_in(browser)
    assert _signed_in(browser)  # the restored session goes on (not just one request)


def test_copied_remember_me_token_dies_at_logout(app, client, make):
    _login(client, make.user(), remember=True)
    token = client.get_cookie("remember_token").value
    assert _signed_in(_token_browser(app, token))
    client.post("/auth/logout")
    assert not _signed_in(_token_browser(app, token))


def test_remember_me_token_dies_at_password_change(app, client, make):
    user = make.user()
    _login(client, user, remember=True)
    token = client.get_cookie("remember_token").value
    new = {"current": DEFAULT_PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post("/auth/password", data=new).status_code == 302
    assert _signed_in(client)
    assert not _signed_in(_token_browser(app, token))


def test_admin_signs_a_user_out_everywhere(app, client, make):
    unit = make.province()
    user = make.user(home_unit=unit, roles=[(Role.VIEWER, unit)])
    users_browser = app.test_client()
    _login(users_browser, user, remember=True)
    token = users_browser.get_cookie("remember_token").value
    admin = make.admin()
    _login(client, admin)
    response = client.post(f"/admin/users/{user.id}/sessions/end")
    assert response.status_code == 302
    assert not _signed_in(users_browser)
    assert not _signed_in(_token_browser(app, token))
    assert _signed_in(client)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action == "user.signed_out_everywhere")
    ).all()
    assert actions == ["user.signed_out_everywhere"]


def test_admin_of_another_province_cannot_sign_a_user_out(app, client, make):
    mine, theirs = make.province(), make.province()
    user = make.user(home_unit=theirs, roles=[(Role.VIEWER, theirs)])
    version = user.session_version
    _login(client, make.admin(scope=mine))
    assert client.post(f"/admin/users/{user.id}/sessions/end").status_code == 404
    db.session.refresh(user)
    assert user.session_version == version


def test_remember_me_lasts_thirty_days_by_default(app, client, make):
    response = _login(client, make.user(), remember=True)
    cookie = next(
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")
    )
    expires = next(p for p in cookie.split("; ") if p.lower().startswith("expires="))
    left = parsedate_to_datetime(expires.split("=", 1)[1]) - datetime.now(UTC)
    assert timedelta(days=29) < left <= timedelta(days=30)


def test_remember_me_lifetime_is_configurable(make_app, make):
    from tests.accounts.helpers import dispose
    from tests.conftest import IsolatedClient

    other = make_app(REMEMBER_DAYS=7)
    other.test_client_class = IsolatedClient
    user = make.user()
    db.session.commit()
    try:
        response = other.test_client().post(
            "/auth/login",
            data={"username": user.username, "password": DEFAULT_PASSWORD, "remember": "y"},
        )
        cookie = next(
            c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")
        )
        expires = next(p for p in cookie.split("; ") if p.lower().startswith("expires="))
        left = parsedate_to_datetime(expires.split("=", 1)[1]) - datetime.now(UTC)
        assert timedelta(days=6) < left <= timedelta(days=7)
    finally:
        dispose(other)


def test_no_remember_me_for_roles_that_require_a_second_factor(app, client, make):
    make.role_policy(Role.ADMIN, require_totp=True)
    response = _login(client, make.admin(), remember=True)
    assert "remember_token" not in " ".join(response.headers.getlist("Set-Cookie"))
