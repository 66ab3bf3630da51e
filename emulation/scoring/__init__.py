"""Evaluation boards: members, chair, assignments, score sheets; pure scoring rules."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the scoring blueprints (board setup, members, chairs, unit heads), their menu
    entries, the members' home page and the admin card."""
    from flask_babel import lazy_gettext as _l

    from emulation import nav
    from emulation.accounts import authz
    from emulation.accounts.models import Role
    from emulation.scoring import chair_views, sheet_views, unit_views, views

    app.register_blueprint(views.bp)
    for module in (sheet_views, chair_views, unit_views):  # members, chairs, unit heads
        app.register_blueprint(module.bp)

    def scorer(user) -> bool:
        return authz.has_role(user, sheet_views.SCORERS)

    def chair(user) -> bool:
        return authz.has_role(user, Role.BOARD_CHAIR)

    nav.add_menu(app, nav.NavItem("sheets.queue", _l("My queue"), visible=scorer, order=30))
    nav.add_menu(app, nav.NavItem("chair.boards", _l("My boards"), visible=chair, order=31))
    nav.add_home(app, scorer, "sheets.queue")  # board members start from their queue
    nav.add_area(
        app,
        nav.AdminArea(
            "scoring.boards",
            _l("Evaluation boards"),
            _l("Appraisal boards, members and assignments."),
            40,
        ),
    )
