"""The public period leaderboard: scopes, paging, movement, empty states, languages."""

from __future__ import annotations

import re

from emulation.campaigns.models import PeriodStatus
from emulation.leaderboards.models import ScopeType
from emulation.org.models import UnitKind


def rows_of(html: str) -> list[str]:
    return re.findall(r'<tr id="u-([^"]+)"', html)


def test_national_board_lists_units_in_rank_order_with_totals(client, make):
    w = make.leaderboard_world()
    html = client.get("/bang-xep-hang/2025").get_data(as_text=True)
    assert rows_of(html) == [u.code for u in w.units]
    assert "99" in html and "98,9" in html  # Vietnamese decimal comma
    assert "Tạm tính" in html or "Provisional" in html


def test_pages_hold_at_most_100_rows(client, make):
    period = make.period(status=PeriodStatus.SCORING, code="2025", year=2025)
    province = make.province()
    units = make.units_under(province, [f"Xã {n}" for n in range(150)])
    snapshot = make.snapshot(period)
    make.rankings(snapshot, {u: 9000 - n for n, u in enumerate(units)})

    first = client.get("/bang-xep-hang/2025").get_data(as_text=True)
    second = client.get("/bang-xep-hang/2025?page=2").get_data(as_text=True)
    assert len(rows_of(first)) == 100
    assert rows_of(second) == [u.code for u in units[100:]]
    assert "page=2" in first
    # Past the end: the last page, not an error.
    assert rows_of(client.get("/bang-xep-hang/2025?page=99").get_data(as_text=True)) == rows_of(
        second
    )


def test_scope_selector_shows_province_cluster_and_kind_boards(client, make):
    w = make.leaderboard_world()
    second = w.provinces[1]
    html = client.get(f"/bang-xep-hang/2025?scope=province&key={second.code}").get_data(
        as_text=True
    )
    assert rows_of(html) == [u.code for u in w.units if u.parent_id == second.id]
    assert f'<option value="{second.code}" selected>{second.name}</option>' in html

    cluster_html = client.get(f"/bang-xep-hang/2025?scope=cluster&key={w.cluster.code}").get_data(
        as_text=True
    )
    assert rows_of(cluster_html) == [u.code for u in w.units[:2]]

    kind_html = client.get("/bang-xep-hang/2025?scope=kind&key=commune").get_data(as_text=True)
    assert len(rows_of(kind_html)) == len(w.units)
    # A scope type without a key shows its first board.
    assert rows_of(client.get("/bang-xep-hang/2025?scope=province").get_data(as_text=True))


def test_unknown_scope_or_key_is_404(client, make):
    make.leaderboard_world()
    assert client.get("/bang-xep-hang/2025?scope=planet").status_code == 404
    assert client.get("/bang-xep-hang/2025?scope=province&key=NOPE").status_code == 404


def test_movement_arrows(client, make):
    period = make.period(status=PeriodStatus.SCORING, code="2025", year=2025)
    province = make.province()
    up, down, same, new = make.units_under(province, ["Xã Lên", "Xã Xuống", "Xã Giữ", "Xã Mới"])
    snapshot = make.snapshot(period)
    previous = {
        (ScopeType.NATIONAL, up.code): 3,
        (ScopeType.NATIONAL, down.code): 1,
        (ScopeType.NATIONAL, same.code): 3,
    }
    make.rankings(snapshot, {up: 9000, down: 8000, same: 7000, new: 6000}, previous)
    html = client.get("/bang-xep-hang/2025").get_data(as_text=True)
    body = html[html.index("<tbody>") :]
    assert re.search(r'move-up" title="[^"]*">▲ 2', body)
    assert re.search(r'move-down" title="[^"]*">▼ 1', body)
    assert ">=<" in body and "•" in body


def test_unknown_or_draft_period_is_404(client, make):
    make.period(status=PeriodStatus.DRAFT, code="draft")
    assert client.get("/bang-xep-hang/nope").status_code == 404
    assert client.get("/bang-xep-hang/draft").status_code == 404
    assert client.get("/unit/nope").status_code == 404


def test_period_without_snapshot_renders_empty_state(client, make):
    make.period(status=PeriodStatus.SELF_ASSESSMENT, code="2026")
    response = client.get("/bang-xep-hang/2026?lang=en")
    assert response.status_code == 200
    assert "No results have been computed yet." in response.get_data(as_text=True)
    assert "ETag" in response.headers


def test_leaderboard_index_redirects_to_newest_period_or_explains(client, make):
    empty = client.get("/leaderboard?lang=en")
    assert empty.status_code == 200
    assert "No results have been computed yet." in empty.get_data(as_text=True)
    make.leaderboard_world()
    response = client.get("/bang-xep-hang")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/bang-xep-hang/2025")


def test_english_page(client, make):
    make.leaderboard_world()
    html = client.get("/leaderboard/2025?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Leaderboard" in html and "Find my unit" in html and "Provisional" in html
    assert "98.9" in html
    assert "Province" in html and "Unit kind" in html


def test_vietnamese_page(client, make):
    make.leaderboard_world()
    html = client.get("/bang-xep-hang/2025").get_data(as_text=True)
    assert "Bảng xếp hạng" in html and "Tìm đơn vị" in html


def test_home_and_menu_link_to_the_leaderboard(client, make):
    w = make.leaderboard_world()
    html = client.get("/").get_data(as_text=True)
    assert "/bang-xep-hang/2025" in html
    assert f"/don-vi/{w.units[0].code}" in html
    assert 'href="/bang-xep-hang"' in html


def test_board_without_rows_in_scope_kind_is_hidden_from_tabs(client, make):
    make.leaderboard_world()
    html = client.get("/bang-xep-hang/2025").get_data(as_text=True)
    assert "scope=kind" in html
    assert UnitKind.WARD.value not in re.findall(r"key=(\w+)", html)
