"""User administration: accounts and role grants within the admin's own scope.

Routes live on `accounts.bp` under /admin/users. A generated password is shown once, on the
page the POST redirects to (it travels in the signed session, never in a URL)."""

from __future__ import annotations

from flask import Response, flash, render_template, request, session, url_for
from flask_babel import gettext as _

from emulation import access, web
from emulation.accounts import authz, importing, services, user_admin
from emulation.accounts.forms import GrantForm, ImportForm, UserForm
from emulation.accounts.importing import COLUMNS
from emulation.accounts.models import Role, RoleGrant, User
from emulation.accounts.views import bp
from emulation.errors import InvalidInput, NotFound
from emulation.extensions import db
from emulation.forms import ConfirmForm

SHOW_ONCE = "_new_password"


def _user(user_id: int, action: str = "view") -> User:
    return authz.get_or_404(User, user_id, action)


def _to_user(user: User) -> str:
    return url_for("accounts.user", user_id=user.id)


def _show_password_once(user: User, password: str | None) -> None:
    if password:
        session[SHOW_ONCE] = {"user_id": user.id, "password": password}


def _shown_password(user: User) -> str | None:
    pending = session.pop(SHOW_ONCE, None)
    return pending["password"] if pending and pending.get("user_id") == user.id else None


@bp.get("/admin/users/")
@access.roles(Role.ADMIN)
def users():
    search = request.args.get("q", "")[:80]
    page = max(request.args.get("page", 1, type=int), 1)
    pager = db.paginate(
        user_admin.users_query(web.actor(), search), page=page, per_page=user_admin.PAGE_SIZE
    )
    return render_template("accounts/users/index.html", pager=pager, search=search)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def new_user():
    def create(form: UserForm) -> User:
        data = user_admin.NewUser(
            username=form.username.data,
            full_name=form.full_name.data,
            unit_code=form.unit_code.data,
            email=form.email.data or "",
            role=Role(form.role.data) if form.role.data else None,
            password=form.password.data or "",
        )
        user, password = user_admin.add_user(
            db.session, actor=web.actor(), data=data, ip=web.client_ip()
        )
        _show_password_once(user, None if form.password.data else password)
        return user

    return web.form_action(
        UserForm(),
        create,
        success=lambda user: _("Account %(name)s created.", name=user.username),
        to=_to_user,
        render=lambda form: render_template("accounts/users/form.html", form=form),
    )


@bp.get("/admin/users/<int:user_id>")
@access.roles(Role.ADMIN)
def user(user_id: int):
    user = _user(user_id)
    actor = web.actor()
    return render_template(
        "accounts/users/detail.html",
        user=user,
        manageable=authz.can(actor, "administer", user) and user.id != actor.id,
        grant_form=GrantForm(formdata=None),
        confirm=ConfirmForm(),
        new_password=_shown_password(user),
    )


def _account_action(user: User, form, service, success: str) -> Response:
    """A button on the account page: one service call, then back to the page."""
    return web.form_action(form, lambda _form: service(), success=success, to=_to_user(user))


@bp.post("/admin/users/<int:user_id>/active")
@access.roles(Role.ADMIN)
def set_active(user_id: int):
    user = _user(user_id, "administer")
    active = request.form.get("active") == "1"
    return _account_action(
        user,
        ConfirmForm(),
        lambda: user_admin.set_active(
            db.session, actor=web.actor(), user=user, active=active, ip=web.client_ip()
        ),
        _("Account reactivated.") if active else _("Account deactivated."),
    )


@bp.post("/admin/users/<int:user_id>/password")
@access.roles(Role.ADMIN)
def reset_password(user_id: int):
    user = _user(user_id, "administer")

    def reset() -> None:
        password = user_admin.reset_password(
            db.session, actor=web.actor(), user=user, ip=web.client_ip()
        )
        _show_password_once(user, password)

    return _account_action(
        user,
        ConfirmForm(),
        reset,
        _("Password reset. The user must change it at the next sign-in."),
    )


