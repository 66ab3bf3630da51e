"""Helpers for the accounts tests: a cheap sign-in, TOTP codes, the fixture world's users."""

from __future__ import annotations

import time

import pyotp
from flask_login.utils import _create_identifier

from emulation.accounts import sessions
from emulation.accounts.models import User


def sign_in(app, client, user: User) -> None:
    """Put `user` in the client's session exactly as a completed sign-in does, without the
    (deliberately slow) password hash: for tests that walk hundreds of requests."""
    with app.test_request_context(environ_base=client.environ_base):
        ident = _create_identifier()
    now = int(time.time())
    with client.session_transaction() as sess:
        sess.clear()
        sess.update(
            {
                "_user_id": user.get_id(),
                "_fresh": True,
                "_id": ident,
                sessions.LOGIN_AT: now,
                sessions.SEEN_AT: now,
            }
        )


def totp_code(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


ROLE_NAMES = (
    "anonymous",
    "head_a",
    "head_b",
    "member_in",
    "member_out",
    "admin_b",
    "national",
)


def dispose(app) -> None:
    """Close an extra app's connection pool (PostgreSQL warns about connections left open)."""
    from emulation.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
