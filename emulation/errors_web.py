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
            return _render(status, getattr(err, "description", "") if status != 500 else "")
