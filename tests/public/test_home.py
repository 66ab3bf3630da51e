from emulation.campaigns.models import PeriodStatus
from emulation.leaderboards.models import Snapshot


def test_health_check_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_home_without_campaign_explains_how_to_load(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "flask demo load" in response.get_data(as_text=True)


def test_home_shows_the_newest_scored_period_while_nothing_is_official(client, make):
    campaign = make.campaign()
    new = make.period(campaign, status=PeriodStatus.SCORING, year=2025, code="2025")
    snap = make.snapshot(new)
    make.standing(snap, make.unit(name="Phường Cửa Nam"), total=9550, rank=1)
    make.standing(snap, make.unit(name="Xã Đồng Tâm"), total=9000, rank=2)
    html = client.get("/").get_data(as_text=True)
    assert "Phường Cửa Nam" in html and "Xã Đồng Tâm" in html
    assert html.index("Phường Cửa Nam") < html.index("Xã Đồng Tâm")
    assert "95,50" in html  # Vietnamese decimal comma, two decimals
    assert isinstance(snap, Snapshot)


def test_home_shows_the_official_result_and_links_to_the_provisional_one(client, make):
    campaign = make.campaign()
    old = make.period(campaign, status=PeriodStatus.PUBLISHED, year=2024, code="2024")
    new = make.period(campaign, status=PeriodStatus.SCORING, year=2025, code="2025")
    make.standing(make.snapshot(old, official=True), make.unit(name="Xã Cũ"), total=9000)
    make.standing(make.snapshot(new), make.unit(name="Phường Cửa Nam"), total=9550, rank=1)
    html = client.get("/").get_data(as_text=True)
    assert "Xã Cũ" in html and "Phường Cửa Nam" not in html
    assert 'href="/bang-xep-hang/2025"' in html.split("in-progress")[1].split("</div>")[0]


def test_english_switch_keeps_the_page(client):
    response = client.get("/?lang=en")
    assert response.status_code == 200
    assert '<html lang="en">' in response.get_data(as_text=True)
    # The choice sticks for the session.
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_security_headers_present(client):
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
