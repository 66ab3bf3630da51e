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
@click.option("--anchor", default="", help="COUNT:HASH of a head from the application log.")
@with_appcontext
def audit_verify(anchor: str) -> None:
    """Check every hash and link of the audit log and its head; exit 1 on any problem."""
    from emulation.audit.services import anchor_matches, check_and_remember, verify_chain

    report = verify_chain(db.session)
    check_and_remember(db.session)
    db.session.commit()
    anchored = anchor_matches(db.session, anchor) if anchor else True
    for line, bad in _verify_lines(report, anchor, anchored):
        click.echo(line)
        if bad:
            raise SystemExit(1)


def _verify_lines(report, anchor: str, anchored: bool):
    head = f"head {report.head_count} events, hash {report.head_hash[:16]}"
    if report.problem == "edited":
        yield f"audit log BROKEN at event id {report.broken_at}: its content was edited", True
    elif report.problem == "link":
        yield (
            f"audit log BROKEN at event id {report.broken_at}: the link to the previous event"
            " is broken (an event was deleted or inserted before it)",
            True,
        )
    elif report.problem == "truncated":
        yield (
            f"audit log TRUNCATED: {report.checked} events found (last id {report.last_id}),"
            f" but the {head}: the newest events were deleted",
            True,
        )
    elif report.problem == "extended":
        yield f"audit log BROKEN: {report.checked} events do not end at the {head}", True
    elif report.problem == "no_head":
        yield f"audit log BROKEN: {report.checked} events but no head record", True
    if not anchored:
        yield f"audit log BROKEN: the anchor {anchor} is not in the chain", True
    yield f"audit log OK: {report.checked} events verified ({head})", False


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
