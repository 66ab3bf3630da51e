"""The unit registry: tree and search, a unit's page, edits, merges, and the list import.

Everything is filtered to the admin's scope; a unit outside it is a 404. Cluster views are in
`cluster_views.py` on the same blueprint."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from emulation import access, web
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.errors import DomainError, InvalidInput
from emulation.extensions import db
from emulation.forms import today
from emulation.org import services, staging
from emulation.org.forms import (
    ApplyImportForm,
    ImportUnitsForm,
    MergeUnitsForm,
    MoveUnitForm,
    NewUnitForm,
    RenameUnitForm,
    RetireUnitForm,
    SearchForm,
    choices,
    split_codes,
)
from emulation.org.models import COMPETING_KINDS, Unit, UnitKind, in_subtree
from emulation.org.sheets import parse_units, sheet_from_json, sheet_to_json
from emulation.org.sync import apply_sync, plan_sync

bp = Blueprint("org", __name__, url_prefix="/admin")
PREVIEW_ROWS = 200


# --- helpers ------------------------------------------------------------------------------
def admin_paths() -> list[str]:
    return authz.scope_paths(web.actor(), [Role.ADMIN])


def administered(unit_id: int) -> Unit:
    """The unit, if the current admin may administer it (404 when out of sight)."""
    return authz.get_or_404(Unit, unit_id, "administer")


def unit_by_code(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code.strip()))
    if unit is None or not authz.can(web.actor(), "administer", unit):
        raise InvalidInput(_("No unit with code %(code)s in your scope.", code=code.strip()))
    return unit


def scope_roots() -> list[Unit]:
    paths = admin_paths()
    roots = db.session.scalars(select(Unit).where(Unit.path.in_(paths)).order_by(Unit.path)).all()
    # A grant inside another grant's subtree is not a separate root.
    return [u for u in roots if not any(u.path != p and in_subtree(u.path, p) for p in paths)]


def import_dir() -> Path:
    return Path(current_app.config["UNIT_IMPORT_DIR"])


# --- tree and search ----------------------------------------------------------------------
@bp.get("/units/")
@access.roles(Role.ADMIN)
def units():
    form = SearchForm(request.args)
    include_retired = request.args.get("retired") == "1"
    results = None
    if form.q.data:
        results = services.search_units(
            db.session,
            text=form.q.data,
            scope_paths=admin_paths(),
            include_retired=include_retired,
        )
    roots = scope_roots()
    return render_template(
        "org/units.html",
        form=form,
        results=results,
        include_retired=include_retired,
        roots=roots,
        counts=services.child_counts(db.session, roots),
    )


@bp.get("/units/<int:unit_id>/children")
@access.roles(Role.ADMIN)
def unit_children(unit_id: int):
    unit = administered(unit_id)
    children = services.child_units(db.session, unit)
    return render_template(
        "org/_children.html",
        children=children,
        counts=services.child_counts(db.session, children),
    )


@bp.get("/units/<int:unit_id>")
@access.roles(Role.ADMIN)
def unit(unit_id: int):
    unit = administered(unit_id)
    children = services.child_units(db.session, unit, include_retired=True)
    return render_template(
        "org/unit.html",
        unit=unit,
        trail=services.ancestors(db.session, unit),
        children=children,
        sources=services.merged_sources(db.session, unit),
        rename_form=RenameUnitForm(name=unit.name),
        move_form=MoveUnitForm(),
        retire_form=RetireUnitForm(),
        new_form=NewUnitForm(),
        competing=COMPETING_KINDS,
    )


def _unit_action(unit: Unit, form, service, success: str):
    """A form on the unit's page: one service call, then back to the page."""
    return web.form_action(form, service, success=success, to=url_for("org.unit", unit_id=unit.id))


@bp.post("/units/<int:unit_id>/rename")
@access.roles(Role.ADMIN)
def rename_unit(unit_id: int):
    unit = administered(unit_id)
    return _unit_action(
        unit,
        RenameUnitForm(),
        lambda form: services.rename_unit(
            db.session, unit=unit, name=form.name.data, actor=web.actor(), ip=web.client_ip()
        ),
        _("Unit renamed."),
    )


@bp.post("/units/<int:unit_id>/move")
@access.roles(Role.ADMIN)
def move_unit(unit_id: int):
    unit = administered(unit_id)

    def move(form: MoveUnitForm) -> None:
        if unit.parent is None or not authz.can(web.actor(), "administer", unit.parent):
            raise InvalidInput(_("Only an administrator above this unit can move it."))
        parent = unit_by_code(form.parent_code.data)
        services.move_unit(
            db.session, unit=unit, new_parent=parent, actor=web.actor(), ip=web.client_ip()
        )

    return _unit_action(unit, MoveUnitForm(), move, _("Unit moved."))


@bp.post("/units/<int:unit_id>/retire")
@access.roles(Role.ADMIN)
def retire_unit(unit_id: int):
    unit = administered(unit_id)
    return _unit_action(
        unit,
        RetireUnitForm(),
        lambda form: services.retire_unit(
            db.session, unit=unit, on=form.on.data, actor=web.actor(), ip=web.client_ip()
        ),
        _("Unit retired; its history is kept."),
    )


