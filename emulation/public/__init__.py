"""The public pages: home, leaderboards, unit pages, rules, print and exports."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the public blueprint and its menu entry."""
    from flask_babel import lazy_gettext as _l

    from emulation import nav
    from emulation.public import board_views, unit_views, views  # noqa: F401  (routes on views.bp)

    app.register_blueprint(views.bp)
    nav.add_menu(app, nav.NavItem("public.leaderboards", _l("Leaderboard"), order=10))
