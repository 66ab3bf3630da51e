"""Rules page (criteria, bands, cap, veto, tie-break chain) and the printable results."""

from __future__ import annotations

from emulation.campaigns.models import CriterionKind, PeriodStatus
from emulation.db import utcnow


def test_rules_page_lists_criteria_bands_and_tie_break_chain_in_order(client, make):
    w = make.leaderboard_world()
    period = w.period
    group = period.criteria[0]
    make.criterion(period, parent=group, title_en="Crime reports handled on time", max_points=500)
    make.criterion(
        period, parent=group, kind=CriterionKind.VETO, title_en="Wrongful conviction", max_points=0
    )
    period.excellent_cap_percent = 20
    period.tie_break = ["total", "group:2", "fewer_penalties", "unit_code"]
    make.session.commit()
    html = client.get("/leaderboard/2025/rules?lang=en").get_data(as_text=True)
    assert "Crime reports handled on time" in html and "Wrongful conviction" in html
    assert "≥ 90" in html and "≥ 70" in html and "≥ 50" in html
    assert "20%" in html
    chain = html[html.index('class="tie-break-chain"') :]
    positions = [chain.index(text) for text in ("total", "Attached", "penalt")]
    assert positions == sorted(positions)
    assert "code" not in chain.split("</ol>")[0]  # the unit code is never a tie-break


def test_rules_page_in_vietnamese_without_criteria(client, make):
    make.period(status=PeriodStatus.OPEN, code="2027")
    response = client.get("/bang-xep-hang/2027/quy-tac")
    assert response.status_code == 200
    assert "Tiêu chí" in response.get_data(as_text=True)


def test_print_page_has_the_title_block_of_official_results(client, make):
    w = make.leaderboard_world(status=PeriodStatus.PUBLISHED, official=True)
    w.period.published_at = utcnow()
    make.session.commit()
    html = client.get("/leaderboard/2025/print?lang=en").get_data(as_text=True)
    assert w.period.campaign.name_en in html and w.period.name_en in html
    assert '<strong class="result-status">Official</strong>' in html
    assert "published" in html
    assert html.count('<td class="rank">') == len(w.units)  # every row, no paging


def test_print_page_of_provisional_results_says_so(client, make):
    make.leaderboard_world()
    html = client.get("/bang-xep-hang/2025/ban-in").get_data(as_text=True)
    assert '<strong class="result-status">Tạm tính</strong>' in html


def test_a_province_print_does_not_repeat_the_province(client, make):
    w = make.leaderboard_world()
    province = w.provinces[0]
    html = client.get(f"/bang-xep-hang/2025/ban-in?scope=province&key={province.code}").get_data(
        as_text=True
    )
    table = html.split("<table")[1]
    assert province.name not in table


def test_a_long_print_comes_in_parts(client, make, monkeypatch):
    from emulation.public import board_views

    monkeypatch.setattr(board_views, "PRINT_PART", 4)
    w = make.leaderboard_world()
    first = client.get("/bang-xep-hang/2025/ban-in").get_data(as_text=True)
    second = client.get("/bang-xep-hang/2025/ban-in?part=2").get_data(as_text=True)
    assert first.count('<td class="rank">') == 4
    assert second.count('<td class="rank">') == len(w.units) - 4
    assert "part=2" in first
