"""Self-assessments by unit heads: My unit, the form, evidence, results, deadline extensions."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the assessments blueprint, the My unit menu entry and the unit heads' home."""
    from flask_babel import lazy_gettext as _l

    from emulation import nav
    from emulation.accounts import authz
    from emulation.accounts.models import Role
    from emulation.assessments import views

    app.register_blueprint(views.bp)
    nav.add_menu(
        app, nav.NavItem("assessments.my_unit", _l("My unit"), visible=views._is_unit_head, order=5)
    )
    nav.add_home(app, views._is_unit_head, "assessments.my_unit")
    nav.add_menu(
        app,
        nav.NavItem(
            "assessments.admin_index",
            _l("Self-assessments"),
            visible=lambda user: authz.has_role(user, Role.ADMIN),
            order=45,
        ),
    )
