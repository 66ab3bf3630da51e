"""Accounts: users, role grants, sign-in and second factor, user administration, authz."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the accounts blueprint (sign-in and user admin), `flask users`, the menu
    entries, the admin card, the role labels, rate limits and session gates."""
    from flask_babel import lazy_gettext as _l

    from emulation import nav
    from emulation.accounts import cli, sessions, throttle, user_views, views  # noqa: F401
    from emulation.labels import role_label

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.users_cli)
    app.jinja_env.globals.update(role_label=role_label)
    throttle.init_app(app)
    sessions.init_app(app)
    # Users are an admin area (under Administration); the user's own pages go under their name.
    account = {"visible": _signed_in, "menu": "account"}
    nav.add_menu(app, nav.NavItem("accounts.account", _l("My account"), order=1, **account))
    nav.add_menu(
        app, nav.NavItem("accounts.change_password", _l("Change password"), order=2, **account)
    )
    nav.add_area(
        app,
        nav.AdminArea(
            "accounts.users",
            _l("Users and roles"),
            _l("Accounts, role grants and second factor."),
            50,
        ),
    )


def _signed_in(user) -> bool:
    return user.is_authenticated
