"""One name for the evaluation board: the dashboard card, the menu and the boards page agree."""

from __future__ import annotations

NAME = "Hội đồng thẩm định"


def test_dashboard_menu_and_boards_page_use_one_name(client, make, login_as):
    login_as(make.admin())
    dashboard = client.get("/admin/").get_data(as_text=True)
    boards = client.get("/admin/boards/").get_data(as_text=True)
    assert f'<h3 class="h6 mb-1">{NAME}</h3>' in dashboard
    assert f'<h1 class="h4">{NAME}</h1>' in boards
    for page in (dashboard, boards):
        assert "Hội đồng thi đua khen thưởng" not in page
