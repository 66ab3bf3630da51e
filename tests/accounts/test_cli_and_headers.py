"""`flask users create-admin`, security headers and production cookie settings."""

from __future__ import annotations

from sqlalchemy import select

from config import ProductionConfig
from emulation.accounts.models import Role, User
from emulation.audit.models import AuditEvent
from emulation.extensions import db
from emulation.org.models import Unit
from tests.accounts.helpers import dispose
from tests.factories import DEFAULT_PASSWORD


def test_create_admin_from_stdin_creates_the_root_unit(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create-admin", "quantri", "--password-stdin"],
        input="a strong admin passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "quantri"))
    root = db.session.scalar(select(Unit).where(Unit.code == "BCA"))
    assert [(g.role, g.scope_unit_id) for g in user.grants] == [(Role.ADMIN, root.id)]
    assert db.session.scalar(select(AuditEvent.action)) == "user.created"
    again = runner.invoke(
        args=["users", "create-admin", "quantri", "--password-stdin"], input="x\n"
    )
    assert again.exit_code != 0


def test_create_admin_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create-admin", "boss", "--password-stdin"], input="123\n"
    )
    assert result.exit_code != 0
    assert db.session.scalar(select(User)) is None


def test_security_headers(app, client):
    headers = client.get("/auth/login").headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert "script-src 'self'" in csp and "img-src 'self' data:" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers
    assert "no-store" in headers.get("Cache-Control", "")


def test_production_cookies_and_hsts(make_app):
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY is True
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"
    assert ProductionConfig.REMEMBER_COOKIE_SECURE is True
    prod = make_app(HSTS=True)
    response = prod.test_client().get("/auth/login")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    dispose(prod)


def test_session_cookie_is_httponly_and_lax(app, client, make):
    user = make.user()
    response = client.post(
        "/auth/login", data={"username": user.username, "password": DEFAULT_PASSWORD}
    )
    cookie = " ".join(response.headers.getlist("Set-Cookie"))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
