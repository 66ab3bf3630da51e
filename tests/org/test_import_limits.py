"""Unit-list uploads cannot kill a worker (issue 12, item 6): the parse stops at the row cap,
a zip bomb is refused unopened, and the preview (a GET) never parses the file again."""

from __future__ import annotations

import io

import pytest
from flask import url_for
from sqlalchemy import func, select

from emulation.audit.models import AuditEvent
from emulation.org import sheets
from emulation.org.models import Unit
from emulation.spreadsheets import Limits
from tests import bombs
from tests.org.helpers import HEADER, xlsx_bytes


@pytest.fixture(autouse=True)
def import_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UNIT_IMPORT_DIR", str(tmp_path / "imports"))
    return tmp_path / "imports"


@pytest.fixture
def admin_x(make):
    x = make.province("Tỉnh Xanh", code="PX")
    make.unit("Phường Cửa Nam", parent=x, code="X1")
    return make.admin(scope=x)


def _upload(client, data, filename="units.xlsx"):
    response = client.post(
        url_for("org.import_units", lang="en"),
        data={"file": (io.BytesIO(data), filename), "scope": "PX"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return response.headers["Location"]


def _counts(db_session):
    return db_session.scalar(select(func.count(Unit.id))), db_session.scalar(
        select(func.count(AuditEvent.id))
    )


def test_a_sheet_past_the_row_cap_is_refused(client, login_as, db_session, admin_x, monkeypatch):
    # A smaller cap keeps the upload small; the reader stops at the cap whatever its value.
    monkeypatch.setattr(sheets, "LIMITS", Limits(max_rows=1_000))
    login_as(admin_x)
    before = _counts(db_session)
    preview = client.get(_upload(client, bombs.many_rows(HEADER, 1_500)))
    assert preview.status_code == 422
    assert "more than 1000 rows" in preview.get_data(as_text=True)
    assert _counts(db_session) == before


def test_a_zip_bomb_is_refused_without_unpacking(client, login_as, db_session, admin_x):
    login_as(admin_x)
    before = _counts(db_session)
    bomb = bombs.xlsx([HEADER, ["X2", "Xã Mới", "xã", "PX"]], padding_mb=60)
    assert len(bomb) < 200_000  # tiny on the wire, 60 MB unpacked
    preview = client.get(_upload(client, bomb))
    assert preview.status_code == 422
    assert "too large once unpacked" in preview.get_data(as_text=True)
    assert _counts(db_session) == before


def test_the_preview_never_parses_the_file_again(
    client, login_as, db_session, admin_x, monkeypatch
):
    login_as(admin_x)
    url = _upload(client, xlsx_bytes([["X2", "Xã Mới", "xã", "PX"]]))

    def no_parsing(*_args, **_kwargs):
        raise AssertionError("the upload was parsed again")

    monkeypatch.setattr("emulation.org.views.parse_units", no_parsing)
    monkeypatch.setattr("emulation.org.sheets.read_xlsx", no_parsing)
    for _ in range(3):  # reloading the preview costs no parse
        html = client.get(url).get_data(as_text=True)
        assert 'data-count="added">1<' in html
    fingerprint = html.split('name="fingerprint" type="hidden" value="')[1].split('"')[0]
    token = url.split("token=")[1]
    client.post(url_for("org.apply_import"), data={"token": token, "fingerprint": fingerprint})
    assert db_session.scalar(select(Unit.name).where(Unit.code == "X2")) == "Xã Mới"