@bp.post("/admin/users/<int:user_id>/totp-reset")
@access.roles(Role.ADMIN)
def reset_totp(user_id: int):
    user = _user(user_id, "administer")
    return _account_action(
        user,
        ConfirmForm(),
        lambda: user_admin.reset_totp(db.session, actor=web.actor(), user=user, ip=web.client_ip()),
        _("Second factor turned off; the user must set it up again."),
    )


@bp.post("/admin/users/<int:user_id>/sessions/end")
@access.roles(Role.ADMIN)
def end_sessions(user_id: int):
    user = _user(user_id, "administer")
    return _account_action(
        user,
        ConfirmForm(),
        lambda: services.end_all_sessions(
            db.session, user=user, actor=web.actor(), ip=web.client_ip()
        ),
        _("The account was signed out on every device."),
    )


@bp.post("/admin/users/<int:user_id>/grants")
@access.roles(Role.ADMIN)
def grant(user_id: int):
    user = _user(user_id, "administer")
    form = GrantForm()
    return _account_action(
        user,
        form,
        lambda: user_admin.grant_role(
            db.session,
            actor=web.actor(),
            user=user,
            role=Role(form.role.data),
            unit_code=form.unit_code.data,
            ip=web.client_ip(),
        ),
        _("Role granted."),
    )


@bp.post("/admin/users/<int:user_id>/grants/<int:grant_id>/revoke")
@access.roles(Role.ADMIN)
def revoke(user_id: int, grant_id: int):
    user = _user(user_id)
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None or grant.user_id != user.id:
        raise NotFound()
    return _account_action(
        user,
        ConfirmForm(),
        lambda: user_admin.revoke_grant(
            db.session, actor=web.actor(), grant=grant, ip=web.client_ip()
        ),
        _("Role revoked."),
    )


@bp.route("/admin/users/import", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def import_users():
    form = ImportForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("accounts/users/import.html", form=form, columns=COLUMNS), status
    upload = form.file.data
    try:
        rows = importing.read_rows(upload.filename or "", upload.read())
        result = importing.import_users(
            db.session, actor=web.actor(), rows=rows, ip=web.client_ip()
        )
        web.commit()
    except InvalidInput as err:
        db.session.rollback()
        return render_template(
            "accounts/users/import.html",
            form=form,
            columns=COLUMNS,
            message=err.message,
            errors=err.details or [],
        ), 422
    flash(_("%(n)d accounts imported.", n=len(result.created)), "success")
    # The one POST that answers with a page: the generated passwords of up to thousands of
    # accounts are shown once here and are too many to carry through a redirect.
    return render_template(
        "accounts/users/import.html",
        form=ImportForm(formdata=None),
        columns=COLUMNS,
        result=result,
    )


@bp.get("/admin/users/import/template.csv")
@access.roles(Role.ADMIN)
def import_template():
    body = ",".join(COLUMNS) + "\r\nnguyen.van.a,Nguyễn Văn A,a@example.vn,unit_head,00070,\r\n"
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=users-template.csv"},
    )


@bp.route("/admin/users/policies", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def policies():
    def save(_form: ConfirmForm) -> None:
        wanted = set(request.form.getlist("require_totp"))
        for role in Role:
            user_admin.set_role_policy(
                db.session,
                actor=web.actor(),
                role=role,
                require_totp=role.value in wanted,
                ip=web.client_ip(),
            )

    return web.form_action(
        ConfirmForm(),
        save,
        success=_("Security policy saved."),
        to=url_for("accounts.policies"),
        render=lambda form: render_template(
            "accounts/users/policies.html",
            form=form,
            roles=list(Role),
            required=user_admin.totp_required_roles(db.session),
            national=authz.is_national(web.actor(), [Role.ADMIN]),
        ),
    )
