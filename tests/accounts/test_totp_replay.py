"""A TOTP code (or a recovery code) is accepted once, even by requests racing each other:
the used time step is claimed with one conditional UPDATE, not read-then-write."""

from __future__ import annotations

import threading
import time

import pyotp
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from emulation.accounts import services, totp
from emulation.accounts.models import RecoveryCode, User
from emulation.extensions import db
from tests.accounts.helpers import totp_code
from tests.factories import DEFAULT_PASSWORD

PARALLEL = 8


def _enrolled(make) -> tuple[User, str, str]:
    """A board member with a second factor (last used step: the previous one) and one
    recovery code."""
    secret = pyotp.random_base32()
    user = make.board_member()
    user.totp_secret, user.totp_enabled = secret, True
    user.totp_last_step = int(time.time() // 30) - 2
    recovery = "abcde-fghjk"
    user.recovery_codes.append(RecoveryCode(code_hash=totp.hash_recovery_code(recovery)))
    db.session.commit()
    return user, secret, recovery


def _two_sessions_race(user_id: int, code: str) -> list[bool]:
    """Both sessions read the user first; then each checks the same code and commits."""
    first, second = Session(db.engine), Session(db.engine)
    try:
        a, b = first.get(User, user_id), second.get(User, user_id)
        _ = [len(a.recovery_codes), len(b.recovery_codes)]  # both loaded before either writes
        results = [services.verify_second_factor(first, user=a, code=code)]
        first.commit()
        results.append(services.verify_second_factor(second, user=b, code=code))
        second.commit()
        return results
    finally:
        first.close()
        second.close()


def test_a_code_read_by_two_sessions_is_accepted_once(app, make):
    user, secret, _recovery = _enrolled(make)
    assert _two_sessions_race(user.id, totp_code(secret)) == [True, False]


def test_a_recovery_code_read_by_two_sessions_is_spent_once(app, make):
    user, _secret, recovery = _enrolled(make)
    assert _two_sessions_race(user.id, recovery) == [True, False]


def test_parallel_second_steps_with_one_code_sign_in_once(app, make):
    user, secret, _recovery = _enrolled(make)
    browsers = [FlaskClient(app) for _ in range(PARALLEL)]
    for browser in browsers:
        step = browser.post(
            "/auth/login", data={"username": user.username, "password": DEFAULT_PASSWORD}
        )
        assert step.headers["Location"].endswith("/auth/two-factor")
    code, start = totp_code(secret), threading.Barrier(PARALLEL)
    statuses: list[int] = []

    def second_step(browser):
        start.wait()
        statuses.append(browser.post("/auth/two-factor", data={"code": code}).status_code)

    threads = [threading.Thread(target=second_step, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] + [401] * (PARALLEL - 1)
