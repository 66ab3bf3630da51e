"""The admin pages: who may do what, the freeze and conflicts as the browser sees them."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import url_for
from sqlalchemy import select

from emulation.campaigns.models import Criterion, Period, PeriodStatus
from tests.campaigns.helpers import speak_english, valid_set


@pytest.fixture
def national(client, make, login_as):
    admin = make.admin()
    login_as(admin)
    speak_english(client)
    return admin


def criterion_form(**kw) -> dict:
    data = {
        "code": "1.3",
        "kind": "direct",
        "parent": "",
        "title_vi": "Tiêu chí mới",
        "title_en": "New",
        "max_points": "5",
        "min_points": "0",
        "weight_percent": "100",
    }
    data.update(kw)
    return data


def test_pages_render_for_a_national_admin(client, make, national):
    period = make.period()
    valid_set(make, period)
    criterion = period.criteria[0]
    for endpoint, args in [
        ("admin.dashboard", {}),
        ("campaigns.index", {}),
        ("campaigns.new_campaign", {}),
        ("campaigns.new_period", {"campaign_id": period.campaign_id}),
        ("campaigns.period", {"period_id": period.id}),
        ("campaigns.edit_period", {"period_id": period.id}),
        ("campaigns.extend_window", {"period_id": period.id}),
        ("campaigns.criteria", {"period_id": period.id}),
        ("campaigns.new_criterion", {"period_id": period.id}),
        ("campaigns.edit_criterion", {"criterion_id": criterion.id}),
        ("campaigns.preview", {"period_id": period.id}),
        ("campaigns.copy_criteria", {"period_id": period.id}),
        ("campaigns.import_criteria", {"period_id": period.id}),
        ("campaigns.rules", {"period_id": period.id}),
        ("campaigns.export_criteria", {"period_id": period.id}),
    ]:
        response = client.get(url_for(endpoint, **args))
        assert response.status_code == 200, endpoint


def test_provincial_admin_reads_but_cannot_change(client, make, login_as):
    period = make.period()
    valid_set(make, period)
    login_as(make.admin(scope=make.province()))
    speak_english(client)
    page = client.get(url_for("campaigns.criteria", period_id=period.id))
    assert page.status_code == 200 and b"Add group" not in page.data
    assert client.get(url_for("campaigns.rules", period_id=period.id)).status_code == 200
    posted = client.post(
        url_for("campaigns.new_criterion", period_id=period.id), data=criterion_form()
    )
    assert posted.status_code == 403
    moved = client.post(
        url_for("campaigns.transition", period_id=period.id),
        data={"to": "open", "version": period.version},
    )
    assert moved.status_code == 403
    assert period.status is PeriodStatus.DRAFT and len(period.criteria) == 5


def test_other_roles_are_kept_out(client, make, login_as):
    period = make.period()
    login_as(make.unit_head())
    assert client.get(url_for("campaigns.period", period_id=period.id)).status_code == 403
    assert client.get(url_for("admin.dashboard")).status_code == 403


def test_add_edit_move_delete_through_the_pages(client, make, national, db_session):
    period = make.period()
    group = valid_set(make, period)
    response = client.post(
        url_for("campaigns.new_criterion", period_id=period.id),
        data=criterion_form(parent=str(group.id), max_points="2,5"),
    )
    assert response.status_code == 302
    added = db_session.scalar(select(Criterion).where(Criterion.code == "1.3"))
    assert added.max_points == 250 and added.parent_id == group.id
    response = client.post(
        url_for("campaigns.edit_criterion", criterion_id=added.id),
        data=criterion_form(parent=str(group.id), max_points="3", version=str(added.version)),
    )
    assert response.status_code == 302
    db_session.refresh(added)
    assert added.max_points == 300
    client.post(
        url_for("campaigns.move_criterion", criterion_id=added.id), data={"direction": "up"}
    )
    db_session.expire_all()
    assert [c.code for c in group.children] == ["1.1", "1.3", "1.2"]
    client.post(url_for("campaigns.delete_criterion", criterion_id=added.id))
    db_session.expire_all()
    assert [c.code for c in group.children] == ["1.1", "1.2"]


def test_a_frozen_set_shows_the_message_and_changes_nothing(client, make, national, db_session):
    period = make.period(status=PeriodStatus.SELF_ASSESSMENT)
    group = valid_set(make, period)
    leaf = group.children[0]
    page = client.get(url_for("campaigns.criteria", period_id=period.id))
    assert "frozen" in page.get_data(as_text=True)
    response = client.post(
        url_for("campaigns.new_criterion", period_id=period.id), data=criterion_form()
    )
    assert response.status_code == 409
    assert "frozen" in response.get_data(as_text=True)
    response = client.post(url_for("campaigns.delete_criterion", criterion_id=leaf.id))
    assert response.status_code == 302  # back to the editor, which shows why
    editor = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "alert-danger" in editor and "frozen" in editor
    db_session.expire_all()
    assert len(period.criteria) == 5


def test_a_stale_edit_is_a_409_conflict(client, make, national, db_session):
    period = make.period()
    valid_set(make, period)
    leaf = db_session.scalar(select(Criterion).where(Criterion.code == "1.1"))
    stale = str(leaf.version)
    first = client.post(
        url_for("campaigns.edit_criterion", criterion_id=leaf.id),
        data=criterion_form(code="1.1", parent=str(leaf.parent_id), max_points="6", version=stale),
    )
    assert first.status_code == 302
    second = client.post(
        url_for("campaigns.edit_criterion", criterion_id=leaf.id),
        data=criterion_form(code="1.1", parent=str(leaf.parent_id), max_points="1", version=stale),
    )
    assert second.status_code == 409
    assert "Someone else changed" in second.get_data(as_text=True)
    db_session.expire_all()
    assert leaf.max_points == 600


def test_a_stale_period_edit_is_a_409_conflict(client, make, national, db_session):
    period = make.period(code="A")
    form = {
        "code": "A",
        "name_vi": "Kỳ A",
        "name_en": "A",
        "kind": "year",
        "starts_on": "01/01/2026",
        "ends_on": "31/12/2026",
        "version": str(period.version),
    }
    assert (
        client.post(url_for("campaigns.edit_period", period_id=period.id), data=form).status_code
        == 302
    )
    form["name_vi"] = "Ghi đè"
    response = client.post(url_for("campaigns.edit_period", period_id=period.id), data=form)
    assert response.status_code == 409
    db_session.expire_all()
    assert period.name_vi == "Kỳ A"


def test_new_period_based_on_another_with_vietnam_times(client, make, national, db_session):
    source = make.period(status=PeriodStatus.PUBLISHED)
    valid_set(make, source)
    response = client.post(
        url_for("campaigns.new_period", campaign_id=source.campaign_id),
        data={
            "code": "2027",
            "name_vi": "Năm 2027",
            "name_en": "Year 2027",
            "kind": "year",
            "starts_on": "01/01/2027",
            "ends_on": "31/12/2027",
            "self_assessment_opens_at": "01/11/2027 08:00",
            "self_assessment_closes_at": "15/11/2027 17:00",
            "based_on": str(source.id),
        },
    )
    assert response.status_code == 302
    period = db_session.scalar(select(Period).where(Period.code == "2027"))
    assert period.self_assessment_opens_at == datetime(2027, 11, 1, 1, 0)  # 08:00 in Hanoi
    assert len(period.criteria) == len(source.criteria)
    page = client.get(url_for("campaigns.edit_period", period_id=period.id)).get_data(as_text=True)
    assert "01/11/2027 08:00" in page


def test_transition_to_self_assessment_through_the_page(client, make, national, db_session):
    period = make.period(status=PeriodStatus.OPEN)
    valid_set(make, period)
    response = client.post(
        url_for("campaigns.transition", period_id=period.id),
        data={"to": "self_assessment", "version": str(period.version)},
    )
    assert response.status_code == 302
    db_session.expire_all()
    assert period.status is PeriodStatus.SELF_ASSESSMENT and period.criteria_frozen
    illegal = client.post(
        url_for("campaigns.transition", period_id=period.id),
        data={"to": "published", "version": str(period.version)},
    )
    assert illegal.headers["Location"] == url_for("campaigns.period", period_id=period.id)
    assert "cannot go from" in client.get(illegal.headers["Location"]).get_data(as_text=True)
    db_session.expire_all()
    assert period.status is PeriodStatus.SELF_ASSESSMENT


def test_extend_window_page_requires_a_reason(client, make, national, db_session):
    period = make.period(
        status=PeriodStatus.SELF_ASSESSMENT, self_assessment_closes_at=datetime(2026, 3, 1)
    )
    url = url_for("campaigns.extend_window", period_id=period.id)
    data = {
        "window": "self_assessment_closes_at",
        "new_value": "05/03/2026 17:00",
        "version": str(period.version),
    }
    assert client.post(url, data=data).status_code == 422
    assert client.post(url, data={**data, "reason": "Bão số 3"}).status_code == 302
    db_session.expire_all()
    assert period.self_assessment_closes_at == datetime(2026, 3, 5, 10, 0)


def test_rules_page_reorders_the_chain_then_saves(client, make, national, db_session):
    period = make.period()
    valid_set(make, period)
    url = url_for("campaigns.rules", period_id=period.id)
    base = {
        "band_excellent": "90",
        "band_good": "70",
        "band_completed": "50",
        "excellent_cap_percent": "20",
        "version": str(period.version),
        "tie_break": ["total", "group:1", "fewer_penalties", "unit_code"],
    }
    page = client.post(url, data={**base, "chain_action": "down:1"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert text.index('value="fewer_penalties"') < text.index('value="group:1"')
    db_session.expire_all()
    assert period.tie_break[1] == "group:1"  # nothing saved yet
    saved = client.post(url, data={**base, "tie_break": ["total", "fewer_penalties", "group:1"]})
    assert saved.status_code == 302
    db_session.expire_all()
    assert period.tie_break == ["total", "fewer_penalties", "group:1"]
    bad = client.post(url, data={**base, "band_good": "95", "version": str(period.version)})
    assert bad.status_code == 422
    assert "decrease strictly" in bad.get_data(as_text=True)


def test_import_page_lists_row_errors(client, make, national):
    from io import BytesIO

    from tests.campaigns.test_xlsx import workbook

    period = make.period()
    content = workbook([{"code": "1", "kind": "nope", "title_vi": "Nhóm", "max_points": 10}])
    response = client.post(
        url_for("campaigns.import_criteria", period_id=period.id),
        data={"file": (BytesIO(content), "set.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Row 2: unreadable value in kind." in response.get_data(as_text=True)
    assert period.criteria == []


def test_pages_speak_vietnamese_by_default(client, make, login_as):
    period = make.period(status=PeriodStatus.SELF_ASSESSMENT)
    valid_set(make, period)
    login_as(make.admin())
    page = client.get(url_for("campaigns.criteria", period_id=period.id)).get_data(as_text=True)
    assert "Bộ tiêu chí của kỳ này đã được khóa" in page
    assert "Xem trước như trưởng Công an xã" in page
