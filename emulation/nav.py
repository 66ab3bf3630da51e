"""Main-menu entries, registered by each feature and filtered for the current user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


NAV: list[NavItem] = []


def add_nav(item: NavItem) -> None:
    if all(existing.endpoint != item.endpoint for existing in NAV):
        NAV.append(item)


def nav_links(menu: str = "main") -> list[dict[str, str]]:
    """Entries of one menu the current user may open (features not installed are skipped)."""
    return [
        {"url": url_for(item.endpoint), "label": str(item.label), "endpoint": item.endpoint}
        for item in sorted(NAV, key=lambda i: i.order)
        if item.menu == menu and item.endpoint in current_app.view_functions
        if item.visible(current_user)
    ]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["nav_links"] = nav_links
