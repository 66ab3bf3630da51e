"""The unit registry in the browser's shoes: scope isolation, search, import preview/apply."""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import select

from emulation.org.models import Cluster, Unit
from tests.org.helpers import csv_bytes, xlsx_bytes


@pytest.fixture(autouse=True)
def import_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UNIT_IMPORT_DIR", str(tmp_path / "imports"))
    return tmp_path / "imports"


@pytest.fixture
def two_provinces(make):
    x, y = make.province("Tỉnh Xanh", code="PX"), make.province("Tỉnh Vàng", code="PY")
    return {
        "x": x,
        "y": y,
        "x_unit": make.unit("Phường Cửa Nam", parent=x, code="X1"),
        "y_unit": make.unit("Phường Cửa Bắc", parent=y, code="Y1"),
        "admin_x": make.admin(scope=x),
    }


def test_admin_of_one_province_cannot_see_or_change_another(client, login_as, two_provinces):
    t = two_provinces
    login_as(t["admin_x"])
    assert client.get(url_for("org.unit", unit_id=t["x_unit"].id)).status_code == 200
    for response in (
        client.get(url_for("org.unit", unit_id=t["y_unit"].id)),
        client.get(url_for("org.unit_children", unit_id=t["y"].id)),
        client.post(url_for("org.rename_unit", unit_id=t["y_unit"].id), data={"name": "Hacked"}),
        client.post(url_for("org.retire_unit", unit_id=t["y_unit"].id), data={"on": ""}),
    ):
        assert response.status_code == 404
    assert t["y_unit"].name == "Phường Cửa Bắc" and t["y_unit"].active


def test_search_is_diacritics_insensitive_and_scoped(client, login_as, two_provinces):
    login_as(two_provinces["admin_x"])
    page = client.get(url_for("org.units", q="cua")).get_data(as_text=True)
    assert "Phường Cửa Nam" in page and "Phường Cửa Bắc" not in page


def test_tree_children_are_loaded_lazily(client, login_as, make, two_provinces):
    login_as(make.admin())
    html = client.get(url_for("org.units")).get_data(as_text=True)
    assert "Bộ Công an" in html and "Phường Cửa Nam" not in html
    assert url_for("org.unit_children", unit_id=make.ministry().id) in html
    part = client.get(url_for("org.unit_children", unit_id=two_provinces["x"].id))
    assert "Phường Cửa Nam" in part.get_data(as_text=True)


