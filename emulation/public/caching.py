"""Conditional GET for public pages and the API: ETag, Last-Modified and 304.

The validators come from the snapshot(s) a response shows (plus locale, query and the
signed-in user for pages), so a response changes only when a new snapshot is written.
Views build a `Validators` first (a few cheap queries), and render only on a cache miss:

    validators = Validators.of("leaderboard", snapshot.id, last_modified=snapshot.computed_at)
    return conditional(validators, lambda: render_template(...))
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Response, make_response, request
from flask_login import current_user

from emulation.i18n import current_locale

# Bump when templates or payloads change shape, so browsers do not keep an old rendering.
RENDER_VERSION = "1"
PUBLIC_MAX_AGE = 60


@dataclass(frozen=True)
class Validators:
    parts: tuple = ()
    last_modified: datetime | None = None
    # Pages vary by locale, query string and viewer; the API only by its query.
    per_viewer: bool = True

    @classmethod
    def of(cls, *parts, last_modified: datetime | None = None, per_viewer: bool = True):
        return cls(tuple(parts), last_modified, per_viewer)

    def etag(self) -> str:
        items = [RENDER_VERSION, request.path, _sorted_query(), *map(str, self.parts)]
        if self.per_viewer:
            items += [current_locale(), f"user:{_viewer_id() or '-'}"]
        return hashlib.sha256("\x1f".join(items).encode()).hexdigest()[:32]


def _sorted_query() -> str:
    return "&".join(f"{k}={v}" for k, v in sorted(request.args.items(multi=True)))


def _viewer_id() -> int | None:
    return current_user.get_id() if current_user.is_authenticated else None


def _as_utc(value: datetime) -> datetime:
    # Stored timestamps are naive UTC; HTTP dates have whole seconds.
    return value.replace(tzinfo=UTC, microsecond=0)


def is_fresh(etag: str, last_modified: datetime | None) -> bool:
    """True when the client's copy is current (If-None-Match wins over If-Modified-Since)."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    if since is not None and last_modified is not None:
        return _as_utc(last_modified) <= since
    return False


def _stamp(response: Response, etag: str, last_modified: datetime | None) -> Response:
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = _as_utc(last_modified)
    if current_user.is_authenticated:
        response.headers["Cache-Control"] = "private, no-cache"
    else:
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response.vary.add("Cookie")
    return response


def conditional(validators: Validators, build: Callable[[], object]) -> Response:
    """304 if the client's copy is current, else the built response with validators."""
    etag = validators.etag()
    if is_fresh(etag, validators.last_modified):
        response = Response(status=304)
    else:
        response = make_response(build())
        if response.status_code != 200:
            return response
    return _stamp(response, etag, validators.last_modified)


def newest(*stamps: datetime | None) -> datetime | None:
    present = [s for s in stamps if s is not None]
    return max(present) if present else None
