"""The hash-chained audit log."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register `flask audit`."""
    from emulation.audit import cli

    app.cli.add_command(cli.audit_cli)
