"""Visitors land on the latest official result, with a link to the provisional one."""

from __future__ import annotations

import pytest

from emulation.campaigns.models import PeriodStatus


@pytest.fixture
def two_periods(make):
    campaign = make.campaign()
    unit = make.unit(name="Phường Cửa Nam", code="00073")
    published = make.period(campaign, status=PeriodStatus.PUBLISHED, code="2025", year=2025)
    scoring = make.period(campaign, status=PeriodStatus.SCORING, code="2026", year=2026)
    make.standing(make.snapshot(published, official=True), unit, total=9100, rank=1)
    make.standing(make.snapshot(scoring), unit, total=8800, rank=2)
    return published, scoring


def test_the_leaderboard_opens_on_the_official_period(client, two_periods):
    response = client.get("/bang-xep-hang")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/bang-xep-hang/2025")


def test_the_official_page_links_to_the_provisional_one(client, two_periods):
    html = client.get("/bang-xep-hang/2025").get_data(as_text=True)
    banner = html.split('class="alert alert-warning')[1].split("</div>")[0]
    assert 'href="/bang-xep-hang/2026"' in banner
    assert "tạm tính" in banner


def test_the_provisional_page_has_no_such_banner(client, two_periods):
    html = client.get("/bang-xep-hang/2026").get_data(as_text=True)
    assert "in-progress" not in html


def test_home_and_unit_pages_show_the_official_result(client, two_periods):
    home = client.get("/").get_data(as_text=True)
    assert "91,00" in home and "88,00" not in home
    unit = client.get("/don-vi/00073").get_data(as_text=True)
    assert ">91,00<" in unit
    assert 'href="/bang-xep-hang/2026"' in unit


def test_without_any_official_result_the_provisional_one_is_shown(client, make):
    period = make.period(status=PeriodStatus.SCORING, code="2026")
    make.standing(make.snapshot(period), make.unit(), total=8000, rank=1)
    assert client.get("/bang-xep-hang").headers["Location"].endswith("/bang-xep-hang/2026")
