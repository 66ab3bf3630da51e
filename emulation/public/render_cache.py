"""Rendered public responses, kept as bytes: an in-process LRU in front of an optional Redis.

Keys are the ETags of `caching.cache_key` (snapshot, period, path, query, language), so a
new snapshot makes new keys and old entries fall out of the LRU. Entries also expire after
`RENDER_CACHE_SECONDS`, so what a snapshot does not version (a unit renamed between two
snapshots) shows within that time. Redis (when `REDIS_URL` is set) lets every gunicorn worker share
one rendering; it is best-effort, a Redis failure only costs a render. Redis keys carry the
database's identity (`database_identity`): snapshot ids are per database, so two databases
sharing one Redis must never serve each other's pages."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import Response, current_app
from sqlalchemy import DateTime, bindparam, text

from emulation.db import utcnow

log = logging.getLogger(__name__)
KEPT_HEADERS = ("Content-Disposition",)
REDIS_PREFIX = "emulation:render:"


@dataclass(frozen=True)
class Rendered:
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, response: Response) -> Rendered:
        kept = tuple((k, v) for k, v in response.headers.items() if k in KEPT_HEADERS)
        return cls(response.get_data(), response.content_type, kept)

    def response(self) -> Response:
        return Response(self.body, content_type=self.content_type, headers=list(self.headers))

    def dumps(self) -> bytes:
        meta = json.dumps({"content_type": self.content_type, "headers": self.headers})
        return meta.encode() + b"\n" + self.body

    @classmethod
    def loads(cls, raw: bytes) -> Rendered:
        meta, _, body = raw.partition(b"\n")
        data = json.loads(meta)
        return cls(body, data["content_type"], tuple(tuple(h) for h in data["headers"]))


class RenderCache:
    """LRU of at most `size` entries (and `max_bytes` in all), then Redis if configured."""

    def __init__(
        self, size: int, max_bytes: int, redis_url: str = "", ttl: int = 300, namespace: str = ""
    ):
        self.size, self.max_bytes, self.ttl = size, max_bytes, ttl
        self.prefix = f"{REDIS_PREFIX}{namespace}:" if namespace else REDIS_PREFIX
        self.entries: OrderedDict[str, tuple[float, Rendered]] = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()
        self.redis = _redis(redis_url) if redis_url else None

    def get(self, key: str) -> Rendered | None:
        with self.lock:
            kept = self.entries.get(key)
            if kept is not None and time.monotonic() - kept[0] < self.ttl:
                self.entries.move_to_end(key)
                return kept[1]
        found = self._redis_get(key)
        if found is not None:
            self._keep(key, found)
        return found

    def put(self, key: str, value: Rendered) -> None:
        self._keep(key, value)
        if self.redis is not None:
            try:
                self.redis.set(self.prefix + key, value.dumps(), ex=self.ttl)
            except Exception as error:  # best-effort: the page is already rendered
                log.warning("render cache: Redis write failed: %s", error)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.bytes = 0

    def _keep(self, key: str, value: Rendered) -> None:
        if len(value.body) > self.max_bytes // 4:
            return  # one huge export must not flush everything else
        with self.lock:
            old = self.entries.pop(key, None)
            self.bytes -= len(old[1].body) if old else 0
            self.entries[key] = (time.monotonic(), value)
            self.bytes += len(value.body)
            while self.entries and (len(self.entries) > self.size or self.bytes > self.max_bytes):
                _key, (_at, dropped) = self.entries.popitem(last=False)
                self.bytes -= len(dropped.body)

    def _redis_get(self, key: str) -> Rendered | None:
        if self.redis is None:
            return None
        try:
            raw = self.redis.get(self.prefix + key)
        except Exception as error:
            log.warning("render cache: Redis read failed: %s", error)
            return None
        return Rendered.loads(raw) if raw else None


def _redis(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=0.2, socket_connect_timeout=0.2)


def database_identity() -> str:
    """A short name of this app's database: its URL (without the password) and the random
    token stored in it on first use (`Installation`), hashed."""
    from emulation.extensions import db

    engine = db.engine
    token = ""
    try:
        with engine.begin() as conn:
            insert = text(
                "INSERT INTO installation (id, token, created_at) VALUES (1, :token, :now) "
                "ON CONFLICT (id) DO NOTHING"
            ).bindparams(bindparam("now", type_=DateTime()))
            conn.execute(insert, {"token": secrets.token_hex(16), "now": utcnow()})
            token = conn.scalar(text("SELECT token FROM installation WHERE id = 1")) or ""
    except Exception as error:  # a database not migrated yet: the URL alone
        log.warning("render cache: no installation token (%s)", error)
    url = engine.url.render_as_string(hide_password=True)
    return hashlib.sha256(f"{url}\x1f{token}".encode()).hexdigest()[:16]


def render_cache() -> RenderCache:
    """This app's render cache (built on first use)."""
    extensions = current_app.extensions
    cache = extensions.get("render_cache")
    if cache is None:
        config = current_app.config
        redis_url = config.get("RENDER_CACHE_REDIS_URL", "")
        cache = RenderCache(
            size=config.get("RENDER_CACHE_ENTRIES", 512),
            max_bytes=config.get("RENDER_CACHE_MB", 64) * 1024 * 1024,
            redis_url=redis_url,
            ttl=config.get("RENDER_CACHE_SECONDS", 300),
            namespace=database_identity() if redis_url else "",
        )
        extensions["render_cache"] = cache
    return cache
