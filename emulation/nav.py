"""Main-menu entries, registered by each feature and filtered for the current user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any  # a lazy string
    visible: Callable[[Any], bool] = lambda user: True
    order: int = 50


NAV: list[NavItem] = []


def add_nav(item: NavItem) -> None:
    if all(existing.endpoint != item.endpoint for existing in NAV):
        NAV.append(item)


def nav_links() -> list[dict[str, str]]:
    return [
        {"url": url_for(item.endpoint), "label": str(item.label)}
        for item in sorted(NAV, key=lambda i: i.order)
        if item.visible(current_user)
    ]


# Where a signed-in user lands after sign-in: the first matching role's page (else Home).
HOMES: list[tuple[Callable[[Any], bool], str]] = []


def add_home(applies: Callable[[Any], bool], endpoint: str) -> None:
    if all(existing != endpoint for _applies, existing in HOMES):
        HOMES.append((applies, endpoint))


def home_url(user: Any) -> str:
    for applies, endpoint in HOMES:
        if applies(user):
            return url_for(endpoint)
    return url_for("public.home")


def init_app(app: Flask) -> None:
    app.jinja_env.globals["nav_links"] = nav_links