def _upload(client, data, filename="units.csv", scope="PX"):
    response = client.post(
        url_for("org.import_units"),
        data={"file": (__import__("io").BytesIO(data), filename), "scope": scope},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_preview_then_apply(client, login_as, db_session, two_provinces, fmt):
    login_as(two_provinces["admin_x"])
    rows = [["X1", "Phường Cửa Nam Mới", "phường", "PX"], ["X2", "Xã Mới", "xã", "PX"]]
    data = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    preview_url = _upload(client, data, f"units.{fmt}")
    preview = client.get(preview_url)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert 'data-count="added">1<' in html and 'data-count="renamed">1<' in html
    assert db_session.scalar(select(Unit).where(Unit.code == "X2")) is None  # nothing yet
    token = preview_url.split("token=")[1]
    fingerprint = html.split('name="fingerprint" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        url_for("org.apply_import"), data={"token": token, "fingerprint": fingerprint}
    )
    assert response.status_code == 302
    assert db_session.scalar(select(Unit.name).where(Unit.code == "X1")) == "Phường Cửa Nam Mới"
    assert db_session.scalar(select(Unit.path).where(Unit.code == "X2")) == "/BCA/PX/X2/"


def test_apply_is_refused_when_units_changed_after_preview(
    client, login_as, db_session, two_provinces
):
    login_as(two_provinces["admin_x"])
    preview_url = _upload(client, csv_bytes([["X1", "Tên Mới", "ward", "PX"]]))
    html = client.get(preview_url).get_data(as_text=True)
    fingerprint = html.split('name="fingerprint" type="hidden" value="')[1].split('"')[0]
    two_provinces["x_unit"].rename("Đổi trong lúc xem")
    db_session.commit()
    token = preview_url.split("token=")[1]
    client.post(url_for("org.apply_import"), data={"token": token, "fingerprint": fingerprint})
    assert db_session.scalar(select(Unit.name).where(Unit.code == "X1")) == "Đổi trong lúc xem"


def test_apply_is_refused_when_the_stored_file_changed(
    client, login_as, db_session, two_provinces, import_dir
):
    login_as(two_provinces["admin_x"])
    preview_url = _upload(client, csv_bytes([["X1", "Tên Mới", "ward", "PX"]]))
    token = preview_url.split("token=")[1]
    stored = import_dir / f"{token}.parsed.json"  # the kept parse result, not the upload
    stored.write_text(stored.read_text("utf-8").replace("Tên Mới", "Khác"), "utf-8")
    response = client.get(preview_url)
    assert response.status_code == 422
    assert db_session.scalar(select(Unit.name).where(Unit.code == "X1")) == "Phường Cửa Nam"


def test_another_admins_upload_token_is_not_usable(client, login_as, make, two_provinces):
    login_as(two_provinces["admin_x"])
    preview_url = _upload(client, csv_bytes([["X1", "Tên Mới", "ward", "PX"]]))
    client.post("/auth/logout")
    login_as(make.admin())
    assert client.get(preview_url).status_code == 404


def test_import_scope_must_be_the_admins(client, login_as, two_provinces):
    login_as(two_provinces["admin_x"])
    response = client.post(
        url_for("org.import_units"),
        data={
            "file": (__import__("io").BytesIO(b"code,name,kind,parent_code\n"), "u.csv"),
            "scope": "PY",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422  # PY is not among the choices


def test_preview_shows_row_errors(client, login_as, two_provinces):
    login_as(two_provinces["admin_x"])
    preview_url = _upload(
        client, csv_bytes([["X9", "Xã Lạ", "xã", "NOPE"], ["Y1", "x", "xã", "PY"]])
    )
    html = client.get(preview_url).get_data(as_text=True)
    assert "NOPE" in html and "(Y1)" in html
    assert "Apply" not in html and "Áp dụng" not in html


def test_merge_page_creates_the_mapping(client, login_as, db_session, make, two_provinces):
    login_as(two_provinces["admin_x"])
    old = make.unit("Xã Cũ", parent=two_provinces["x"], code="X3")
    response = client.post(
        url_for("org.merge_units"),
        data={
            "sources": "X1 X3",
            "target_code": "X9",
            "new_name": "Phường Hợp Nhất",
            "new_kind": "ward",
            "new_parent_code": "PX",
            "on": "01/07/2025",
        },
    )
    assert response.status_code == 302
    target = db_session.scalar(select(Unit).where(Unit.code == "X9"))
    page = client.get(url_for("org.unit", unit_id=target.id)).get_data(as_text=True)
    assert "Xã Cũ" in page and "Phường Cửa Nam" in page
    assert db_session.get(Unit, old.id).merged_into_id == target.id


def test_cluster_pages_create_and_assign(client, login_as, db_session, make, two_provinces):
    login_as(two_provinces["admin_x"])
    response = client.post(
        url_for("org.create_cluster"), data={"code": "KX", "name": "Cụm X", "owner": "PX"}
    )
    assert response.status_code == 302
    cluster = db_session.scalar(select(Cluster).where(Cluster.code == "KX"))
    response = client.post(
        url_for("org.set_members", cluster_id=cluster.id),
        data={"units": [str(two_provinces["x_unit"].id), str(two_provinces["y_unit"].id)]},
    )
    assert db_session.get(Unit, two_provinces["y_unit"].id).cluster_id is None
    client.post(
        url_for("org.set_members", cluster_id=cluster.id),
        data={"units": [str(two_provinces["x_unit"].id)]},
    )
    assert db_session.get(Unit, two_provinces["x_unit"].id).cluster_id == cluster.id
    page = client.get(url_for("org.cluster", cluster_id=cluster.id)).get_data(as_text=True)
    assert "Phường Cửa Nam" in page


def test_clusters_of_another_province_are_invisible(client, login_as, make, two_provinces):
    other = make.cluster(owner=two_provinces["y"], units=[two_provinces["y_unit"]])
    login_as(two_provinces["admin_x"])
    assert client.get(url_for("org.cluster", cluster_id=other.id)).status_code == 404
    assert other.name not in client.get(url_for("org.clusters")).get_data(as_text=True)
    assert client.post(url_for("org.delete_cluster", cluster_id=other.id)).status_code == 404
