"""The administration dashboard; each feature adds its own card (`nav.add_area`)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from emulation import nav
    from emulation.accounts.authz import is_admin
    from emulation.admin import views

    app.register_blueprint(views.bp)
    # The Administration menu: these two, then every feature's admin area (nav.admin_menu).
    nav.add_menu(app, nav.NavItem("admin.dashboard", _l("Overview"), is_admin, 1, menu="admin"))
    nav.add_menu(
        app,
        nav.NavItem("campaigns.index", _l("Campaigns and periods"), is_admin, 2, menu="admin"),
    )
