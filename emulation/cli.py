"""Command-line interface: `flask demo|units|users|leaderboards|scheduler|audit|backup ...`.

Each feature adds its commands to the groups defined here (see `register_cli`)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from emulation.extensions import db

demo_cli = AppGroup("demo", help="Demo data and the one-process demo server.")
audit_cli = AppGroup("audit", help="The hash-chained audit log.")


@demo_cli.command("load")
@click.option("--legacy-2021", is_flag=True, help="Load the 63-province / 10,051-ward structure.")
@click.option("--provinces", type=int, default=0, help="Only the first N provinces (0 = all).")
@click.option("--seed", type=int, default=2021, help="Random seed for the demo scores.")
@with_appcontext
def demo_load(legacy_2021: bool, provinces: int, seed: int) -> None:
    """Load units, the campaign, criteria, demo users and scores (idempotent)."""
    from emulation.demo import load_demo

    load_demo(db.session, legacy=legacy_2021, provinces=provinces, seed=seed, echo=click.echo)


@demo_cli.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def demo_serve(host: str, port: int) -> None:
    """Serve the app with the scheduler running in this same process (demo only)."""
    from flask import current_app

    from emulation.demo import print_logins

    print_logins(click.echo)
    app = current_app._get_current_object()
    scheduler = None
    try:
        from emulation.scheduler import build_scheduler

        scheduler = build_scheduler(app, background=True)
        scheduler.start()
        click.echo(
            "Scheduler running in-process (demo only; production runs `flask scheduler run`)."
        )
    except ImportError:
        click.echo("Scheduler not available.")
    try:
        # app.run() is a no-op inside a `flask` command, so serve with Werkzeug directly.
        from werkzeug.serving import run_simple

        run_simple(host, port, app, use_reloader=False, threaded=True)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)


@audit_cli.command("verify")
@with_appcontext
def audit_verify() -> None:
    """Check every hash and link of the audit log; exit 1 at the first break."""
    from emulation.audit.services import verify_chain

    report = verify_chain(db.session)
    if report.ok:
        click.echo(f"audit log OK: {report.checked} events verified")
        return
    click.echo(f"audit log BROKEN at event id {report.broken_at} (after {report.checked} good)")
    raise SystemExit(1)


GROUPS: list[AppGroup] = [demo_cli, audit_cli]


def register_cli(app: Flask) -> None:
    for group in GROUPS:
        app.cli.add_command(group)
    # Feature packages contribute their own groups.
    for module in ("emulation.accounts.cli", "emulation.leaderboards.cli", "emulation.org.cli"):
        try:
            mod = __import__(module, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        mod.register(app)
