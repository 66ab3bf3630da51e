"""Sign-in (password, then the second factor when enrolled), sign-out, password change, the
user's own account page and second-factor enrolment."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from emulation import access, web
from emulation.accounts import services, sessions, totp
from emulation.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    SecondFactorForm,
    TotpConfirmForm,
)
from emulation.accounts.models import User
from emulation.accounts.throttle import throttle
from emulation.extensions import db, login_manager

bp = Blueprint("accounts", __name__)
log = logging.getLogger(__name__)

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please sign in to open this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

NEXT = "_2fa_next"
REMEMBER = "_2fa_remember"
TOTP_SECRET = "_totp_pending_secret"
RECOVERY_CODES = "_recovery_codes_once"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    ident, _sep, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("public.home")


def _too_many(template: str, **context):
    log.warning("sign-in rate limit reached: ip=%s endpoint=%s", web.client_ip(), request.endpoint)
    flash(_("Too many failed attempts. Wait a minute and try again."), "danger")
    return render_template(template, **context), 429


def _finish_login(user: User, remember: bool, next_url: str | None):
    services.record_login(db.session, user=user, ip=web.client_ip())
    db.session.commit()
    sessions.start_session(user, remember=remember)
    if user.must_change_password:
        flash(_("Please choose a new password before you continue."), "warning")
        return redirect(url_for("accounts.change_password"))
    if not user.totp_enabled and services.totp_required(db.session, user):
        flash(_("Your role requires a second factor. Please set it up now."), "warning")
        return redirect(url_for("accounts.totp_setup"))
    return redirect(_safe_next(next_url))


@bp.route("/auth/login", methods=["GET", "POST"])
@access.public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 422 if form.errors else 200
    name, ip = form.username.data.strip(), web.client_ip()
    if throttle().blocked("login", ip, name):
        return _too_many("accounts/login.html", form=form)
    config = current_app.config
    result = services.check_login(
        db.session,
        username=name,
        password=form.password.data,
        ip=ip,
        lock_after=config["LOGIN_LOCKOUT_THRESHOLD"],
        lock_minutes=config["LOGIN_LOCKOUT_MINUTES"],
    )
    if result.outcome is not services.LoginOutcome.OK:
        db.session.commit()  # the failure count and audit events, before the shared counter
        throttle().failed("login", ip, name)
        if result.outcome is services.LoginOutcome.LOCKED:
            flash(_("This account is locked for a while after many failed attempts."), "danger")
            return render_template("accounts/login.html", form=form), 429
        flash(_("Wrong username or password."), "danger")
        return render_template("accounts/login.html", form=form), 401
    user, remember = result.user, bool(form.remember.data)
    if user.totp_enabled:
        db.session.commit()
        sessions.begin_second_factor(user)
        session[NEXT] = request.args.get("next") or ""
        session[REMEMBER] = remember
        return redirect(url_for("accounts.two_factor"))
    return _finish_login(user, remember, request.args.get("next"))


@bp.route("/auth/two-factor", methods=["GET", "POST"])
@access.public
def two_factor():
    user = sessions.pending_user()
    if user is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    form = SecondFactorForm()
    if not form.validate_on_submit():
        return render_template("accounts/two_factor.html", form=form), 422 if form.errors else 200
    ip, key = web.client_ip(), f"user-{user.id}"
    if throttle().blocked("2fa", ip, key):
        return _too_many("accounts/two_factor.html", form=form)
    if not services.verify_second_factor(db.session, user=user, code=form.code.data, ip=ip):
        db.session.rollback()
        throttle().failed("2fa", ip, key)
        flash(_("The code is wrong or was already used."), "danger")
        return render_template("accounts/two_factor.html", form=form), 401
    return _finish_login(user, bool(session.get(REMEMBER)), session.get(NEXT))


@bp.post("/auth/logout")
@access.signed_in
def logout():
    sessions.end_session()
    flash(_("You have signed out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/auth/password", methods=["GET", "POST"])
@access.signed_in
def change_password():
    def change(form: ChangePasswordForm) -> None:
        user = web.actor()
        services.change_password(
            db.session, user=user, current=form.current.data, new=form.new.data, ip=web.client_ip()
        )
        sessions.start_session(user)  # the session id carries the new session version

    return web.form_action(
        ChangePasswordForm(),
        change,
        success=_("Your password has been changed. Other sessions were signed out."),
        to=url_for("accounts.account"),
        render=lambda form: render_template("accounts/change_password.html", form=form),
    )


@bp.get("/auth/account")
@access.signed_in
def account():
    user = current_user._get_current_object()
    codes_left = sum(1 for code in user.recovery_codes if code.used_at is None)
    required = services.totp_required(db.session, user)
    return render_template(
        "accounts/account.html", user=user, codes_left=codes_left, totp_required=required
    )


@bp.route("/auth/two-factor/setup", methods=["GET", "POST"])
@access.signed_in
def totp_setup():
    user = web.actor()
    if user.totp_enabled:
        # Right after enrolment the recovery codes are shown, once.
        codes = session.pop(RECOVERY_CODES, None)
        if codes:
            return render_template("accounts/recovery_codes.html", codes=codes)
        return render_template("accounts/totp_setup.html", enabled=True)
    secret = session.get(TOTP_SECRET) or totp.new_secret()
    session[TOTP_SECRET] = secret

    def enable(form: TotpConfirmForm) -> None:
        session[RECOVERY_CODES] = services.enable_totp(
            db.session, user=user, secret=secret, code=form.code.data, ip=web.client_ip()
        )
        session.pop(TOTP_SECRET, None)

    return web.form_action(
        TotpConfirmForm(),
        enable,
        success=None,
        to=url_for("accounts.totp_setup"),
        render=lambda form: render_template(
            "accounts/totp_setup.html",
            enabled=False,
            form=form,
            qr=totp.qr_svg(totp.provisioning_uri(secret, user.username)),
            key=totp.manual_key(secret),
        ),
    )
