"""The read-only JSON API over the public leaderboard data."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the /api/v1 blueprint."""
    from emulation.api import views

    app.register_blueprint(views.bp)
