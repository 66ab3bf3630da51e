"""Error pages and the mapping of domain errors to HTTP answers."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l

from emulation.errors import DomainError

TITLES = {
    400: _l("Bad request"),
    403: _l("Not allowed"),
    404: _l("Page not found"),
    409: _l("Conflict"),
    413: _l("File too large"),
    422: _l("Invalid input"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _render(status: int, message: str = ""):
    title = str(TITLES.get(status, _l("Error")))
    if _wants_json():
        return jsonify(error=title, message=message, status=status), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(err: DomainError):
        from emulation.extensions import db

        db.session.rollback()
        return _render(err.status, err.message)

    for status in (400, 403, 404, 405, 409, 413, 422, 429, 500):

        @app.errorhandler(status)
        def _http(err, status=status):
            if request.endpoint == "public.unit" and status == 404 and not _wants_json():
                return no_such_unit(request.view_args.get("code", "")), 404
            return _render(status, http_message(err, status))


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
