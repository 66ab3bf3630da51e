"""Exactly-once ticks across processes, inside the caller's transaction.

PostgreSQL: `pg_try_advisory_xact_lock(job key)` serialises runs of a job (released at
commit or rollback), then the `job_run(job, tick)` row, checked under that lock, says
whether the tick already ran. SQLite: the INSERT of the `job_run(job, tick)` row is the
first statement of the transaction, so it takes SQLite's single write lock; a concurrent
process waits for the first one's commit and then hits the unique key."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import exists, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from emulation.db import utcnow
from emulation.leaderboards.models import JobRun

EPOCH = datetime(2021, 6, 1)  # every interval tick is counted from here (naive UTC)


def tick_of(moment: datetime, every: timedelta) -> str:
    """The moment truncated to the interval grid, as the tick name ('2026-11-26T10:05')."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    steps = (moment - EPOCH) // every
    return (EPOCH + steps * every).strftime("%Y-%m-%dT%H:%M")


def job_key(job: str) -> int:
    """A stable signed 64-bit advisory-lock key for a job name."""
    return int.from_bytes(hashlib.sha256(job.encode()).digest()[:8], "big", signed=True)


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def claim_tick(session: Session, job: str, tick: str) -> bool:
    """Start the caller's transaction by claiming (job, tick); False if taken or running."""
    if _postgres(session):
        if not session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": job_key(job)}
        ):
            return False
        if session.scalar(select(exists().where(JobRun.job == job, JobRun.tick == tick))):
            return False
    try:
        session.execute(insert(JobRun).values(job=job, tick=tick, status="running"))
    except (IntegrityError, OperationalError):
        # Unique key: another process ran this tick. OperationalError: SQLite still
        # locked after the busy timeout, i.e. another process is running it now.
        session.rollback()
        return False
    return True


def hold_job_lock(session: Session, job: str) -> None:
    """Serialise a manual run with the scheduled ones (waits for a running one)."""
    if _postgres(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": job_key(job)})
    tick = "manual-" + utcnow().isoformat(timespec="microseconds")
    session.execute(insert(JobRun).values(job=job, tick=tick, status="running"))


def finish_tick(session: Session, job: str, tick: str, status: str, detail: str = "") -> None:
    """Mark the claimed tick finished (in the caller's transaction)."""
    session.execute(
        update(JobRun)
        .where(JobRun.job == job, JobRun.tick == tick)
        .values(status=status, detail=detail[:500], finished_at=utcnow())
    )


def record_failure(session: Session, job: str, tick: str, detail: str) -> None:
    """After a rollback: keep the failed tick in the ledger so no process runs it again."""
    try:
        session.execute(
            insert(JobRun).values(
                job=job, tick=tick, status="failed", detail=detail[:500], finished_at=utcnow()
            )
        )
        session.commit()
    except (IntegrityError, OperationalError):
        session.rollback()
