"""Behind a reverse proxy the client's address comes from X-Forwarded-For, but only when the
number of trusted proxies is configured; otherwise the header is ignored (it can be forged)."""

from __future__ import annotations

from sqlalchemy import select

from emulation.audit.models import AuditEvent
from emulation.extensions import db
from tests.accounts.helpers import dispose
from tests.conftest import IsolatedClient


def _failed_login_ip(app) -> str:
    app.test_client_class = IsolatedClient
    app.test_client().post(
        "/auth/login",
        data={"username": "someone", "password": "wrong password!"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
        headers={"X-Forwarded-For": "198.51.100.9, 203.0.113.7"},
    )
    return db.session.scalar(select(AuditEvent.ip).where(AuditEvent.action == "auth.login_failed"))


def test_forwarded_for_is_ignored_by_default(app, make_app):
    other = make_app()
    try:
        assert _failed_login_ip(other) == "127.0.0.1"
    finally:
        dispose(other)


def test_one_trusted_proxy_gives_the_address_it_saw(app, make_app):
    other = make_app(TRUSTED_PROXY_COUNT=1)
    try:
        assert _failed_login_ip(other) == "203.0.113.7"
    finally:
        dispose(other)
