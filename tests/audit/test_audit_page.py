"""The audit log page (issue 12, item 13): filters, before/after, paginated, scoped to a
province admin's units, a neutralised CSV export and the chain's verification status."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from sqlalchemy import update

from emulation.audit.models import AuditEvent
from emulation.audit.services import record


@pytest.fixture
def log(make, db_session):
    """Events in two provinces, by two people, about a period and its criterion."""
    x, y = make.province("Tỉnh Xanh", code="PX"), make.province("Tỉnh Vàng", code="PY")
    ux = make.unit("Phường Cửa Nam", parent=x, code="X1")
    uy = make.unit("Phường Cửa Bắc", parent=y, code="Y1")
    national = make.admin(username="quantri")
    admin_x = make.admin(scope=x, username="qt.xanh")
    period = make.period(code="2031")
    criterion = make.criterion(period=period, code="1.1")
    record(
        db_session,
        national,
        "unit.renamed",
        ux,
        before={"name": "Cũ"},
        after={"name": "Phường Cửa Nam"},
        scope_path=ux.path,
    )
    record(db_session, admin_x, "unit.retired", ux, after={"active": False}, scope_path=ux.path)
    record(
        db_session,
        national,
        "unit.renamed",
        uy,
        before={"name": "A"},
        after={"name": '=HYPERLINK("http://evil.example")'},
        scope_path=uy.path,
    )
    record(db_session, national, "period.opened", period, after={"status": "open"})
    record(db_session, national, "criterion.updated", criterion, after={"max_points": 500})
    db_session.commit()
    return {"national": national, "admin_x": admin_x, "period": period, "ux": ux, "uy": uy}


def _ids(html):
    return [int(part.split('"')[0]) for part in html.split('id="e')[1:]]


def _all(db_session, **where):
    query = db_session.query(AuditEvent).filter_by(**where).order_by(AuditEvent.id.desc())
    return [e.id for e in query]


def test_a_national_admin_filters_by_action_user_unit_and_period(client, login_as, log, db_session):
    login_as(log["national"])
    page = lambda **q: client.get("/admin/audit/", query_string=q)  # noqa: E731
    ours = _all(db_session, actor_name="quantri")
    mine = [i for i in ours if db_session.get(AuditEvent, i).action.startswith("unit.")]
    units = [
        i for i in _all(db_session) if db_session.get(AuditEvent, i).action.startswith("unit.")
    ]
    assert len(units) == 3 and _ids(page(action="unit").get_data(as_text=True)) == units
    assert _ids(page(action="unit", user="QUANTRI").get_data(as_text=True)) == mine
    assert _ids(page(user="qt.xanh").get_data(as_text=True)) == _all(
        db_session, actor_name="qt.xanh"
    )
    unit_x = page(unit="PX").get_data(as_text=True)
    assert set(_ids(unit_x)) == set(_all(db_session, scope_path=log["ux"].path))
    period = page(period=str(log["period"].id)).get_data(as_text=True)
    assert {db_session.get(AuditEvent, i).action for i in _ids(period)} == {
        "period.opened",
        "criterion.updated",
    }


def test_each_event_shows_its_before_and_after(client, login_as, log):
    login_as(log["national"])
    html = client.get("/admin/audit/", query_string={"action": "unit.renamed", "unit": "PX"})
    text = html.get_data(as_text=True)
    assert "Cũ" in text and "Phường Cửa Nam" in text and "<details" in text


def test_date_filter_uses_vietnam_days(client, login_as, log, db_session):
    first = db_session.query(AuditEvent).filter_by(action="period.opened").one()
    # 31/12/2030 17:30 UTC is already 01/01/2031 in Vietnam (UTC+7).
    db_session.execute(
        update(AuditEvent)
        .where(AuditEvent.id == first.id)
        .values(at=datetime(2030, 12, 31, 17, 30))
    )
    db_session.commit()
    login_as(log["national"])
    html = client.get("/admin/audit/", query_string={"since": "01/01/2031", "until": "01/01/2031"})
    assert _ids(html.get_data(as_text=True)) == [first.id]
    bad = client.get("/admin/audit/", query_string={"since": "31/02/2031"})
    assert bad.status_code == 422


def test_a_province_admin_sees_only_their_units(client, login_as, log, db_session):
    login_as(log["admin_x"])
    html = client.get("/admin/audit/").get_data(as_text=True)
    assert set(_ids(html)) == set(_all(db_session, scope_path=log["ux"].path))
    outside = client.get("/admin/audit/", query_string={"unit": "PY"})
    assert outside.status_code == 422 and "PY" in outside.get_data(as_text=True)
    assert client.post("/admin/audit/verify").status_code == 403


def test_pages_are_cut_in_sql(client, login_as, log, db_session):
    for i in range(60):
        record(db_session, None, "job.ran", object_type="Job", object_id=i)
    db_session.commit()
    login_as(log["national"])
    first = _ids(client.get("/admin/audit/", query_string={"action": "job"}).get_data(as_text=True))
    second = _ids(
        client.get("/admin/audit/", query_string={"action": "job", "page": 2}).get_data(
            as_text=True
        )
    )
    assert len(first) == 50 and len(second) == 10
    assert first + second == _all(db_session, action="job.ran")


def test_csv_export_is_neutralised_and_scoped(client, login_as, log, db_session):
    login_as(log["national"])
    body = client.get("/admin/audit/export.csv", query_string={"unit": "PY"}).get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:4] == ["id", "at_utc", "actor", "action"]
    assert len(rows) == 2 and rows[1][9].startswith("{")  # JSON never starts a formula
    client.post("/auth/logout")
    login_as(log["admin_x"])
    body = client.get("/admin/audit/export.csv").get_data().decode("utf-8-sig")
    assert "HYPERLINK" not in body  # the other province's event is not exported


def test_formula_in_an_actor_name_is_neutralised_in_the_csv(client, login_as, make, db_session):
    evil = make.user(username="=cmd|'/c calc'!A1")
    record(db_session, evil, "user.signed_in", evil)
    db_session.commit()
    login_as(make.admin())
    body = client.get("/admin/audit/export.csv", query_string={"action": "user"}).get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][2] == "'=cmd|'/c calc'!A1"


def test_the_chain_status_is_shown_after_a_verification(client, login_as, log, db_session):
    login_as(log["national"])
    assert "not been verified" in client.get("/admin/audit/?lang=en").get_data(as_text=True)
    assert client.post("/admin/audit/verify").status_code == 302
    last = max(_all(db_session))
    html = client.get("/admin/audit/").get_data(as_text=True)
    assert f"Chain verified up to event {last} " in html


def test_people_who_are_not_admins_cannot_read_the_log(client, login_as, make, log):
    login_as(make.unit_head())
    assert client.get("/admin/audit/").status_code in (403, 404)
    assert client.get("/admin/audit/export.csv").status_code in (403, 404)
