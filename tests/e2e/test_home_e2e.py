"""The home page as a visitor sees it, on a desktop and on a phone."""

from emulation.campaigns.models import PeriodStatus


def _world(make):
    campaign = make.campaign()
    period = make.period(
        campaign, status=PeriodStatus.SCORING, code="2026", name_vi="Tổng kết năm 2026"
    )
    snapshot = make.snapshot(period)
    make.standing(snapshot, make.unit(name="Phường Cửa Nam"), total=9550, rank=1, previous_rank=3)
    make.standing(snapshot, make.unit(name="Xã Đông Anh"), total=9100, rank=2, previous_rank=1)
    return campaign


def test_home_shows_the_campaign_and_leaderboard_without_console_errors(live_server, page, make):
    _world(make)
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text().startswith("Tận tụy")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert "Phường Cửa Nam" in rows.nth(0).inner_text() and "95,5" in rows.nth(0).inner_text()
    assert "Tạm tính" in page.content()

    page.get_by_role("link", name="EN").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "National leaderboard" in page.content()


def test_home_on_a_phone_collapses_the_menu(live_server, page, make):
    _world(make)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/")
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    assert not page.get_by_role("link", name="Đăng nhập").is_visible()
    toggler.click()
    page.get_by_role("link", name="Đăng nhập").wait_for(state="visible")
    page.locator("#mainnav.show:not(.collapsing)").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no horizontal scrolling on a phone"
