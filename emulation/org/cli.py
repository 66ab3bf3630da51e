"""`flask units import FILE [--apply] [--scope CODE]`: the same sync as the web import."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from emulation.errors import DomainError

units_cli = AppGroup("units", help="The unit tree: import or synchronise an official list.")


@units_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--apply", "do_apply", is_flag=True, help="Write the changes (default: preview).")
@click.option("--scope", default="BCA", show_default=True, help="Code of the subtree covered.")
@click.option(
    "--confirm-retirements",
    type=int,
    default=None,
    help="The number of units the import retires, needed when it retires 10 or more.",
)
@with_appcontext
def import_units(file: Path, do_apply: bool, scope: str, confirm_retirements: int | None) -> None:
    """Show what importing FILE (.csv or .xlsx) changes; with --apply, change it."""
    from emulation.extensions import db
    from emulation.forms import today
    from emulation.org.models import Unit
    from emulation.org.sheets import parse_units
    from emulation.org.sync import apply_sync, plan_sync

    root = db.session.scalar(select(Unit).where(Unit.code == scope))
    if root is None:
        raise click.ClickException(f"no unit with code {scope}")
    try:
        sheet = parse_units(file.name, file.read_bytes())
        plan = plan_sync(db.session, sheet=sheet, scope=root, allowed_paths=["/"])
        _echo_plan(plan)
        if plan.errors:
            raise SystemExit(1)
        if do_apply and plan.large_retirement and confirm_retirements != len(plan.retired):
            raise click.ClickException(
                f"this import retires {len(plan.retired)} units: check the preview, then add "
                f"--confirm-retirements {len(plan.retired)}"
            )
        if do_apply and plan.change_count:
            apply_sync(
                db.session,
                sheet=sheet,
                scope=root,
                allowed_paths=["/"],
                expected_fingerprint=plan.fingerprint(),
                actor=None,
                today=today(),
                source={"file": file.name, "cli": True},
                confirmed_retirements=confirm_retirements,
            )
            db.session.commit()
            from emulation.leaderboards.inputs import refresh_statistics

            refresh_statistics(db.session)  # thousands of new units: fresh planner statistics
            db.session.commit()
            click.echo(f"Applied {plan.change_count} changes.")
    except DomainError as err:
        db.session.rollback()
        click.echo(err.message, err=True)
        for detail in err.details or []:
            click.echo(f"  {detail}", err=True)
        raise SystemExit(1) from None


def _echo_plan(plan) -> None:
    counts = plan.counts()
    click.echo(", ".join(f"{name}: {n}" for name, n in counts.items()))
    if not plan.errors and plan.change_count == 0:
        click.echo("0 changes.")
    for category in plan.CATEGORIES:
        for change in getattr(plan, category)[:20]:
            click.echo(
                f"  {category:12} {change.code:8} {change.name}  {change.before} -> {change.after}"
            )
    for error in plan.errors:
        click.echo(f"  ERROR {error}", err=True)
