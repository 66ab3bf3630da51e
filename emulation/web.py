"""The view toolkit: who acts and from where, commits that turn stale writes into conflicts,
and the one form-action shape (validate → one service → commit → flash → redirect).

Every feature's views use these instead of their own copies:

    @bp.post("/units/<int:unit_id>/rename")
    @access.roles(Role.ADMIN)
    def rename_unit(unit_id: int):
        unit = administered(unit_id)
        return web.form_action(
            RenameUnitForm(),
            lambda form: services.rename_unit(db.session, unit=unit, name=form.name.data,
                                              actor=web.actor(), ip=web.client_ip()),
            success=_("Unit renamed."),
            to=url_for("org.unit", unit_id=unit.id),
        )
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, g, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from emulation.errors import Conflict, DomainError, NotAllowed, NotFound
from emulation.extensions import db

T = TypeVar("T")
MAX_FLASHED_DETAILS = 50


def actor() -> Any:
    """The signed-in user as a plain object (not the request-bound proxy)."""
    return current_user._get_current_object()


def client_ip() -> str:
    """The client's address (behind a trusted proxy, as ProxyFix reports it)."""
    return request.remote_addr or ""


def commit() -> None:
    """Commit; a row changed underneath us (version mismatch) becomes a clear 409."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(
            _("Someone else changed this in the meantime. Reload the page to see their change.")
        ) from None


def fail(err: DomainError) -> int:
    """Undo the request's changes, show the error (and its details); the status to answer."""
    db.session.rollback()
    g.failure = err
    flash(err.message, "danger")
    for detail in (err.details or [])[:MAX_FLASHED_DETAILS]:
        flash(str(detail), "warning")
    return err.status


def failure() -> DomainError | None:
    """The domain error this request failed with (for a page that lists its details)."""
    return g.get("failure")


def flash_form_errors(form: FlaskForm) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "danger")


def form_action(
    form: FlaskForm,
    service: Callable[[FlaskForm], T],
    *,
    success: str | Callable[[T], str] | None,
    to: str | Callable[[T], str],
    render: Callable[[FlaskForm], str] | None = None,
    back: str | None = None,
) -> Response | tuple[str, int]:
    """The one shape of a form POST: validate, call one service, commit, flash, redirect.

    `service(form)` does the work (it may raise DomainError); `to` is where success goes
    (a URL, or a function of the service's result). On a bad form or a domain error the
    request's changes are rolled back (a refusal, NotAllowed or NotFound, goes on to the
    error page) and, with `render`, the page is rendered again with
    the user's input and 422 (or the error's status); without it (a one-button action posted
    from another page) the errors are flashed and the user is sent to `back` (default `to`).
    A GET with `render` simply renders the form."""
    if form.validate_on_submit():
        try:
            result = service(form)
            commit()
        except (NotAllowed, NotFound):
            db.session.rollback()
            raise  # the error page: a refusal is not a form error
        except DomainError as err:
            status = fail(err)
        else:
            if success:
                flash(success(result) if callable(success) else success, "success")
            return redirect(to(result) if callable(to) else to)
    elif form.is_submitted():
        status = 422
        if render is None:
            flash_form_errors(form)
    else:
        status = 200
    if render is not None:
        return render(form), status
    target = back or (to if isinstance(to, str) else request.referrer or "/")
    return redirect(target)
