"""The menu bar: administration entries under one menu, the user's under their name."""

from __future__ import annotations


def _bar(html: str) -> str:
    return html.split('id="mainnav"')[1].split("</nav>")[0]


def _main_entries(html: str) -> str:
    return _bar(html).split('class="navbar-nav me-auto"')[1].split("</ul>")[0]


def test_an_admin_sees_one_administration_menu(client, make, login_as):
    login_as(make.admin())
    bar = _bar(client.get("/").get_data(as_text=True))
    menu = bar.split(">Quản trị</button>")[1].split("</ul>")[0]
    for href in ("/admin/", "/admin/campaigns/", "/admin/units/", "/admin/users/"):
        assert f'href="{href}"' in menu
    top_level = bar.split('class="dropdown-menu"')[0]
    assert 'href="/admin/users/"' not in top_level  # not a separate entry in the bar


def test_account_items_are_under_the_users_name(client, make, login_as):
    user = make.user(full_name="Nguyễn Văn An")
    login_as(user)
    bar = _bar(client.get("/").get_data(as_text=True))
    account = bar.split('class="nav-item dropdown account-menu"')[1]
    assert "Nguyễn Văn An" in account
    assert 'href="/auth/account"' in account and 'href="/auth/password"' in account
    assert 'action="/auth/logout"' in account
    assert "/auth/account" not in _main_entries(client.get("/").get_data(as_text=True))


def test_a_visitor_sees_no_administration_or_account_menu(client):
    bar = _bar(client.get("/").get_data(as_text=True))
    assert "dropdown-toggle" not in bar
    assert 'href="/auth/login"' in bar
