"""The public pages: home, leaderboards, unit pages, rules, print and exports."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the public blueprint and its menu entry."""
    from flask_babel import lazy_gettext as _l

    from emulation import nav
    from emulation.public import (  # noqa: F401  (routes on views.bp)
        board_views,
        explain_views,
        unit_views,
        views,
    )

    app.register_blueprint(views.bp)
    nav.add_menu(app, nav.NavItem("public.leaderboards", _l("Leaderboard"), order=10))
    app.jinja_env.globals.update(
        provisional_after=_provisional_after,
        distribution_chart=_distribution_chart,
        province_averages=_province_averages,
    )


def _distribution_chart(snapshot, scope_type, scope_key, period):
    from emulation.extensions import db
    from emulation.public.charts import distribution_chart

    return distribution_chart(db.session, snapshot, scope_type, scope_key, period)


def _province_averages(snapshot, groups):
    from emulation.extensions import db
    from emulation.public.charts import province_averages

    return province_averages(db.session, snapshot, groups)


def _provisional_after(period):
    """For templates: the newer period still being scored, to link to from an official one."""
    from emulation.extensions import db
    from emulation.leaderboards.queries import provisional_after

    return provisional_after(db.session, period) if period is not None else None
