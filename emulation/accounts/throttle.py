"""Login rate limits on a storage every worker shares: Redis when configured, else the database.

`limits` (the library under Flask-Limiter) has no SQL storage, so `DatabaseStorage` is a
small fixed-window one: one row per key, bumped with a single atomic upsert that works on
SQLite and PostgreSQL. Each app keeps its own `LoginThrottle` (app.extensions), so two apps
in one process (tests) never share process memory: only the storage they are pointed at."""

from __future__ import annotations

import logging
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


class LoginThrottle:
    """Failed sign-in attempts per account and per IP address, in fixed windows."""

    def __init__(self, app: Flask) -> None:
        self.enabled = bool(app.config["RATELIMIT_ENABLED"])
        self.storage = storage_from_string(storage_uri(app.config))
        self.strategy = FixedWindowRateLimiter(self.storage)
        self.limit = parse(app.config["LOGIN_RATE_LIMIT"])
        self.prefix = app.config["RATELIMIT_KEY_PREFIX"] or "emulation"

    def _keys(self, scope: str, ip: str, username: str) -> list[tuple[str, ...]]:
        return [(self.prefix, scope, "ip", ip), (self.prefix, scope, "user", username.lower())]

    def blocked(self, scope: str, ip: str, username: str) -> bool:
        """True once either key has used up its failures for this window."""
        if not self.enabled:
            return False
        return not all(self.strategy.test(self.limit, *k) for k in self._keys(scope, ip, username))

    def failed(self, scope: str, ip: str, username: str) -> None:
        if self.enabled:
            for key in self._keys(scope, ip, username):
                self.strategy.hit(self.limit, *key)


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
