"""User administration within scope; an admin of province X never sees or changes province Y."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from sqlalchemy import func, select

from emulation.accounts.models import Role, RoleGrant, User
from emulation.audit.models import AuditEvent
from emulation.extensions import db
from tests.accounts.helpers import sign_in


def _setup(app, client, make):
    x, y = make.province(), make.province()
    admin_x = make.admin(scope=x)
    sign_in(app, client, admin_x)
    return x, y, admin_x


def _count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_create_account_shows_password_once_and_forces_change(app, client, make):
    x, _y, _admin = _setup(app, client, make)
    response = client.post(
        "/admin/users/new",
        data={
            "username": "nguyen.a",
            "full_name": "Nguyễn A",
            "unit_code": x.code,
            "role": "viewer",
        },
    )
    assert response.status_code == 302  # to the new account's page, which shows it once
    response = client.get(response.headers["Location"])
    password = re.search(r'new-password">([^<]+)<', response.get_data(as_text=True)).group(1)
    user = db.session.scalar(select(User).where(User.username == "nguyen.a"))
    assert user.must_change_password and user.home_unit_id == x.id
    assert [(g.role, g.scope_unit_id) for g in user.grants] == [(Role.VIEWER, x.id)]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created"))
    assert event.after["grants"] == [f"viewer@{x.code}"] and password not in str(event.after)
    assert password not in client.get(f"/admin/users/{user.id}").get_data(as_text=True)


def test_admin_of_x_cannot_create_in_y(app, client, make):
    _x, y, _admin = _setup(app, client, make)
    before = _count_users()
    response = client.post(
        "/admin/users/new", data={"username": "spy", "full_name": "Spy", "unit_code": y.code}
    )
    assert response.status_code == 422
    assert _count_users() == before


def test_admin_of_x_cannot_see_or_change_users_of_y(app, client, make):
    x, y, _admin = _setup(app, client, make)
    mine = make.user(home_unit=x, full_name="Cán bộ X")
    theirs = make.unit_head(unit=make.unit(parent=y), full_name="Cán bộ Y")
    listing = client.get("/admin/users/").get_data(as_text=True)
    assert mine.username in listing and theirs.username not in listing
    assert client.get(f"/admin/users/{theirs.id}").status_code == 404
    version = theirs.session_version
    for action in ("password", "active", "totp-reset", "grants"):
        response = client.post(
            f"/admin/users/{theirs.id}/{action}", data={"role": "admin", "unit_code": x.code}
        )
        assert response.status_code == 404, action
    grant = theirs.grants[0]
    assert client.post(f"/admin/users/{theirs.id}/grants/{grant.id}/revoke").status_code == 404
    db.session.refresh(theirs)
    assert theirs.session_version == version and theirs.active and len(theirs.grants) == 1


def test_no_granting_above_scope_or_to_oneself(app, client, make):
    x, y, admin_x = _setup(app, client, make)
    user = make.user(home_unit=x)
    for role, code in (("admin", "BCA"), ("viewer", y.code)):
        refused = client.post(
            f"/admin/users/{user.id}/grants", data={"role": role, "unit_code": code}
        )
        assert refused.headers["Location"] == f"/admin/users/{user.id}"  # back to the account
        page = client.get(refused.headers["Location"]).get_data(as_text=True)
        assert f"Không có đơn vị mã {code} trong phạm vi của bạn." in page
    self_grant = client.post(
        f"/admin/users/{admin_x.id}/grants", data={"role": "admin", "unit_code": x.code}
    )
    assert self_grant.status_code == 403
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(RoleGrant)
            .where(RoleGrant.user_id.in_([user.id, admin_x.id]))
        )
        == 1
    )
    ok = client.post(
        f"/admin/users/{user.id}/grants", data={"role": "unit_head", "unit_code": x.code}
    )
    assert ok.status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "grant.created"))
    assert event.before["grants"] == [] and event.after["grants"] == [f"unit_head@{x.code}"]


def test_national_admin_with_a_grant_in_x_is_visible_but_not_manageable(app, client, make):
    x, _y, _admin = _setup(app, client, make)
    boss = make.user(roles=[(Role.ADMIN, make.ministry()), (Role.VIEWER, x)])
    assert client.get(f"/admin/users/{boss.id}").status_code == 200
    assert client.post(f"/admin/users/{boss.id}/password").status_code == 403


def test_deactivate_ends_sessions_and_reactivate(app, client, make):
    x, _y, _admin = _setup(app, client, make)
    user = make.user(home_unit=x)
    theirs = app.test_client()
    sign_in(app, theirs, user)
    assert theirs.get("/auth/account").status_code == 200
    assert client.post(f"/admin/users/{user.id}/active", data={"active": "0"}).status_code == 302
    assert theirs.get("/auth/account").status_code == 302
    client.post(f"/admin/users/{user.id}/active", data={"active": "1"})
    db.session.refresh(user)
    assert user.active
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["user.deactivated", "user.reactivated"]


def test_reset_password_forces_change(app, client, make):
    x, _y, _admin = _setup(app, client, make)
    user = make.user(home_unit=x)
    response = client.post(f"/admin/users/{user.id}/password")
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    password = re.search(r'new-password">([^<]+)<', shown).group(1)
    db.session.refresh(user)
    assert user.must_change_password and user.session_version == 2
    assert password not in client.get(f"/admin/users/{user.id}").get_data(as_text=True)


CSV_HEADER = "username,full_name,email,role,scope_unit_code,password\n"


def _upload(client, name: str, data: bytes):
    return client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_csv_import_is_all_or_nothing_with_errors_in_vietnamese(app, client, make):
    x, y, _admin = _setup(app, client, make)
    body = CSV_HEADER + f"tran.b,Trần B,,unit_head,{x.code},\nle.c,Lê C,,boss,{y.code},short\n"
    before = _count_users()
    response = _upload(client, "users.csv", body.encode())
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Chưa nhập tài khoản nào" in html and "Không có vai trò boss" in html
    assert "role" in html and "scope_unit_code" in html and "password" in html
    assert _count_users() == before


def test_xlsx_import_creates_every_row(app, client, make):
    x, _y, _admin = _setup(app, client, make)
    book = Workbook()
    sheet = book.active
    sheet.append(["username", "full_name", "email", "role", "scope_unit_code", "password"])
    sheet.append(["pham.d", "Phạm D", "d@example.vn", "viewer", x.code, None])
    sheet.append(["vo.e", "Võ E", None, None, x.code, "a long given passphrase"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(client, "users.xlsx", buffer.getvalue())
    assert response.status_code == 200
    users = db.session.scalars(select(User).where(User.username.in_(["pham.d", "vo.e"]))).all()
    assert len(users) == 2 and all(u.must_change_password for u in users)
    assert "pham.d" in response.get_data(as_text=True)


def test_role_policy_only_by_national_admins(app, client, make):
    _setup(app, client, make)
    assert client.post("/admin/users/policies", data={"require_totp": "admin"}).status_code == 403
    national = app.test_client()
    sign_in(app, national, make.admin())
    assert national.post("/admin/users/policies", data={"require_totp": "admin"}).status_code == 302
