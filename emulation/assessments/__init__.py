"""Self-assessments by unit heads, their evidence, and per-unit deadline extensions."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint, "My unit" (the unit head's menu entry and home after sign-in)
    and the administrators' "Self-assessments" menu entry and card."""
    from flask_babel import lazy_gettext as _l

    from emulation import nav
    from emulation.accounts import authz
    from emulation.accounts.models import Role
    from emulation.assessments import views

    def is_unit_head(user) -> bool:
        return authz.has_role(user, Role.UNIT_HEAD)

    app.register_blueprint(views.bp)
    nav.add_menu(app, nav.NavItem("assessments.my_unit", _l("My unit"), is_unit_head, order=5))
    nav.add_home(app, is_unit_head, "assessments.my_unit")
    nav.add_menu(
        app,
        nav.NavItem("assessments.admin_index", _l("Self-assessments"), authz.is_admin, order=45),
    )
    nav.add_area(
        app,
        nav.AdminArea(
            "assessments.admin_index",
            _l("Self-assessments"),
            _l("Each unit's progress; extend one unit's deadline."),
            35,
        ),
    )