@bp.post("/units/<int:unit_id>/children")
@access.roles(Role.ADMIN)
def create_unit(unit_id: int):
    parent = administered(unit_id)

    def create(form: NewUnitForm) -> None:
        data = services.NewUnit(form.code.data, form.name.data, UnitKind(form.kind.data), parent)
        services.create_unit(db.session, data=data, actor=web.actor(), ip=web.client_ip())

    return _unit_action(parent, NewUnitForm(), create, _("Unit added."))


@bp.route("/units/merge", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def merge_units():
    return web.form_action(
        MergeUnitsForm(),
        _merge,
        success=_("Units merged."),
        to=lambda target: url_for("org.unit", unit_id=target.id),
        render=lambda form: render_template("org/merge.html", form=form),
    )


def _merge(form: MergeUnitsForm) -> Unit:
    sources = [unit_by_code(code) for code in split_codes(form.sources.data)]
    code = form.target_code.data.strip()
    existing = db.session.scalar(select(Unit).where(Unit.code == code))
    new = None
    if existing is None:
        if not form.new_name.data or not form.new_parent_code.data:
            raise InvalidInput(_("For a new unit give its name and the code of its parent."))
        parent = unit_by_code(form.new_parent_code.data)
        new = services.NewUnit(code, form.new_name.data, UnitKind(form.new_kind.data), parent)
        existing_target = None
    else:
        existing_target = unit_by_code(code)
    return services.merge_units(
        db.session,
        sources=sources,
        target=existing_target,
        new=new,
        on=form.on.data,
        actor=web.actor(),
        ip=web.client_ip(),
    )


# --- import -------------------------------------------------------------------------------
def _import_scopes() -> list[Unit]:
    """The subtrees an admin may import: their scope roots and the provinces below them."""
    out = []
    for root in scope_roots():
        out.append(root)
        if root.kind is UnitKind.MINISTRY:
            out += services.child_units(db.session, root)
    return out


@bp.route("/units/import", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def import_units():
    form = ImportUnitsForm()
    scopes = _import_scopes()
    form.scope.choices = choices((u.code, f"{u.name} ({u.code})") for u in scopes)

    def stage(form: ImportUnitsForm) -> staging.StagedFile:
        scope = unit_by_code(form.scope.data)
        upload = form.file.data
        filename, data = upload.filename or "units.csv", upload.read()
        return staging.stage(
            import_dir(),
            filename=filename,
            data=data,
            parsed=_parse_once(filename, data),
            user_id=web.actor().id,
            scope_code=scope.code,
        )

    return web.form_action(
        form,
        stage,
        success=None,
        to=lambda staged: url_for("org.import_preview", token=staged.token),
        render=lambda form: render_template("org/import.html", form=form),
    )


def _parse_once(filename: str, data: bytes) -> dict:
    """Parse the upload when it arrives; the preview and the apply reuse this result."""
    try:
        return {"sheet": sheet_to_json(parse_units(filename, data))}
    except InvalidInput as err:
        return {"error": err.message, "details": [str(d) for d in err.details or []]}


def _staged_plan(token: str):
    staged = staging.load(import_dir(), token, user_id=web.actor().id)
    scope = unit_by_code(staged.scope_code)
    if "error" in staged.parsed:
        raise InvalidInput(staged.parsed["error"], details=staged.parsed["details"])
    return staged, scope, sheet_from_json(staged.parsed["sheet"])


@bp.get("/units/import/preview")
@access.roles(Role.ADMIN)
def import_preview():
    token = request.args.get("token", "")
    if not token:
        return redirect(url_for("org.import_units"))
    staged = scope = plan = None
    try:
        staged, scope, sheet = _staged_plan(token)
        plan = plan_sync(db.session, sheet=sheet, scope=scope, allowed_paths=admin_paths())
    except DomainError as err:
        return render_template(
            "org/preview.html", staged=staged, scope=scope, plan=None, error=err, form=None
        ), err.status
    form = ApplyImportForm(token=token, fingerprint=plan.fingerprint())
    return render_template(
        "org/preview.html",
        staged=staged,
        scope=scope,
        plan=plan,
        error=None,
        form=form,
        limit=PREVIEW_ROWS,
    )


@bp.post("/units/import/apply")
@access.roles(Role.ADMIN)
def apply_import():
    form = ApplyImportForm()
    if not form.validate_on_submit():
        raise InvalidInput(_("This upload has expired. Upload the file again."))
    token = form.token.data

    def apply(form: ApplyImportForm):
        staged, scope, sheet = _staged_plan(token)
        plan = apply_sync(
            db.session,
            sheet=sheet,
            scope=scope,
            allowed_paths=admin_paths(),
            expected_fingerprint=form.fingerprint.data,
            actor=web.actor(),
            today=today(),
            source={"file": staged.filename, "sha256": staged.sha256},
            ip=web.client_ip(),
            confirmed_retirements=form.confirmed_retirements(),
        )
        return plan, scope

    def applied(result) -> str:  # after the commit: the staged file is no longer needed
        staging.discard(import_dir(), token)
        return _("Import applied: %(n)d units changed.", n=result[0].change_count)

    return web.form_action(
        form,
        apply,
        success=applied,
        to=lambda result: url_for("org.unit", unit_id=result[1].id),
        back=url_for("org.import_preview", token=token),
    )
