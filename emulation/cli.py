"""`flask demo load|serve`: the demo data and the one-process demo server.

Every feature registers its own command group from its package's `init_app`
(`flask units`, `flask users`, `flask leaderboards`, `flask scheduler`, `flask audit`)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from emulation.extensions import db

demo_cli = AppGroup("demo", help="Demo data and the one-process demo server.")


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
    from werkzeug.serving import run_simple

    from emulation.demo import print_logins
    from emulation.scheduler import build_scheduler

    print_logins(click.echo)
    app = current_app._get_current_object()
    scheduler = build_scheduler(app, background=True)
    scheduler.start()
    click.echo("Scheduler running in-process (demo only; production runs `flask scheduler run`).")
    try:
        # app.run() is a no-op inside a `flask` command, so serve with Werkzeug directly.
        run_simple(host, port, app, use_reloader=False, threaded=True)
    finally:
        scheduler.shutdown(wait=False)


def init_app(app: Flask) -> None:
    from emulation.backup import backup_cli

    app.cli.add_command(demo_cli)
    app.cli.add_command(backup_cli)
