"""A user import applies the rules of the "new account" form: a username, name or email the
form would refuse is refused by the import (and nothing is created)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from emulation.accounts.models import User
from emulation.extensions import db
from tests.accounts.helpers import sign_in

HEADER = "username,full_name,email,role,scope_unit_code,password\n"


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _import(client, body: str):
    return client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO((HEADER + body).encode()), "users.csv")},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    "row",
    [
        "<svg onload=alert(3)>,Kẻ Xấu,,viewer,{code},",
        "ab,Quá Ngắn,,viewer,{code},",
        "nguyễn.a,Có Dấu,,viewer,{code},",
        "has space,Khoảng Trắng,,viewer,{code},",
        "ok.name,{long_name},,viewer,{code},",
        "ok.name,Tên\x07Lạ,,viewer,{code},",
        "ok.name,Tên Đúng,{long_email},viewer,{code},",
    ],
)
def test_rows_the_form_refuses_are_refused_by_the_import(app, client, make, row):
    province = make.province()
    sign_in(app, client, make.admin(scope=province))
    before = _count()
    body = row.format(code=province.code, long_name="N" * 201, long_email="e" * 196 + "@x.vn")
    response = _import(client, body + "\n")
    assert response.status_code == 422
    assert _count() == before


def test_the_form_refuses_the_same_username(app, client, make):
    province = make.province()
    sign_in(app, client, make.admin(scope=province))
    response = client.post(
        "/admin/users/new",
        data={"username": "<svg onload=alert(3)>", "full_name": "X", "unit_code": province.code},
    )
    assert response.status_code == 422


def test_a_good_row_is_imported(app, client, make):
    province = make.province()
    sign_in(app, client, make.admin(scope=province))
    response = _import(client, f"tran.van.b,Trần Văn B,b@example.vn,viewer,{province.code},\n")
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.username == "tran.van.b")) is not None
