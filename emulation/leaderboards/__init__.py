"""Leaderboards: snapshots and standings, the recompute, the scheduler's jobs."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register `flask leaderboards` and `flask scheduler`."""
    from emulation.leaderboards import cli

    app.cli.add_command(cli.leaderboards_cli)
    app.cli.add_command(cli.scheduler_cli)
