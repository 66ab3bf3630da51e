"""Evaluation boards: members, chair, assignments, score sheets; pure scoring rules."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the scoring blueprint and its admin card."""
    from flask_babel import lazy_gettext as _l

    from emulation import nav
    from emulation.scoring import views

    app.register_blueprint(views.bp)
    nav.add_area(
        app,
        nav.AdminArea(
            "scoring.boards",
            _l("Evaluation boards"),
            _l("Appraisal boards, members and assignments."),
            40,
        ),
    )
