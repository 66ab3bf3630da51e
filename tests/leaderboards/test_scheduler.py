"""The scheduler: triggers, exactly-once ticks across schedulers, the window job, failures."""

import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from emulation import scheduler as sched
from emulation.leaderboards.locks import tick_of
from emulation.leaderboards.models import JobRun, Snapshot

NOW = datetime(2026, 11, 26, 10, 7, 30)


class SlowCounter:
    """A job body that counts its runs and lasts long enough for the others to collide."""

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, session, now) -> str:
        with self.lock:
            self.calls += 1
        time.sleep(0.3)
        return "counted"


@pytest.fixture
def other_app(make_app):
    """Apps with their own engines (like other processes); their pools closed afterwards."""
    from emulation.extensions import db

    made = []

    def _make(**overrides):
        made.append(make_app(**overrides))
        return made[-1]

    yield _make
    for each in made:
        with each.app_context():
            db.engine.dispose()


def runs(session, job=sched.RECOMPUTE):
    session.expire_all()
    return list(session.scalars(select(JobRun).where(JobRun.job == job)))


def run_concurrently(apps, job=sched.RECOMPUTE, now=NOW):
    results = []
    threads = [
        threading.Thread(target=lambda a=a: results.append(sched.run_job(a, job, 300, now=now)))
        for a in apps
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(results)


def test_ticks_are_named_on_a_fixed_grid():
    every = timedelta(minutes=5)
    assert tick_of(datetime(2026, 11, 26, 10, 5, 0), every) == "2026-11-26T10:05"
    assert tick_of(datetime(2026, 11, 26, 10, 9, 59), every) == "2026-11-26T10:05"
    assert tick_of(datetime(2026, 11, 26, 10, 10, 0), every) == "2026-11-26T10:10"


def test_interval_by_default_and_cron_when_configured(other_app):
    scheduler = sched.build_scheduler(other_app(RECOMPUTE_INTERVAL_MINUTES=7))
    assert isinstance(scheduler, BlockingScheduler)
    recompute = scheduler.get_job(sched.RECOMPUTE)
    assert recompute.trigger.interval == timedelta(minutes=7)
    assert recompute.args[1:] == (sched.RECOMPUTE, 420)
    assert scheduler.get_job(sched.WINDOWS).trigger.interval == timedelta(minutes=1)

    cron = sched.build_scheduler(other_app(RECOMPUTE_CRON="*/10 6-22 * * *"), background=True)
    assert isinstance(cron, BackgroundScheduler)
    assert isinstance(cron.get_job(sched.RECOMPUTE).trigger, CronTrigger)
    assert cron.get_job(sched.RECOMPUTE).args[2] == 60


def test_concurrent_schedulers_run_a_tick_exactly_once(app, other_app, db_session, monkeypatch):
    counter = SlowCounter()
    monkeypatch.setitem(sched.JOBS, sched.RECOMPUTE, counter)
    apps = [other_app() for _ in range(4)]  # separate engines, like separate processes
    assert run_concurrently(apps) == ["done", "skipped", "skipped", "skipped"]
    assert counter.calls == 1
    [run] = runs(db_session)
    assert (run.tick, run.status, run.detail) == ("2026-11-26T10:05", "done", "counted")
    # The next tick runs again, once.
    assert run_concurrently(apps, now=NOW + timedelta(minutes=5)).count("done") == 1
    assert counter.calls == 2


def test_concurrent_real_recomputes_write_one_snapshot(app, other_app, make, db_session):
    w = make.scoring_world().default_tree()
    w.score(w.unit(), {"1.1": 500})
    assert run_concurrently([other_app() for _ in range(3)]) == ["done", "skipped", "skipped"]
    assert len(list(db_session.scalars(select(Snapshot)))) == 1


def test_started_schedulers_fire_once_per_tick(app, other_app, db_session, monkeypatch):
    counter = SlowCounter()
    monkeypatch.setitem(sched.JOBS, sched.RECOMPUTE, counter)
    monkeypatch.setattr(sched, "_now", lambda: NOW)
    finished = threading.Semaphore(0)
    schedulers = [sched.build_scheduler(other_app(), background=True) for _ in range(3)]
    for scheduler in schedulers:
        scheduler.add_listener(lambda _e: finished.release(), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        scheduler.start(paused=True)
        scheduler.remove_job(sched.WINDOWS)
        scheduler.modify_job(sched.RECOMPUTE, next_run_time=datetime.now().astimezone())
    try:
        for scheduler in schedulers:
            scheduler.resume()
        assert all(finished.acquire(timeout=30) for _ in schedulers)
    finally:
        for scheduler in schedulers:
            scheduler.shutdown(wait=True)
    assert counter.calls == 1
    assert [r.status for r in runs(db_session)] == ["done"]


SCRIPT = """
import sys, time
from datetime import datetime
from emulation import create_app
from emulation import scheduler as sched
from config import TestingConfig

def slow(session, now):
    time.sleep(0.5)
    return "slow"

sched.JOBS[sched.RECOMPUTE] = slow
config = {k: getattr(TestingConfig, k) for k in dir(TestingConfig) if k.isupper()}
config["SQLALCHEMY_DATABASE_URI"] = sys.argv[1]
app = create_app(config)
print(sched.run_job(app, sched.RECOMPUTE, 300, now=datetime(2026, 11, 26, 10, 7)))
"""


@pytest.mark.slow
def test_scheduler_processes_run_a_tick_exactly_once(app, database_url, db_session):
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, database_url], stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outputs = sorted(p.communicate(timeout=60)[0].strip() for p in procs)
    assert outputs == ["done", "skipped", "skipped"]
    assert [(r.status, r.detail) for r in runs(db_session)] == [("done", "slow")]


def test_a_failed_run_is_recorded_rolled_back_and_not_retried(app, make, db_session, monkeypatch):
    w = make.scoring_world().default_tree()
    w.score(w.unit(), {"1.1": 500})

    def crash(session, now):
        sched.recompute_job(session, now)  # writes a snapshot, then fails before commit
        raise RuntimeError("boom")

    monkeypatch.setitem(sched.JOBS, sched.RECOMPUTE, crash)
    assert sched.run_job(app, sched.RECOMPUTE, 300, now=NOW) == "failed"
    assert list(db_session.scalars(select(Snapshot))) == []
    [run] = runs(db_session)
    assert run.status == "failed" and "boom" in run.detail
    assert sched.run_job(app, sched.RECOMPUTE, 300, now=NOW) == "skipped"


def test_window_job_calls_apply_period_windows(app, db_session, monkeypatch):
    import emulation.campaigns.services as services

    calls = []

    def apply(session, now):
        calls.append(now)
        return []

    monkeypatch.setattr(services, "apply_period_windows", apply)
    assert sched.run_job(app, sched.WINDOWS, 60, now=NOW) == "done"
    assert calls == [NOW]
    [run] = runs(db_session, sched.WINDOWS)
    assert run.tick == "2026-11-26T10:07" and run.status == "done"
