"""Error pages and the mapping of domain errors to HTTP answers."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from emulation.errors import DomainError

log = logging.getLogger(__name__)

TITLES = {
    400: _l("Bad request"),
    403: _l("Not allowed"),
    404: _l("Page not found"),
    409: _l("Conflict"),
    413: _l("File too large"),
    422: _l("Invalid input"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
    503: _l("Temporarily unavailable"),
}
RETRY_AFTER_SECONDS = 5


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _render(status: int, message: str = ""):
    title = str(TITLES.get(status, _l("Error")))
    if _wants_json():
        return jsonify(error=title, message=message, status=status), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _rollback() -> None:
    from emulation.extensions import db

    try:
        db.session.rollback()
    except Exception:  # the connection may be gone already; the pool replaces it
        log.warning("rollback after a database error failed", exc_info=True)


def _stale(err: StaleDataError):
    """A row changed under a flush anywhere (not only in web.commit()): the same 409."""
    _rollback()
    return _render(
        409, _("Someone else changed this in the meantime. Reload the page to see their change.")
    )


def _transient(err: Exception) -> bool:
    """A fault of the database or the connection to it, not of our SQL."""
    if isinstance(err, DisconnectionError) or getattr(err, "connection_invalidated", False):
        return True
    orig = getattr(err, "orig", None)
    if type(orig).__module__.startswith("sqlite3"):
        # sqlite3 raises OperationalError for bad SQL too; only a busy database is transient.
        return any(word in str(orig) for word in ("locked", "busy"))
    return True  # PostgreSQL: connection lost, server shutting down, lock or statement timeout


def _unavailable(err: Exception):
    """The database went away mid-request (restart, failover, killed connection): 503.

    The pool checks connections before use (pool_pre_ping), so the next request reconnects."""
    if not _transient(err):
        raise err
    log.error("database unavailable: %s", err.__class__.__name__, exc_info=err)
    _rollback()
    from emulation.extensions import login_manager

    # Render as anonymous: the page must not need the database that just failed.
    g._login_user = login_manager.anonymous_user()
    try:
        body, status = _render(
            503, _("The database cannot be reached right now. Please try again in a moment.")
        )
    except Exception:  # never let the error page itself become a 500
        log.exception("the 503 page could not be rendered")
        body, status = "Service temporarily unavailable", 503
    return body, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(err: DomainError):
        from emulation.extensions import db

        db.session.rollback()
        return _render(err.status, err.message)

    app.register_error_handler(StaleDataError, _stale)
    for error in (OperationalError, InterfaceError, DisconnectionError):
        app.register_error_handler(error, _unavailable)

    for status in (400, 403, 404, 405, 409, 413, 422, 429, 500):

        @app.errorhandler(status)
        def _http(err, status=status):
            if request.endpoint == "public.unit" and status == 404 and not _wants_json():
                return no_such_unit(request.view_args.get("code", "")), 404
            if request.endpoint == "assessments.upload_evidence" and status == 413:
                return _upload_too_large() or _render(status, http_message(err, status))
            return _render(status, http_message(err, status))


def _upload_too_large():
    """The evidence list with the size message; None for a request not allowed to see it."""
    from werkzeug.exceptions import HTTPException

    from emulation.assessments.evidence_views import upload_too_large

    try:
        return upload_too_large()
    except (DomainError, HTTPException):  # another unit's assessment: the plain page
        return None


# Werkzeug's own descriptions are English; ours say the same in the interface language.
MESSAGES = {
    400: _l("The request could not be understood. Go back and try again."),
    403: _l("Your account is not allowed to open this page. Ask an administrator if you need it."),
    404: _l("There is no page at this address. It may have moved, or the link is mistyped."),
    405: _l("This page cannot be used that way."),
    409: _l("Someone else changed this in the meantime. Reload the page to see their change."),
    413: _l("The file is larger than the upload limit."),
    422: _l("Some of what was sent is not valid. Go back, correct it and try again."),
    429: _l("Too many attempts. Wait a minute, then try again."),
}


def http_message(err, status: int) -> str:
    """A message given with abort(…) as is; Werkzeug's default text replaced by ours."""
    if status == 500:
        return ""
    description = getattr(err, "description", "") or ""
    if description and description != getattr(type(err), "description", None):
        return description
    return str(MESSAGES.get(status, ""))


def no_such_unit(code: str):
    """An unknown unit code: say so, offer units whose name looks like it, and the search."""
    from emulation.public.unit_search import render_no_such_unit

    return render_no_such_unit(code)
