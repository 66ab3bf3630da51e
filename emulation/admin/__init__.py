"""The administration dashboard; each feature adds its own card (`nav.add_area`)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from emulation import nav
    from emulation.accounts.authz import is_admin
    from emulation.admin import views

    app.register_blueprint(views.bp)
    nav.add_menu(app, nav.NavItem("admin.dashboard", _l("Administration"), is_admin, order=80))
