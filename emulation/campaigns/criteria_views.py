"""The criteria editor of a period: tree, add/edit/delete/reorder, validate, preview,
copy from another period, XLSX import and export. Routes live on `campaigns.bp`."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from emulation import access
from emulation.accounts.models import Role
from emulation.campaigns import services, xlsx
from emulation.campaigns.criteria import criteria_editable, validate_period, walk
from emulation.campaigns.forms import (
    CopyCriteriaForm,
    CriterionForm,
    ImportCriteriaForm,
    version_of,
)
from emulation.campaigns.models import Criterion, CriterionKind, Period
from emulation.campaigns.views import (
    bp,
    can_manage,
    client_ip,
    commit,
    fail,
    get_or_404,
    require_manage,
)
from emulation.errors import DomainError
from emulation.extensions import db


def _render_editor(period: Period, status: int = 200):
    return render_template(
        "campaigns/criteria.html",
        period=period,
        rows=list(walk(period)),
        report=validate_period(period),
        editable=criteria_editable(period),
        can_manage=can_manage(),
    ), status


def _groups(period: Period, exclude: Criterion | None = None) -> list[Criterion]:
    def inside(node: Criterion) -> bool:
        while node is not None:
            if node is exclude:
                return True
            node = node.parent
        return False

    return [c for c, _d in walk(period) if c.kind is CriterionKind.GROUP and not inside(c)]


def _parent_from(form: CriterionForm, period: Period) -> Criterion | None:
    if not form.parent.data:
        return None
    parent = db.session.get(Criterion, int(form.parent.data))
    return parent if parent is not None and parent.period_id == period.id else None


@bp.get("/periods/<int:period_id>/criteria")
@access.roles(Role.ADMIN)
def criteria(period_id: int):
    return _render_editor(get_or_404(Period, period_id))


@bp.route("/periods/<int:period_id>/criteria/new", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def new_criterion(period_id: int):
    period = get_or_404(Period, period_id)
    require_manage()
    form = CriterionForm(groups=_groups(period))
    status = 200
    if request.method == "GET":
        form.parent.data = request.args.get("parent", "")
        form.kind.data = request.args.get("kind", str(CriterionKind.DIRECT))
    if form.validate_on_submit():
        try:
            criterion = services.add_criterion(
                db.session,
                period=period,
                data=form.to_input(),
                parent=_parent_from(form, period),
                actor=current_user,
                ip=client_ip(),
            )
            commit()
            flash(_("Criterion %(code)s added.", code=criterion.code), "success")
            return redirect(
                url_for("campaigns.criteria", period_id=period.id, _anchor=f"c{criterion.id}")
            )
        except DomainError as err:
            status = fail(err)
    elif form.is_submitted():
        status = 422
    return render_template(
        "campaigns/criterion_form.html",
        form=form,
        period=period,
        criterion=None,
        editable=criteria_editable(period),
    ), status


@bp.route("/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def edit_criterion(criterion_id: int):
    criterion = get_or_404(Criterion, criterion_id)
    period = criterion.period
    require_manage()
    form = CriterionForm(obj=criterion, groups=_groups(period, exclude=criterion))
    status = 200
    if request.method == "GET":
        form.parent.data = str(criterion.parent_id or "")
        form.kind.data = str(criterion.kind)
        form.version.data = criterion.version
    if form.validate_on_submit():
        try:
            services.update_criterion(
                db.session,
                criterion=criterion,
                data=form.to_input(),
                parent=_parent_from(form, period),
                actor=current_user,
                expected_version=version_of(form),
                ip=client_ip(),
            )
            commit()
            flash(_("Criterion %(code)s saved.", code=criterion.code), "success")
            return redirect(
                url_for("campaigns.criteria", period_id=period.id, _anchor=f"c{criterion.id}")
            )
        except DomainError as err:
            status = fail(err)
    elif form.is_submitted():
        status = 422
    return render_template(
        "campaigns/criterion_form.html",
        form=form,
        period=period,
        criterion=criterion,
        editable=criteria_editable(period),
    ), status


@bp.post("/criteria/<int:criterion_id>/delete")
@access.roles(Role.ADMIN)
def delete_criterion(criterion_id: int):
    criterion = get_or_404(Criterion, criterion_id)
    period_id = criterion.period_id
    require_manage()
    code = criterion.code
    try:
        services.delete_criterion(
            db.session, criterion=criterion, actor=current_user, ip=client_ip()
        )
        commit()
    except DomainError as err:
        status = fail(err)
        return _render_editor(db.session.get(Period, period_id), status)
    flash(_("Criterion %(code)s deleted.", code=code), "success")
    return redirect(url_for("campaigns.criteria", period_id=period_id))


@bp.post("/criteria/<int:criterion_id>/move")
@access.roles(Role.ADMIN)
def move_criterion(criterion_id: int):
    criterion = get_or_404(Criterion, criterion_id)
    period_id = criterion.period_id
    require_manage()
    try:
        services.move_criterion(
            db.session,
            criterion=criterion,
            direction=request.form.get("direction", ""),
            actor=current_user,
            ip=client_ip(),
        )
        commit()
    except DomainError as err:
        status = fail(err)
        return _render_editor(db.session.get(Period, period_id), status)
    return redirect(url_for("campaigns.criteria", period_id=period_id, _anchor=f"c{criterion_id}"))


@bp.get("/periods/<int:period_id>/criteria/preview")
@access.roles(Role.ADMIN)
def preview(period_id: int):
    period = get_or_404(Period, period_id)
    return render_template(
        "campaigns/preview.html",
        period=period,
        rows=list(walk(period)),
        report=validate_period(period),
    )


@bp.route("/periods/<int:period_id>/criteria/copy", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def copy_criteria(period_id: int):
    period = get_or_404(Period, period_id)
    require_manage()
    form = CopyCriteriaForm()
    sources = db.session.scalars(
        select(Period).where(Period.id != period.id).order_by(Period.starts_on.desc())
    ).all()
    form.source.choices = [(str(p.id), f"{p.code} · {p.name_vi}") for p in sources]
    status = 200
    if form.validate_on_submit():
        source = db.session.get(Period, int(form.source.data))
        try:
            services.copy_criteria(
                db.session,
                source=source,
                target=period,
                actor=current_user,
                replace=bool(form.replace.data),
                ip=client_ip(),
            )
            commit()
            flash(_("Criteria copied from %(code)s.", code=source.code), "success")
            return redirect(url_for("campaigns.criteria", period_id=period.id))
        except DomainError as err:
            status = fail(err)
    elif form.is_submitted():
        status = 422
    return render_template(
        "campaigns/copy.html", form=form, period=period, editable=criteria_editable(period)
    ), status


@bp.get("/periods/<int:period_id>/criteria.xlsx")
@access.roles(Role.ADMIN)
def export_criteria(period_id: int):
    period = get_or_404(Period, period_id)
    return Response(
        xlsx.export_criteria(period),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="criteria-{period.code}.xlsx"',
        },
    )


@bp.route("/periods/<int:period_id>/criteria/import", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def import_criteria(period_id: int):
    period = get_or_404(Period, period_id)
    require_manage()
    form = ImportCriteriaForm()
    status, errors = 200, []
    if form.validate_on_submit():
        try:
            rows = xlsx.parse_criteria(form.file.data.read())
            created = services.import_criteria(
                db.session,
                period=period,
                rows=rows,
                actor=current_user,
                replace=bool(form.replace.data),
                ip=client_ip(),
            )
            commit()
            flash(_("%(count)d criteria imported.", count=len(created)), "success")
            return redirect(url_for("campaigns.criteria", period_id=period.id))
        except DomainError as err:
            db.session.rollback()
            status = err.status
            errors = list(err.details) if isinstance(err.details, list) else [err.message]
    elif form.is_submitted():
        status = 422
    return render_template(
        "campaigns/import.html",
        form=form,
        period=period,
        errors=errors,
        editable=criteria_editable(period),
    ), status
