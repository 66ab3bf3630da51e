"""Administrators: self-assessment progress of the units in scope, per-unit deadline extension."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from emulation import access, web
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.assessments import services, windows
from emulation.assessments.forms import ExtendForm, PeriodFilterForm
from emulation.assessments.models import DeadlineExtension, SelfAssessment
from emulation.assessments.views import bp
from emulation.campaigns.models import Period, PeriodStatus
from emulation.db import utcnow
from emulation.errors import NotFound
from emulation.extensions import db
from emulation.forms import choices
from emulation.org.models import COMPETING_KINDS, Unit
from emulation.text import fold

ROWS = 50
OPEN = (PeriodStatus.SELF_ASSESSMENT, PeriodStatus.SCORING)


def _periods() -> list[Period]:
    return list(
        db.session.scalars(
            select(Period).where(Period.status.in_(OPEN)).order_by(Period.starts_on.desc())
        )
    )


def _units(query: str) -> list[Unit]:
    statement = select(Unit).where(
        Unit.active.is_(True),
        Unit.kind.in_(COMPETING_KINDS),
        authz.scope_filter(current_user, [Role.ADMIN]),
    )
    if query:
        like = f"%{fold(query)}%"
        statement = statement.where(or_(Unit.name_folded.like(like), Unit.code == query.strip()))
    return list(db.session.scalars(statement.order_by(Unit.path).limit(ROWS)))


@bp.get("/admin/self-assessments/")
@access.roles(Role.ADMIN)
def admin_index():
    form = PeriodFilterForm(request.args)
    periods = _periods()
    form.period.choices = choices((p.id, f"{p.code} · {p.name_vi}") for p in periods)
    period = next((p for p in periods if p.id == form.period.data), periods[0] if periods else None)
    rows, count = [], 0
    if period is not None:
        count = sum(1 for c in period.criteria if not c.is_group)
        units = _units(form.q.data or "")
        ids = [u.id for u in units]
        found = db.session.scalars(
            select(SelfAssessment).where(
                SelfAssessment.period_id == period.id, SelfAssessment.unit_id.in_(ids)
            )
        )
        by_unit = {a.unit_id: a for a in found}
        extensions = {
            e.unit_id: e
            for e in db.session.scalars(
                select(DeadlineExtension).where(
                    DeadlineExtension.period_id == period.id, DeadlineExtension.unit_id.in_(ids)
                )
            )
        }
        rows = [(u, by_unit.get(u.id), extensions.get(u.id)) for u in units]
    return render_template(
        "assessments/admin_index.html",
        form=form,
        period=period,
        rows=rows,
        limit=ROWS,
        count=count,
    )


@bp.route(
    "/admin/self-assessments/<int:period_id>/units/<int:unit_id>/extend", methods=["GET", "POST"]
)
@access.roles(Role.ADMIN)
def extend(period_id: int, unit_id: int):
    unit = db.session.get(Unit, unit_id)
    period = db.session.get(Period, period_id)
    if unit is None or period is None:
        raise NotFound()
    authz.require(current_user, "administer", unit)
    window = windows.window_for(db.session, period, unit, utcnow())

    def render(form):
        return render_template(
            "assessments/extend.html", form=form, period=period, unit=unit, window=window
        )

    return web.form_action(
        ExtendForm(),
        lambda form: services.extend_deadline(
            db.session,
            period=period,
            unit=unit,
            until=form.until.data,
            reason=form.reason.data,
            actor=web.actor(),
            ip=web.client_ip(),
        ),
        success=_("Deadline extended for %(unit)s.", unit=unit.name),
        to=url_for("assessments.admin_index", period=period.id, q=unit.code),
        render=render,
    )
