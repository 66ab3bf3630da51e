"""Menu entries and administration cards, registered by each feature's `init_app`:

    nav.add_menu(app, NavItem("org.units", _l("Units"), visible=is_admin, order=60))
    nav.add_area(app, AdminArea("org.units", _l("Units"), _l("The unit tree and imports.")))

The main menu shows the items the current user may see; the admin dashboard shows the areas."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any  # a lazy string
    visible: Callable[[Any], bool] = lambda user: True
    order: int = 50
    # "main": the menu bar; "admin": under Administration; "account": under the user's name.
    menu: str = "main"


@dataclass(frozen=True)
class AdminArea:
    """A card on the administration dashboard linking to a feature's admin pages."""

    endpoint: str
    title: Any
    blurb: Any
    order: int = 50


@dataclass
class Registry:
    menu: list[NavItem] = field(default_factory=list)
    areas: list[AdminArea] = field(default_factory=list)
    # Where a user lands after sign-in: the first (applies(user), endpoint) that matches.
    homes: list[tuple[Callable[[Any], bool], str]] = field(default_factory=list)


def _registry(app: Flask) -> Registry:
    return app.extensions.setdefault("emulation.nav", Registry())


def add_menu(app: Flask, item: NavItem) -> None:
    _registry(app).menu.append(item)


def add_area(app: Flask, area: AdminArea) -> None:
    _registry(app).areas.append(area)


def add_home(app: Flask, applies: Callable[[Any], bool], endpoint: str) -> None:
    _registry(app).homes.append((applies, endpoint))


def home_url(user: Any) -> str:
    """The page a signed-in user starts from (e.g. a unit head's "My unit"); else Home."""
    for applies, endpoint in _registry(current_app).homes:
        if applies(user):
            return url_for(endpoint)
    return url_for("public.home")


def nav_links(menu: str = "main") -> list[dict[str, str]]:
    """Entries of one menu ("main", "admin" or "account") the current user may open."""
    return [
        {"url": url_for(item.endpoint), "label": str(item.label), "endpoint": item.endpoint}
        for item in sorted(_registry(current_app).menu, key=lambda i: i.order)
        if item.menu == menu and item.visible(current_user)
    ]


def admin_menu() -> list[dict[str, str]]:
    """The Administration menu: its own entries (dashboard, periods) then every admin area,
    shown to whoever may open the dashboard."""
    entries = nav_links("admin")
    if not entries:
        return []
    areas = [
        {"url": url_for(area.endpoint), "label": str(area.title), "endpoint": area.endpoint}
        for area in admin_areas()
    ]
    return entries + areas


def admin_areas() -> list[AdminArea]:
    return sorted(_registry(current_app).areas, key=lambda a: a.order)


def init_app(app: Flask) -> None:
    _registry(app)
    app.jinja_env.globals.update(nav_links=nav_links, admin_menu=admin_menu)
