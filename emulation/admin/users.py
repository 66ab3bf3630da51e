"""User administration: accounts and role grants within the admin's own scope."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from emulation import access
from emulation.accounts import authz, user_admin
from emulation.accounts.forms import ConfirmForm, GrantForm, ImportForm, UserForm
from emulation.accounts.importing import COLUMNS, import_users, read_rows
from emulation.accounts.models import Role, RoleGrant, RolePolicy, User
from emulation.accounts.services import end_all_sessions
from emulation.errors import InvalidInput, NotFound
from emulation.extensions import db
from emulation.nav import NavItem, add_nav

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")


def _actor() -> User:
    return current_user._get_current_object()


def _ip() -> str:
    return request.remote_addr or ""


def _user(user_id: int, action: str = "view") -> User:
    return authz.get_or_404(User, user_id, action)


@bp.get("/")
@access.roles(Role.ADMIN)
def index():
    search = request.args.get("q", "")[:80]
    page = max(request.args.get("page", 1, type=int), 1)
    pager = db.paginate(
        user_admin.users_query(_actor(), search), page=page, per_page=user_admin.PAGE_SIZE
    )
    return render_template("admin_users/index.html", pager=pager, search=search)


@bp.route("/new", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def new():
    form = UserForm()
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        data = user_admin.NewUser(
            username=form.username.data,
            full_name=form.full_name.data,
            unit_code=form.unit_code.data,
            email=form.email.data or "",
            role=Role(form.role.data) if form.role.data else None,
            password=form.password.data or "",
        )
        try:
            user, password = user_admin.add_user(db.session, actor=_actor(), data=data, ip=_ip())
        except InvalidInput as err:
            db.session.rollback()
            flash(err.message, "danger")
        else:
            db.session.commit()
            flash(_("Account %(name)s created.", name=user.username), "success")
            shown = None if form.password.data else password
            return _detail(user, new_password=shown)
    return render_template("admin_users/form.html", form=form), status


def _detail(user: User, status: int = 200, grant_form: GrantForm | None = None, **extra):
    return render_template(
        "admin_users/detail.html",
        user=user,
        manageable=authz.can(_actor(), "administer", user) and user.id != _actor().id,
        grant_form=grant_form or GrantForm(formdata=None),
        confirm=ConfirmForm(),
        **extra,
    ), status


@bp.get("/<int:user_id>")
@access.roles(Role.ADMIN)
def detail(user_id: int):
    return _detail(_user(user_id))


@bp.post("/<int:user_id>/active")
@access.roles(Role.ADMIN)
def set_active(user_id: int):
    user = _user(user_id, "administer")
    if not ConfirmForm().validate_on_submit():
        return _detail(user, 400)
    active = request.form.get("active") == "1"
    user_admin.set_active(db.session, actor=_actor(), user=user, active=active, ip=_ip())
    db.session.commit()
    flash(_("Account reactivated.") if active else _("Account deactivated."), "success")
    return redirect(url_for("admin_users.detail", user_id=user.id))


@bp.post("/<int:user_id>/password")
@access.roles(Role.ADMIN)
def reset_password(user_id: int):
    user = _user(user_id, "administer")
    if not ConfirmForm().validate_on_submit():
        return _detail(user, 400)
    password = user_admin.reset_password(db.session, actor=_actor(), user=user, ip=_ip())
    db.session.commit()
    flash(_("Password reset. The user must change it at the next sign-in."), "success")
    return _detail(user, new_password=password)


@bp.post("/<int:user_id>/totp-reset")
@access.roles(Role.ADMIN)
def reset_totp(user_id: int):
    user = _user(user_id, "administer")
    if not ConfirmForm().validate_on_submit():
        return _detail(user, 400)
    user_admin.reset_totp(db.session, actor=_actor(), user=user, ip=_ip())
    db.session.commit()
    flash(_("Second factor turned off; the user must set it up again."), "success")
    return redirect(url_for("admin_users.detail", user_id=user.id))


@bp.post("/<int:user_id>/sessions/end")
@access.roles(Role.ADMIN)
def end_sessions(user_id: int):
    user = _user(user_id, "administer")
    if not ConfirmForm().validate_on_submit():
        return _detail(user, 400)
    end_all_sessions(db.session, user=user, actor=_actor(), ip=_ip())
    db.session.commit()
    flash(_("The account was signed out on every device."), "success")
    return redirect(url_for("admin_users.detail", user_id=user.id))


@bp.post("/<int:user_id>/grants")
@access.roles(Role.ADMIN)
def grant(user_id: int):
    user = _user(user_id, "administer")
    form = GrantForm()
    if not form.validate_on_submit():
        return _detail(user, 422, grant_form=form)
    try:
        user_admin.grant_role(
            db.session,
            actor=_actor(),
            user=user,
            role=Role(form.role.data),
            unit_code=form.unit_code.data,
            ip=_ip(),
        )
    except InvalidInput as err:
        db.session.rollback()
        form.unit_code.errors.append(err.message)
        return _detail(db.session.get(User, user_id), 422, grant_form=form)
    db.session.commit()
    flash(_("Role granted."), "success")
    return redirect(url_for("admin_users.detail", user_id=user.id))


@bp.post("/<int:user_id>/grants/<int:grant_id>/revoke")
@access.roles(Role.ADMIN)
def revoke(user_id: int, grant_id: int):
    user = _user(user_id)
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None or grant.user_id != user.id:
        raise NotFound()
    if not ConfirmForm().validate_on_submit():
        return _detail(user, 400)
    user_admin.revoke_grant(db.session, actor=_actor(), grant=grant, ip=_ip())
    db.session.commit()
    flash(_("Role revoked."), "success")
    return redirect(url_for("admin_users.detail", user_id=user.id))


@bp.route("/import", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def import_file():
    form = ImportForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("admin_users/import.html", form=form, columns=COLUMNS), status
    upload = form.file.data
    try:
        rows = read_rows(upload.filename or "", upload.read())
        result = import_users(db.session, actor=_actor(), rows=rows, ip=_ip())
    except InvalidInput as err:
        db.session.rollback()
        return render_template(
            "admin_users/import.html",
            form=form,
            columns=COLUMNS,
            message=err.message,
            errors=err.details or [],
        ), 422
    db.session.commit()
    flash(_("%(n)d accounts imported.", n=len(result.created)), "success")
    return render_template(
        "admin_users/import.html", form=ImportForm(formdata=None), columns=COLUMNS, result=result
    )


@bp.get("/import/template.csv")
@access.roles(Role.ADMIN)
def import_template():
    body = ",".join(COLUMNS) + "\r\nnguyen.van.a,Nguyễn Văn A,a@example.vn,unit_head,00070,\r\n"
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=users-template.csv"},
    )


@bp.route("/policies", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def policies():
    national = authz.is_national_admin(_actor())
    form = ConfirmForm()
    if form.validate_on_submit():
        wanted = set(request.form.getlist("require_totp"))
        for role in Role:
            user_admin.set_role_policy(
                db.session, actor=_actor(), role=role, require_totp=role.value in wanted, ip=_ip()
            )
        db.session.commit()
        flash(_("Security policy saved."), "success")
        return redirect(url_for("admin_users.policies"))
    required = {p.role for p in db.session.query(RolePolicy).filter_by(require_totp=True)}
    return render_template(
        "admin_users/policies.html",
        form=form,
        roles=list(Role),
        required=required,
        national=national,
    ), (422 if form.is_submitted() else 200)


add_nav(
    NavItem(
        "admin_users.index",
        _l("Users"),
        visible=lambda user: authz.has_role(user, Role.ADMIN),
        order=85,
    )
)
