"""The unit tree and emulation clusters: registry, imports, merges."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the org blueprint, `flask units`, the admin cards and the unit-kind labels."""
    from flask_babel import lazy_gettext as _l

    from emulation import nav
    from emulation.labels import unit_kind_label
    from emulation.org import cli, cluster_views, views  # noqa: F401  (routes on views.bp)

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.units_cli)
    app.jinja_env.globals.update(unit_kind_label=unit_kind_label)
    nav.add_area(app, nav.AdminArea("org.units", _l("Units"), _l("The unit tree and imports."), 10))
    nav.add_area(
        app, nav.AdminArea("org.clusters", _l("Emulation clusters"), _l("Who ranks with whom."), 20)
    )
