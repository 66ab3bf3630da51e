"""Conditional GET and render-once caching for public pages and the API.

A snapshot never changes, so a public response is a pure function of what it shows (the
snapshot, the period), the path and query (scope, page, format), and the language.
`cached(kind, parts, build)` turns that key into the ETag, answers a conditional request
with 304 without building anything, and otherwise serves the bytes rendered the first time
(see `render_cache.py`). Signed-in visitors see their name and a CSRF token on every page,
so their pages are built each time and validated per viewer (`conditional`):

    state = public_state()                      # no query within PUBLIC_STATE_TTL
    shown = state.period(code)
    return cached("leaderboard", shown.parts, lambda: render_template(...),
                  last_modified=shown.computed_at)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Response, make_response, request, session
from flask_login import current_user

from emulation.i18n import current_locale
from emulation.public.render_cache import Rendered, render_cache

# Bump when templates or payloads change shape, so browsers do not keep an old rendering.
RENDER_VERSION = "2"
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


def _stamp(
    response: Response, etag: str, last_modified: datetime | None, public: bool = False
) -> Response:
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = _as_utc(last_modified)
    # A response that sets a cookie (a language choice) is for this browser only.
    if (not public and current_user.is_authenticated) or session.modified:
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


def shareable(per_viewer: bool = True) -> bool:
    """May this request get (and fill) the shared rendering? Yes for the API, and for pages
    seen anonymously with no flashed message waiting."""
    if not per_viewer:
        return True
    return not current_user.is_authenticated and "_flashes" not in session


def cache_key(kind: str, parts: tuple) -> str:
    """The ETag, and the cache key, of a public response."""
    items = [RENDER_VERSION, kind, request.path, _sorted_query(), current_locale()]
    return hashlib.sha256("\x1f".join(items + [repr(p) for p in parts]).encode()).hexdigest()[:32]


def cached(
    kind: str,
    parts: tuple,
    build: Callable[[], object],
    last_modified: datetime | None = None,
    per_viewer: bool = True,
) -> Response:
    """304 if the client's copy is current, else the bytes rendered once for this key."""
    if not shareable(per_viewer):
        validators = Validators.of(kind, *parts, last_modified=last_modified)
        return conditional(validators, build)
    etag = cache_key(kind, parts)
    if is_fresh(etag, last_modified):
        return _stamp(Response(status=304), etag, last_modified, public=True)
    store = render_cache()
    rendered = store.get(etag)
    if rendered is None:
        response = make_response(build())
        if response.status_code != 200:
            return response
        rendered = Rendered.of(response)
        store.put(etag, rendered)
    return _stamp(rendered.response(), etag, last_modified, public=True)


def newest(*stamps: datetime | None) -> datetime | None:
    present = [s for s in stamps if s is not None]
    return max(present) if present else None
