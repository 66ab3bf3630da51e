"""Find my unit: diacritics-insensitive, jumps to the unit's page and highlights it."""

from __future__ import annotations

from emulation.campaigns.models import PeriodStatus


def big_board(make, names_at: dict[int, str]):
    period = make.period(status=PeriodStatus.SCORING, code="2025", year=2025)
    province = make.province()
    names = [names_at.get(n, f"Xã Thứ {n}") for n in range(250)]
    units = make.units_under(province, names)
    make.rankings(make.snapshot(period), {u: 9900 - n for n, u in enumerate(units)})
    return units


def test_folded_query_jumps_to_the_page_holding_the_unit(client, make):
    units = big_board(make, {180: "Phường Cửa Nam"})
    target = units[180]
    response = client.get("/bang-xep-hang/2025?q=cua nam")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "page=2" in location and f"hl={target.code}" in location
    assert location.endswith(f"#u-{target.code}")
    html = client.get(location).get_data(as_text=True)
    assert f'<tr id="u-{target.code}" class="table-warning highlight"' in html


def test_search_by_code_and_upper_case_with_diacritics(client, make):
    units = big_board(make, {5: "Phường Cửa Nam"})
    assert "hl=" + units[5].code in client.get("/bang-xep-hang/2025?q=CỬA NAM").headers["Location"]
    assert (
        "hl=" + units[7].code
        in client.get(f"/bang-xep-hang/2025?q={units[7].code}").headers["Location"]
    )


def test_several_matches_are_listed(client, make):
    big_board(make, {3: "Phường Đồng Tâm", 120: "Xã Đồng Tâm"})
    response = client.get("/bang-xep-hang/2025?q=dong tam&lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "2 units match" in html
    assert "#4 · Phường Đồng Tâm" in html and "#121 · Xã Đồng Tâm" in html


def test_no_match_says_so(client, make):
    big_board(make, {})
    html = client.get("/bang-xep-hang/2025?q=khong co&lang=en").get_data(as_text=True)
    assert "No unit in this leaderboard matches" in html


def test_like_wildcards_are_literal(client, make):
    big_board(make, {})
    html = client.get("/bang-xep-hang/2025?q=%25&lang=en").get_data(as_text=True)
    assert "No unit in this leaderboard matches" in html


def test_too_many_matches_are_capped(client, make):
    big_board(make, {})
    html = client.get("/bang-xep-hang/2025?q=xa thu&lang=en").get_data(as_text=True)
    assert "More than 20 units match" in html
    assert html.count("· Xã Thứ") == 20
