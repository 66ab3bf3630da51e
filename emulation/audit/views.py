"""The audit log page for administrators: filter, each event's before/after, CSV export,
and the chain's verification status. Province admins see the events of their units only."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from emulation import access, web
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.audit import services
from emulation.audit.forms import AuditFilterForm
from emulation.audit.models import AuditEvent
from emulation.campaigns.models import Period
from emulation.db import utcnow
from emulation.errors import NotAllowed
from emulation.extensions import db
from emulation.forms import choices, to_utc
from emulation.org.models import Unit
from emulation.scheduler import audit_verify_hours
from emulation.spreadsheets import csv_row

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
PER_PAGE = 50
EXPORT_LIMIT = 100_000


def _scope():
    """None for a national admin (the whole log); else the admin's subtrees."""
    user = web.actor()
    if authz.is_national(user, [Role.ADMIN]):
        return None
    return authz.scope_filter(user, [Role.ADMIN], AuditEvent.scope_path)


def _form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    periods = db.session.scalars(select(Period).order_by(Period.starts_on.desc())).all()
    form.period.choices = choices([("", _("All periods"))] + [(str(p.id), p.code) for p in periods])
    return form


def _wanted(form: AuditFilterForm) -> services.EventFilter | None:
    """The filter, or None (with the form's errors) when the input is not usable."""
    if not form.validate():
        return None
    unit_path = None
    if code := (form.unit.data or "").strip():
        unit = db.session.scalar(select(Unit).where(Unit.code == code))
        if unit is None or not authz.can(web.actor(), "administer", unit):
            form.unit.errors.append(_("No unit with code %(code)s in your scope.", code=code))
            return None
        unit_path = unit.path
    since, until = form.since.data, form.until.data
    return services.EventFilter(
        unit_path=unit_path,
        actor=(form.user.data or "").strip() or None,
        period_id=int(form.period.data) if form.period.data else None,
        action=(form.action.data or "").strip() or None,
        since=to_utc(datetime.combine(since, time.min)) if since else None,
        until=to_utc(datetime.combine(until + timedelta(days=1), time.min)) if until else None,
    )


def _stale_hours(check) -> int:
    """Hours beyond which the last verification is overdue (two scheduler intervals), when it
    is; else 0. Without any check yet, the page already says so."""
    limit = 2 * audit_verify_hours(current_app)
    if check is None or utcnow() - check.at <= timedelta(hours=limit):
        return 0
    return limit


@bp.get("/")
@access.roles(Role.ADMIN)
def index():
    check = services.latest_check(db.session)
    form = _form()
    wanted = _wanted(form)
    page = None
    if wanted is not None:
        number = request.args.get("page", "1")
        page = services.search_events(
            db.session,
            scope=_scope(),
            wanted=wanted,
            page=int(number) if number.isdigit() else 1,
            per_page=PER_PAGE,
        )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "audit/index.html",
        form=form,
        page=page,
        args=args,
        check=check,
        stale=_stale_hours(check),
        actions=services.known_actions(db.session),
        national=_scope() is None,
        changed_fields=services.changed_fields,
    ), (200 if wanted is not None else 422)


@bp.get("/export.csv")
@access.roles(Role.ADMIN)
def export():
    form = _form()
    wanted = _wanted(form)
    if wanted is None:
        web.flash_form_errors(form)
        return redirect(url_for("audit.index", **request.args))
    events = services.iter_events(db.session, scope=_scope(), wanted=wanted, limit=EXPORT_LIMIT)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = ["id", "at_utc", "actor", "action", "object_type", "object_id", "scope_path"]
    writer.writerow([*header, "ip", "before", "after", "hash"])
    for event in events:
        # Every cell is neutralised: names and JSON come from users (formula injection).
        writer.writerow(csv_row(_csv_cells(event)))
    return Response(
        buffer.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )


def _csv_cells(event: AuditEvent) -> list:
    return [
        event.id,
        event.at.isoformat(timespec="seconds"),
        event.actor_name,
        event.action,
        event.object_type,
        event.object_id,
        event.scope_path,
        event.ip,
        services.json_text(event.before),
        services.json_text(event.after),
        event.hash,
    ]


@bp.post("/verify")
@access.roles(Role.ADMIN)
def verify():
    if _scope() is not None:
        raise NotAllowed(_("Only national administrators can verify the whole log."))
    check = services.check_and_remember(db.session)
    db.session.commit()
    if check.ok:
        flash(_("The audit log verifies: %(n)d events.", n=check.checked), "success")
    else:
        flash(_("The audit log does not verify."), "danger")
    return redirect(url_for("audit.index"))
