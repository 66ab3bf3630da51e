"""`flask leaderboards recompute` and `flask scheduler run`."""

from __future__ import annotations

import contextlib

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from emulation.campaigns.models import Campaign, Period
from emulation.extensions import db

leaderboards_cli = AppGroup("leaderboards", help="Leaderboard snapshots.")
scheduler_cli = AppGroup("scheduler", help="The job scheduler (run exactly one in production).")


@leaderboards_cli.command("recompute")
@click.option("--period", "code", help="Only this period (its code); default: every due period.")
@click.option("--campaign", "slug", help="The campaign's slug, when period codes repeat.")
@click.option("--official", is_flag=True, help="Write the official (final) snapshot.")
@with_appcontext
def recompute(code: str | None, slug: str | None, official: bool) -> None:
    """Recompute now, under the same lock as the scheduled job."""
    from emulation.leaderboards.locks import hold_job_lock
    from emulation.leaderboards.recompute import recompute_due, recompute_period
    from emulation.scheduler import RECOMPUTE

    session = db.session
    if code is None and official:
        raise click.UsageError("--official needs --period.")
    periods = []
    if code is not None:
        query = select(Period).join(Campaign).where(Period.code == code)
        if slug:
            query = query.where(Campaign.slug == slug)
        periods = list(session.scalars(query))
        if len(periods) != 1:
            found = "no period" if not periods else "several periods (give --campaign)"
            raise click.ClickException(f"{found} with code {code!r}.")
    hold_job_lock(session, RECOMPUTE)
    if periods:
        snapshot = recompute_period(session, periods[0], official=official)
        written = [snapshot] if snapshot is not None else []
    else:
        written = recompute_due(session)
    session.commit()
    if not written:
        click.echo("Nothing to write: inputs unchanged (or the official snapshot is final).")
    for snapshot in written:
        kind = "official" if snapshot.official else "provisional"
        click.echo(
            f"Period {snapshot.period.code}: {kind} snapshot {snapshot.id}, "
            f"{snapshot.unit_count} units ranked."
        )


@scheduler_cli.command("run")
@with_appcontext
def scheduler_run() -> None:
    """Run the scheduler in the foreground (one process per deployment)."""
    import logging

    from emulation.scheduler import build_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = current_app._get_current_object()
    scheduler = build_scheduler(app, background=False)
    for job in scheduler.get_jobs():
        click.echo(f"job {job.id}: {job.trigger}")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()
