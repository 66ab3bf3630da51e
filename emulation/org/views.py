"""The unit registry: tree and search, a unit's page, edits, merges, and the list import.

Everything is filtered to the admin's scope; a unit outside it is a 404. Cluster views are in
`cluster_views.py` on the same blueprint."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from emulation import access
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.errors import DomainError, InvalidInput, NotFound
from emulation.extensions import db
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
    today,
)
from emulation.org.models import COMPETING_KINDS, Unit, UnitKind
from emulation.org.sheets import parse_units
from emulation.org.sync import apply_sync, plan_sync

bp = Blueprint("org", __name__, url_prefix="/admin")
PREVIEW_ROWS = 200


# --- helpers ------------------------------------------------------------------------------
def admin_paths() -> list[str]:
    return authz.scope_paths(current_user, [Role.ADMIN])


def administered(unit_id: int) -> Unit:
    """The unit, if the current admin may administer it (404 when out of sight)."""
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise NotFound()
    authz.require(current_user, "administer", unit)
    return unit


def unit_by_code(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code.strip()))
    if unit is None or not authz.can(current_user, "administer", unit):
        raise InvalidInput(_("No unit with code %(code)s in your scope.", code=code.strip()))
    return unit


def scope_roots() -> list[Unit]:
    paths = admin_paths()
    roots = db.session.scalars(select(Unit).where(Unit.path.in_(paths)).order_by(Unit.path)).all()
    # A grant inside another grant's subtree is not a separate root.
    return [u for u in roots if not any(u.path != p and u.path.startswith(p) for p in paths)]


def fail(err: DomainError) -> int:
    db.session.rollback()
    flash(err.message, "danger")
    for detail in (err.details or [])[:50]:
        flash(str(detail), "warning")
    return err.status


def ip() -> str:
    return request.remote_addr or ""


def import_dir() -> Path:
    configured = current_app.config.get("UNIT_IMPORT_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "imports"


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


def _unit_action(unit_id: int, form_class, action) -> object:
    unit = administered(unit_id)
    form = form_class()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return redirect(url_for("org.unit", unit_id=unit.id))
    try:
        message = action(unit, form)
        db.session.commit()
        flash(message, "success")
    except DomainError as err:
        fail(err)
    return redirect(url_for("org.unit", unit_id=unit.id))


@bp.post("/units/<int:unit_id>/rename")
@access.roles(Role.ADMIN)
def rename_unit(unit_id: int):
    def act(unit, form):
        services.rename_unit(
            db.session, unit=unit, name=form.name.data, actor=current_user, ip=ip()
        )
        return _("Unit renamed.")

    return _unit_action(unit_id, RenameUnitForm, act)


@bp.post("/units/<int:unit_id>/move")
@access.roles(Role.ADMIN)
def move_unit(unit_id: int):
    def act(unit, form):
        if unit.parent is None or not authz.can(current_user, "administer", unit.parent):
            raise InvalidInput(_("Only an administrator above this unit can move it."))
        parent = unit_by_code(form.parent_code.data)
        services.move_unit(db.session, unit=unit, new_parent=parent, actor=current_user, ip=ip())
        return _("Unit moved.")

    return _unit_action(unit_id, MoveUnitForm, act)


@bp.post("/units/<int:unit_id>/retire")
@access.roles(Role.ADMIN)
def retire_unit(unit_id: int):
    def act(unit, form):
        services.retire_unit(db.session, unit=unit, on=form.on.data, actor=current_user, ip=ip())
        return _("Unit retired; its history is kept.")

    return _unit_action(unit_id, RetireUnitForm, act)


@bp.post("/units/<int:unit_id>/children")
@access.roles(Role.ADMIN)
def create_unit(unit_id: int):
    def act(parent, form):
        data = services.NewUnit(form.code.data, form.name.data, UnitKind(form.kind.data), parent)
        services.create_unit(db.session, data=data, actor=current_user, ip=ip())
        return _("Unit added.")

    return _unit_action(unit_id, NewUnitForm, act)


@bp.route("/units/merge", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def merge_units():
    form = MergeUnitsForm()
    status = 200
    if form.validate_on_submit():
        try:
            target = _merge(form)
            db.session.commit()
            flash(_("Units merged."), "success")
            return redirect(url_for("org.unit", unit_id=target.id))
        except DomainError as err:
            status = fail(err)
    elif form.is_submitted():
        status = 422
    return render_template("org/merge.html", form=form), status


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
        actor=current_user,
        ip=ip(),
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
    status = 200
    if form.validate_on_submit():
        scope = unit_by_code(form.scope.data)
        upload = form.file.data
        staged = staging.stage(
            import_dir(),
            filename=upload.filename or "units.csv",
            data=upload.read(),
            user_id=current_user.id,
            scope_code=scope.code,
        )
        return redirect(url_for("org.import_preview", token=staged.token))
    elif form.is_submitted():
        status = 422
    return render_template("org/import.html", form=form), status


def _staged_plan(token: str):
    staged = staging.load(import_dir(), token, user_id=current_user.id)
    scope = unit_by_code(staged.scope_code)
    sheet = parse_units(staged.filename, staged.data)
    return staged, scope, sheet


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
    try:
        staged, scope, sheet = _staged_plan(token)
        plan = apply_sync(
            db.session,
            sheet=sheet,
            scope=scope,
            allowed_paths=admin_paths(),
            expected_fingerprint=form.fingerprint.data,
            actor=current_user,
            today=today(),
            source={"file": staged.filename, "sha256": staged.sha256},
            ip=ip(),
            confirmed_retirements=form.confirmed_retirements(),
        )
        db.session.commit()
    except DomainError as err:
        fail(err)
        return redirect(url_for("org.import_preview", token=token))
    staging.discard(import_dir(), token)
    flash(_("Import applied: %(n)d units changed.", n=plan.change_count), "success")
    return redirect(url_for("org.unit", unit_id=scope.id))


from emulation.org import cluster_views  # noqa: E402,F401  (routes on this blueprint)
