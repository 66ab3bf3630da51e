"""`flask users ...`: the first national administrator."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from emulation.accounts.models import Role
from emulation.accounts.services import create_user, find_user
from emulation.accounts.user_admin import user_state
from emulation.audit import services as audit
from emulation.errors import DomainError
from emulation.extensions import db
from emulation.org.models import Unit, UnitKind

users_cli = AppGroup("users", help="User accounts.")
ROOT_CODE = "BCA"


def root_unit() -> Unit:
    """The ministry (root of the unit tree), created when the database is still empty."""
    unit = db.session.scalar(select(Unit).where(Unit.code == ROOT_CODE))
    if unit is None:
        unit = Unit(code=ROOT_CODE, name="Bộ Công an", kind=UnitKind.MINISTRY)
        db.session.add(unit)
        db.session.flush()
    return unit


@users_cli.command("create-admin")
@click.argument("username")
@click.option("--full-name", default="", help="Shown in the interface.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_admin(username: str, full_name: str, password_stdin: bool) -> None:
    """Create a national administrator (admin over the root unit BCA)."""
    if find_user(db.session, username) is not None:
        raise click.ClickException(f"user {username!r} already exists")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(
            db.session,
            username=username,
            password=password,
            full_name=full_name or username,
            grants=[(Role.ADMIN, root_unit())],
            home_unit=root_unit(),
        )
    except DomainError as err:
        db.session.rollback()
        raise click.ClickException(err.message) from None
    audit.record(db.session, None, "user.created", user, after=user_state(user), ip="cli")
    db.session.commit()
    click.echo(f"National administrator {username!r} created.")
