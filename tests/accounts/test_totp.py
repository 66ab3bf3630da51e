"""Second factor: enrolment, the second sign-in step, no code reuse, recovery codes, policy."""

from __future__ import annotations

import re

import pyotp
from sqlalchemy import select

from emulation.accounts import totp
from emulation.accounts.models import RecoveryCode, Role
from emulation.accounts.views import TOTP_SECRET
from emulation.extensions import db
from tests.accounts.helpers import totp_code
from tests.factories import DEFAULT_PASSWORD


def _enrol(client) -> tuple[str, list[str]]:
    page = client.get("/auth/two-factor/setup")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html
    with client.session_transaction() as sess:
        secret = sess[TOTP_SECRET]
    assert totp.manual_key(secret) in html
    assert client.post("/auth/two-factor/setup", data={"code": "000000"}).status_code == 422
    done = client.post("/auth/two-factor/setup", data={"code": totp_code(secret)})
    assert done.status_code == 302  # to the setup page, which shows the codes once
    done = client.get(done.headers["Location"])
    codes = re.findall(r">([a-z2-9]{5}-[a-z2-9]{5})<", done.get_data(as_text=True))
    return secret, codes


def _password_step(client, user):
    return client.post(
        "/auth/login", data={"username": user.username, "password": DEFAULT_PASSWORD}
    )


def test_enrolment_shows_qr_key_and_ten_recovery_codes_stored_hashed(app, client, make, login_as):
    user = make.admin()
    login_as(user)
    secret, codes = _enrol(client)
    assert len(set(codes)) == 10
    db.session.refresh(user)
    assert user.totp_enabled and user.totp_secret == secret
    stored = db.session.scalars(
        select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)
    )
    hashes = set(stored)
    assert len(hashes) == 10 and not hashes & set(codes)
    assert "recovery" not in client.get("/auth/two-factor/setup").get_data(as_text=True).lower()


def _enrolled_user(make, client, login_as):
    user = make.board_member()
    login_as(user)
    secret, codes = _enrol(client)
    client.post("/auth/logout")
    return user, secret, codes


def test_sign_in_needs_the_code_and_a_code_works_once(app, client, make, login_as):
    user, secret, _codes = _enrolled_user(make, client, login_as)
    step = _password_step(client, user)
    assert step.headers["Location"].endswith("/auth/two-factor")
    assert client.get("/auth/account").status_code == 302  # not signed in yet
    assert client.post("/auth/two-factor", data={"code": "123456"}).status_code == 401
    code = totp_code(secret, offset_steps=1)  # the enrolment used the current step
    assert client.post("/auth/two-factor", data={"code": code}).status_code == 302
    assert client.get("/auth/account").status_code == 200
    client.post("/auth/logout")
    _password_step(client, user)
    assert client.post("/auth/two-factor", data={"code": code}).status_code == 401  # reused


def test_recovery_code_is_single_use(app, client, make, login_as):
    user, _secret, codes = _enrolled_user(make, client, login_as)
    _password_step(client, user)
    assert client.post("/auth/two-factor", data={"code": codes[0].upper()}).status_code == 302
    client.post("/auth/logout")
    _password_step(client, user)
    assert client.post("/auth/two-factor", data={"code": codes[0]}).status_code == 401
    assert client.post("/auth/two-factor", data={"code": codes[1]}).status_code == 302


def test_second_step_without_password_step_goes_back_to_login(app, client):
    response = client.post("/auth/two-factor", data={"code": "123456"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_role_policy_forces_enrolment_before_anything_else(app, client, make, login_as):
    make.role_policy(Role.ADMIN, require_totp=True)
    user = make.admin()
    response = login_as(user)
    assert response.headers["Location"].endswith("/auth/two-factor/setup")
    for path in ("/admin/", "/admin/users/", "/auth/account"):
        assert client.get(path).headers["Location"].endswith("/auth/two-factor/setup"), path
    _enrol(client)
    assert client.get("/admin/").status_code == 200


def test_login_as_handles_enrolled_users(app, client, make, login_as):
    user = make.admin()
    login_as(user)
    _enrol(client)
    client.post("/auth/logout")
    db.session.refresh(user)
    login_as(user)
    assert client.get("/auth/account").status_code == 200


def test_codes_of_neighbour_steps_only(app):
    secret = pyotp.random_base32()
    now = 1_000_000_000.0
    code = pyotp.TOTP(secret).at(now)
    step = int(now // 30)
    assert totp.matching_step(secret, code, None, now=now) == step
    assert totp.matching_step(secret, code, step, now=now) is None
    assert totp.matching_step(secret, code, None, now=now + 300) is None
