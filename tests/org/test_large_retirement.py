"""An import that retires many units is shown as dangerous and needs the number typed."""

from __future__ import annotations

import io

import pytest
from flask import url_for
from sqlalchemy import func, select

from emulation.org.models import Unit
from tests.org.helpers import csv_bytes


@pytest.fixture(autouse=True)
def import_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UNIT_IMPORT_DIR", str(tmp_path / "imports"))


@pytest.fixture
def province_of_twelve(make, login_as):
    province = make.province("Tỉnh Xanh", code="PX")
    for n in range(12):
        make.unit(f"Xã Số {n}", parent=province, code=f"X{n:02d}")
    login_as(make.admin(scope=province))
    return province


def _preview(client, rows):
    response = client.post(
        url_for("org.import_units"),
        data={"file": (io.BytesIO(csv_bytes(rows)), "units.csv"), "scope": "PX"},
        content_type="multipart/form-data",
    )
    location = response.headers["Location"]
    html = client.get(location).get_data(as_text=True)
    fingerprint = html.split('name="fingerprint" type="hidden" value="')[1].split('"')[0]
    return html, {"token": location.split("token=")[1], "fingerprint": fingerprint}


def _active(db_session) -> int:
    return db_session.scalar(
        select(func.count()).select_from(Unit).where(Unit.code.like("X%"), Unit.active)
    )


def test_retiring_eleven_of_twelve_is_a_danger_in_words(client, province_of_twelve):
    html, _form = _preview(client, [["X00", "Xã Số 0", "xã", "PX"]])  # a one-row file
    assert "large-retirement" in html and "btn-danger" in html
    assert "Mười một đơn vị (11)" in html
    assert "sticky-bottom" not in html  # no plain green "apply" bar


def test_apply_without_the_typed_number_changes_nothing(client, db_session, province_of_twelve):
    _html, form = _preview(client, [["X00", "Xã Số 0", "xã", "PX"]])
    client.post(url_for("org.apply_import"), data=form)
    client.post(url_for("org.apply_import"), data={**form, "confirm_retirements": "12"})
    assert _active(db_session) == 12


def test_apply_with_the_typed_number_retires_them(client, db_session, province_of_twelve):
    _html, form = _preview(client, [["X00", "Xã Số 0", "xã", "PX"]])
    response = client.post(
        url_for("org.apply_import"), data={**form, "confirm_retirements": " 11 "}
    )
    assert response.status_code == 302
    assert _active(db_session) == 1


def test_a_small_change_keeps_the_plain_green_button(client, province_of_twelve):
    rows = [[f"X{n:02d}", f"Xã Số {n}", "xã", "PX"] for n in range(12)]
    rows[0][1] = "Xã Đổi Tên"
    html, _form = _preview(client, rows)
    assert "large-retirement" not in html
    assert "sticky-bottom" in html and "btn btn-success" in html
