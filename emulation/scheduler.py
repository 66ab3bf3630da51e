"""APScheduler 3 jobs: recompute leaderboards, move periods along their time windows, verify
the audit chain.

Production runs exactly one `flask scheduler run` process (BlockingScheduler); the demo
server runs a BackgroundScheduler in its single process. Never start one inside gunicorn
workers (docs/DEPLOYMENT.md). Even so, every run claims its tick in the database first
(`leaderboards/locks.py`), so N schedulers still give exactly one run per tick.

Interval jobs fire on a grid counted from a fixed origin, so every process fires at the
same moments and names the tick the same way."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy.orm import Session

from emulation.db import utcnow
from emulation.leaderboards import locks

log = logging.getLogger(__name__)
RECOMPUTE = "leaderboards.recompute"
WINDOWS = "campaigns.windows"
AUDIT_VERIFY = "audit.verify"
ORIGIN = locks.EPOCH.replace(tzinfo=UTC)


def recompute_job(session: Session, now: datetime) -> str:
    from emulation.leaderboards.recompute import recompute_due

    written = recompute_due(session, now=now)
    return f"{len(written)} snapshot(s): " + ", ".join(str(s.id) for s in written)


def window_job(session: Session, now: datetime) -> str:
    from emulation.campaigns.services import apply_period_windows

    moved = apply_period_windows(session, now)
    return f"{len(moved)} period(s) moved: " + ", ".join(p.code for p in moved)


def audit_verify_job(session: Session, now: datetime) -> str:
    """Verify the audit chain against its anchored head; the result is kept (AuditCheck, shown
    on the audit page) and a broken chain is logged as an ERROR."""
    from emulation.audit.services import check_and_remember, describe_check

    check = check_and_remember(session)
    summary = describe_check(check)
    if not check.ok:
        log.error("audit verify FAILED: %s", summary)
    return summary


# Looked up at run time (tests substitute a body).
JOBS: dict[str, Callable[[Session, datetime], str]] = {
    RECOMPUTE: recompute_job,
    WINDOWS: window_job,
    AUDIT_VERIFY: audit_verify_job,
}


def _now() -> datetime:
    return utcnow()


def run_job(app: Flask, job: str, every_seconds: int, now: datetime | None = None) -> str:
    """Run one tick of `job` in an app context, at most once across processes.

    Returns "done", "skipped" (another process has or had the tick) or "failed"."""
    from emulation.extensions import db

    now = now or _now()
    tick = locks.tick_of(now, timedelta(seconds=every_seconds))
    with app.app_context():
        session = db.session
        try:
            if not locks.claim_tick(session, job, tick):
                session.rollback()
                log.info("%s %s: taken by another process; skipped", job, tick)
                return "skipped"
            detail = JOBS[job](session, now)
            locks.finish_tick(session, job, tick, "done", detail)
            session.commit()
        except Exception as exc:
            session.rollback()
            log.exception("%s %s failed", job, tick)
            locks.record_failure(session, job, tick, f"{type(exc).__name__}: {exc}")
            return "failed"
        finally:
            db.session.remove()
    log.info("%s %s: %s", job, tick, detail)
    return "done"


def recompute_trigger(app: Flask) -> tuple[IntervalTrigger | CronTrigger, int]:
    """The crontab of RECOMPUTE_CRON if set, else every RECOMPUTE_INTERVAL_MINUTES."""
    cron = (app.config.get("RECOMPUTE_CRON") or "").strip()
    if cron:
        zone = app.config.get("BABEL_DEFAULT_TIMEZONE", "UTC")
        return CronTrigger.from_crontab(cron, timezone=zone), 60
    minutes = int(app.config.get("RECOMPUTE_INTERVAL_MINUTES") or 5)
    return IntervalTrigger(minutes=minutes, start_date=ORIGIN, timezone=UTC), minutes * 60


def audit_verify_hours(app: Flask) -> int:
    """Hours between two verifications of the audit chain (AUDIT_VERIFY_INTERVAL_HOURS)."""
    return max(1, int(app.config.get("AUDIT_VERIFY_INTERVAL_HOURS") or 24))


def build_scheduler(app: Flask, background: bool = False):
    """A scheduler with the recompute, window and audit-verify jobs (not started)."""
    kind = BackgroundScheduler if background else BlockingScheduler
    scheduler = kind(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 120},
    )
    trigger, every = recompute_trigger(app)
    scheduler.add_job(run_job, trigger, args=[app, RECOMPUTE, every], id=RECOMPUTE)
    minutes = int(app.config.get("WINDOW_CHECK_INTERVAL_MINUTES") or 1)
    scheduler.add_job(
        run_job,
        IntervalTrigger(minutes=minutes, start_date=ORIGIN, timezone=UTC),
        args=[app, WINDOWS, minutes * 60],
        id=WINDOWS,
    )
    hours = audit_verify_hours(app)
    scheduler.add_job(
        run_job,
        IntervalTrigger(hours=hours, start_date=ORIGIN, timezone=UTC),
        args=[app, AUDIT_VERIFY, hours * 3600],
        id=AUDIT_VERIFY,
    )
    return scheduler
