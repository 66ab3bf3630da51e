"""Campaigns, periods (lifecycle, windows, rules) and their criteria."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the campaigns blueprint and the labels its pages use."""
    from emulation.campaigns import criteria_views, views  # noqa: F401  (routes on views.bp)
    from emulation.labels import (
        classification_label,
        criterion_kind_label,
        period_kind_label,
        period_status_label,
        tie_break_label,
    )

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(
        period_status_label=period_status_label,
        period_kind_label=period_kind_label,
        criterion_kind_label=criterion_kind_label,
        classification_label=classification_label,
        tie_break_label=tie_break_label,
        audit_action_label=views.audit_action_label,
    )
