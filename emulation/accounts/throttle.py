"""Login rate limits on a storage every worker shares: Redis when configured, else the database.

`limits` (the library under Flask-Limiter) has no SQL storage, so `DatabaseStorage` is a
small fixed-window one: one row per key, bumped with a single atomic upsert that works on
SQLite and PostgreSQL. Each app keeps its own `LoginThrottle` (app.extensions), so two apps
in one process (tests) never share process memory: only the storage they are pointed at."""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from flask import Flask, current_app
from limits import parse
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from emulation.accounts.models import RateLimitCounter

log = logging.getLogger(__name__)
DB_SCHEME = "emulationdb"


class DatabaseStorage(Storage):
    """`limits` storage in the `rate_limit_counter` table of the current app's database."""

    STORAGE_SCHEME = [DB_SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    @staticmethod
    def _engine():
        from emulation.extensions import db

        return db.engine

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        engine, now = self._engine(), time.time()
        table = RateLimitCounter.__table__
        insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
        expired = table.c.expires_at <= now
        stmt = insert(table).values(key=key, count=amount, expires_at=now + expiry)
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "count": case((expired, amount), else_=table.c.count + amount),
                "expires_at": case((expired, now + expiry), else_=table.c.expires_at),
            },
        ).returning(table.c.count)
        with engine.begin() as conn:
            return int(conn.execute(stmt).scalar_one())

    def _row(self, key: str):
        table = RateLimitCounter.__table__
        with self._engine().connect() as conn:
            return conn.execute(
                select(table.c.count, table.c.expires_at).where(table.c.key == key)
            ).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return int(row.count) if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return float(row.expires_at) if row is not None else time.time()

    def check(self) -> bool:
        try:
            self.get("healthcheck")
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self._engine().begin() as conn:
            return conn.execute(delete(RateLimitCounter.__table__)).rowcount

    def clear(self, key: str) -> None:
        table = RateLimitCounter.__table__
        with self._engine().begin() as conn:
            conn.execute(delete(table).where(table.c.key == key))


def storage_uri(config: dict) -> str:
    return config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or f"{DB_SCHEME}://"


def backoff_seconds(failures: int, *, after: int = 5, base: int = 1, cap: int = 300) -> int:
    """The wait before the next attempt on a name after `failures` failures in a row.

    Nothing below `after`; then `base` seconds, doubling with every failure, at most `cap`.
    A delay, never a lockout: whoever sends the wrong password cannot shut the owner out
    for longer than `cap`, and a correct second factor is never delayed (see the views)."""
    if failures < after:
        return 0
    return min(base * 2 ** min(failures - after, 32), cap)


class LoginThrottle:
    """Failed sign-ins: per (address, name), per address, and per name with growing delays.

    Every count is keyed by the name as typed (lower-cased), whether or not an account has
    it, so the answers never reveal which names exist."""

    def __init__(self, app: Flask) -> None:
        config = app.config
        self.enabled = bool(config["RATELIMIT_ENABLED"])
        self.storage = storage_from_string(storage_uri(config))
        self.strategy = FixedWindowRateLimiter(self.storage)
        self.pair_limit = parse(config["LOGIN_RATE_LIMIT"])
        self.ip_limit = parse(config["LOGIN_IP_RATE_LIMIT"])
        self.after = int(config["LOGIN_BACKOFF_AFTER"])
        self.base = int(config["LOGIN_BACKOFF_BASE_SECONDS"])
        self.cap = int(config["LOGIN_BACKOFF_MAX_SECONDS"])
        self.window = int(config["LOGIN_BACKOFF_WINDOW_MINUTES"]) * 60
        self.prefix = config["RATELIMIT_KEY_PREFIX"] or "emulation"

    def _limits(self, scope: str, ip: str, name: str):
        return [
            (self.pair_limit, (self.prefix, scope, "pair", ip, name.lower())),
            (self.ip_limit, (self.prefix, scope, "ip", ip)),
        ]

    def _key(self, scope: str, kind: str, name: str) -> str:
        return "/".join((self.prefix, scope, kind, name.lower()))

    def source_wait(self, scope: str, ip: str, name: str) -> int:
        """Seconds until this address may try again, for this name or for all (0: now)."""
        if not self.enabled:
            return 0
        waits = [
            math.ceil(self.strategy.get_window_stats(limit, *key).reset_time - time.time())
            for limit, key in self._limits(scope, ip, name)
            if not self.strategy.test(limit, *key)
        ]
        return max([1, *waits]) if waits else 0

    def wait_seconds(self, scope: str, name: str) -> int:
        """Seconds before `name` may be tried again (0: now)."""
        if not self.enabled:
            return 0
        key = self._key(scope, "delay", name)
        if self.storage.get(key) <= 0:
            return 0
        return max(1, math.ceil(self.storage.get_expiry(key) - time.time()))

    @property
    def first_delay(self) -> int:
        return backoff_seconds(self.after, after=self.after, base=self.base, cap=self.cap)

    def failed(self, scope: str, ip: str, name: str, *, count_name: bool = True) -> int:
        """Count a failure; returns the delay it starts on the name (0: none)."""
        if not self.enabled:
            return 0
        for limit, key in self._limits(scope, ip, name):
            self.strategy.hit(limit, *key)
        if not count_name:
            return 0
        failures = self.storage.incr(self._key(scope, "failures", name), self.window)
        delay = backoff_seconds(failures, after=self.after, base=self.base, cap=self.cap)
        if delay:
            delay_key = self._key(scope, "delay", name)
            self.storage.clear(delay_key)
            self.storage.incr(delay_key, delay)
        return delay

    def succeeded(self, scope: str, name: str) -> None:
        """The owner got in: forget the name's failures and delay."""
        if self.enabled:
            for kind in ("failures", "delay"):
                self.storage.clear(self._key(scope, kind, name))


def throttle() -> LoginThrottle:
    return current_app.extensions["login_throttle"]


def init_app(app: Flask) -> None:
    """Bind Flask-Limiter to the shared storage and give the app its login throttle."""
    from emulation.extensions import limiter

    app.config.setdefault("RATELIMIT_STORAGE_URI", "")
    if not app.config["RATELIMIT_STORAGE_URI"]:
        app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config)
    limiter.init_app(app)
    app.extensions["login_throttle"] = LoginThrottle(app)
