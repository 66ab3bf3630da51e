"""A quantitative criterion's share field: a sensible default, and errors beside the field."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from emulation.campaigns.models import Criterion
from tests.campaigns.helpers import speak_english

FORM = {
    "code": "2.9",
    "kind": "quantitative",
    "parent": "",
    "title_vi": "Tỷ lệ hồ sơ trực tuyến",
    "title_en": "Online filings",
    "max_points": "4",
    "min_points": "0",
    "target": "60",
    "weight_percent": "100",
}


def _page(client, period, **data):
    return client.post(url_for("campaigns.new_criterion", period_id=period.id), data=data)


def test_the_new_criterion_form_proposes_80_percent(client, make, login_as):
    login_as(make.admin())
    period = make.period()
    html = client.get(url_for("campaigns.new_criterion", period_id=period.id)).get_data(True)
    share = html.split('id="target_share_percent"')[1].split(">")[0]
    assert 'value="80"' in share


def test_an_empty_share_is_an_error_beside_the_field(client, make, login_as, db_session):
    login_as(make.admin())
    speak_english(client)
    period = make.period()
    response = _page(client, period, **FORM, target_share_percent="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    field = html.split('id="target_share_percent"')[1].split('class="mb-3"')[0]
    assert "Give the share of the maximum earned at the target, from 1 to 100." in field
    assert 'class="alert' not in html.split("<main")[1].split("<form")[0]  # no banner
    assert db_session.scalar(select(Criterion).where(Criterion.code == "2.9")) is None


def test_a_missing_target_is_an_error_beside_the_target(client, make, login_as):
    login_as(make.admin())
    speak_english(client)
    html = _page(client, make.period(), **{**FORM, "target": ""}).get_data(as_text=True)
    field = html.split('id="target"')[1].split('class="mb-3"')[0]
    assert "A quantitative criterion needs a target above 0." in field


def test_a_direct_criterion_needs_no_share(client, make, login_as, db_session):
    login_as(make.admin())
    response = _page(client, make.period(), **{**FORM, "kind": "direct", "target": ""})
    assert response.status_code == 302
    saved = db_session.scalar(select(Criterion).where(Criterion.code == "2.9"))
    assert saved.target_share_percent is None
