"""The hash-chained audit log."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the audit page, its admin card and `flask audit`."""
    from flask_babel import lazy_gettext as _l

    from emulation import nav
    from emulation.audit import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.audit_cli)
    nav.add_area(
        app, nav.AdminArea("audit.index", _l("Audit log"), _l("Every change, hash-chained."), 90)
    )
