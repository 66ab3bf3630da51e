"""The criteria editor of a period: tree, add/edit/delete/reorder, validate, preview,
copy from another period, XLSX import and export. Routes live on `campaigns.bp`."""

from __future__ import annotations

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _

from emulation import access, web
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.campaigns import criteria_sets, services, xlsx
from emulation.campaigns.criteria import criteria_editable, validate_period, walk
from emulation.campaigns.forms import CopyCriteriaForm, CriterionForm, ImportCriteriaForm
from emulation.campaigns.models import Criterion, CriterionKind, Period
from emulation.campaigns.views import bp, can_manage, managed
from emulation.extensions import db
from emulation.forms import ConfirmForm, version_of


def _to_criterion(criterion: Criterion) -> str:
    return url_for("campaigns.criteria", period_id=criterion.period_id, _anchor=f"c{criterion.id}")


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
    period = authz.get_or_404(Period, period_id)
    return render_template(
        "campaigns/criteria.html",
        period=period,
        rows=list(walk(period)),
        report=validate_period(period),
        editable=criteria_editable(period),
        can_manage=can_manage(),
    )


@bp.route("/periods/<int:period_id>/criteria/new", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def new_criterion(period_id: int):
    period = managed(Period, period_id)
    form = CriterionForm(groups=_groups(period))
    if request.method == "GET":
        form.parent.data = request.args.get("parent", "")
        form.kind.data = request.args.get("kind", str(CriterionKind.DIRECT))
    return web.form_action(
        form,
        lambda form: services.add_criterion(
            db.session,
            period=period,
            data=form.to_input(),
            parent=_parent_from(form, period),
            actor=web.actor(),
            ip=web.client_ip(),
        ),
        success=lambda criterion: _("Criterion %(code)s added.", code=criterion.code),
        to=_to_criterion,
        render=lambda form: _criterion_page(form, period, None),
    )


def _criterion_page(form: CriterionForm, period: Period, criterion: Criterion | None) -> str:
    return render_template(
        "campaigns/criterion_form.html",
        form=form,
        period=period,
        criterion=criterion,
        editable=criteria_editable(period),
    )


@bp.route("/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def edit_criterion(criterion_id: int):
    criterion = managed(Criterion, criterion_id)
    period = criterion.period
    form = CriterionForm(obj=criterion, groups=_groups(period, exclude=criterion))
    if request.method == "GET":
        form.parent.data = str(criterion.parent_id or "")
        form.kind.data = str(criterion.kind)
        form.version.data = criterion.version

    def save(form: CriterionForm) -> Criterion:
        services.update_criterion(
            db.session,
            criterion=criterion,
            data=form.to_input(),
            parent=_parent_from(form, period),
            actor=web.actor(),
            expected_version=version_of(form),
            ip=web.client_ip(),
        )
        return criterion

    return web.form_action(
        form,
        save,
        success=lambda criterion: _("Criterion %(code)s saved.", code=criterion.code),
        to=_to_criterion,
        render=lambda form: _criterion_page(form, period, criterion),
    )


@bp.post("/criteria/<int:criterion_id>/delete")
@access.roles(Role.ADMIN)
def delete_criterion(criterion_id: int):
    criterion = managed(Criterion, criterion_id)
    code = criterion.code
    return web.form_action(
        ConfirmForm(),
        lambda _form: services.delete_criterion(
            db.session, criterion=criterion, actor=web.actor(), ip=web.client_ip()
        ),
        success=_("Criterion %(code)s deleted.", code=code),
        to=url_for("campaigns.criteria", period_id=criterion.period_id),
    )


@bp.post("/criteria/<int:criterion_id>/move")
@access.roles(Role.ADMIN)
def move_criterion(criterion_id: int):
    criterion = managed(Criterion, criterion_id)
    return web.form_action(
        ConfirmForm(),
        lambda _form: services.move_criterion(
            db.session,
            criterion=criterion,
            direction=request.form.get("direction", ""),
            actor=web.actor(),
            ip=web.client_ip(),
        ),
        success=None,
        to=_to_criterion(criterion),
    )


@bp.get("/periods/<int:period_id>/criteria/preview")
@access.roles(Role.ADMIN)
def preview(period_id: int):
    period = authz.get_or_404(Period, period_id)
    return render_template(
        "campaigns/preview.html",
        period=period,
        rows=list(walk(period)),
        report=validate_period(period),
    )


@bp.route("/periods/<int:period_id>/criteria/copy", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def copy_criteria(period_id: int):
    period = managed(Period, period_id)
    form = CopyCriteriaForm()
    sources = services.periods(db.session, exclude=period)
    form.source.choices = [(str(p.id), f"{p.code} · {p.name_vi}") for p in sources]

    def copy(form: CopyCriteriaForm) -> Period:
        source = db.session.get(Period, int(form.source.data))
        criteria_sets.copy_criteria(
            db.session,
            source=source,
            target=period,
            actor=web.actor(),
            replace=bool(form.replace.data),
            ip=web.client_ip(),
        )
        return source

    return web.form_action(
        form,
        copy,
        success=lambda source: _("Criteria copied from %(code)s.", code=source.code),
        to=url_for("campaigns.criteria", period_id=period.id),
        render=lambda form: render_template(
            "campaigns/copy.html", form=form, period=period, editable=criteria_editable(period)
        ),
    )


@bp.get("/periods/<int:period_id>/criteria.xlsx")
@access.roles(Role.ADMIN)
def export_criteria(period_id: int):
    period = authz.get_or_404(Period, period_id)
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
    period = managed(Period, period_id)
    return web.form_action(
        ImportCriteriaForm(),
        lambda form: criteria_sets.import_criteria(
            db.session,
            period=period,
            rows=xlsx.parse_criteria(form.file.data.read()),
            actor=web.actor(),
            replace=bool(form.replace.data),
            ip=web.client_ip(),
        ),
        success=lambda created: _("%(count)d criteria imported.", count=len(created)),
        to=url_for("campaigns.criteria", period_id=period.id),
        render=lambda form: render_template(
            "campaigns/import.html",
            form=form,
            period=period,
            errors=_row_errors(web.failure()),
            editable=criteria_editable(period),
        ),
    )


def _row_errors(err) -> list[str]:
    if err is None:
        return []
    return list(err.details) if isinstance(err.details, list) else [err.message]
