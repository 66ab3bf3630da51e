"""Sign-in (password, then the second factor when enrolled), sign-out, password change, the
user's own account page and second-factor enrolment."""

from __future__ import annotations

import logging
import math

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import joinedload

from emulation import access, nav, web
from emulation.accounts import services, sessions, totp
from emulation.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    SecondFactorForm,
    TotpConfirmForm,
)
from emulation.accounts.models import RoleGrant, User
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


USER_WITH_GRANTS = joinedload(User.grants).joinedload(RoleGrant.scope_unit)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    ident, _sep, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    # The grants and their scopes come with the user (one statement): every signed-in request
    # checks its roles and most check a scope.
    user = db.session.get(User, int(ident), options=[USER_WITH_GRANTS])
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user


def _safe_next(target: str | None) -> str:
    return sessions.safe_next(target) or url_for("public.home")


def _throttled(template: str, seconds: int, **context):
    """429 with a wait in minutes (the same words for every name, known or not)."""
    log.warning("sign-in throttled: ip=%s endpoint=%s", web.client_ip(), request.endpoint)
    minutes = max(1, math.ceil(seconds / 60))
    flash(
        ngettext(
            "Too many failed attempts. Wait %(num)d minute and try again.",
            "Too many failed attempts. Wait %(num)d minutes and try again.",
            minutes,
        ),
        "danger",
    )
    response = make_response(render_template(template, **context), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


def _finish_login(user: User, remember: bool, next_url: str | None):
    services.record_login(db.session, user=user, ip=web.client_ip())
    remember = remember and services.remember_allowed(db.session, user)
    db.session.commit()
    throttle().succeeded("login", user.username)
    sessions.start_session(user, remember=remember)
    if user.must_change_password:
        flash(_("Please choose a new password before you continue."), "warning")
        target = url_for("accounts.change_password")
    elif not user.totp_enabled and services.totp_required(db.session, user):
        flash(_("Your role requires a second factor. Please set it up now."), "warning")
        target = url_for("accounts.totp_setup")
    else:
        target = _safe_next(next_url) if next_url else nav.home_url(user)
    return sessions.remember_device(redirect(target), user)


def _login_failed(form: LoginForm, name: str, ip: str, wait: int):
    db.session.commit()  # the audit event, before the shared counters
    guard = throttle()
    if wait:  # tried during the delay: counts against the address, the delay stays as it is
        guard.failed("login", ip, name, count_name=False)
        return _throttled("accounts/login.html", wait, form=form)
    if (delay := guard.failed("login", ip, name)) == guard.first_delay:
        services.record_throttled(db.session, username=name, seconds=delay, ip=ip)
        db.session.commit()
    flash(_("Wrong username or password."), "danger")
    return render_template("accounts/login.html", form=form), 401


@bp.route("/auth/login", methods=["GET", "POST"])
@access.public
def login():
    if current_user.is_authenticated:
        return redirect(nav.home_url(current_user))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 422 if form.errors else 200
    name, ip, guard = form.username.data.strip(), web.client_ip(), throttle()
    if blocked := guard.source_wait("login", ip, name):
        return _throttled("accounts/login.html", blocked, form=form)
    wait = guard.wait_seconds("login", name)
    user = services.check_login(db.session, username=name, password=form.password.data, ip=ip)
    if user is None:
        return _login_failed(form, name, ip, wait)
    if wait and not user.totp_enabled and not sessions.known_device(user):
        # During the delay only a second factor, or a browser the owner signed in from
        # before, gets through: otherwise the answer is the one a wrong password gets.
        db.session.rollback()
        return _throttled("accounts/login.html", wait, form=form)
    remember = bool(form.remember.data)
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
    ip, key, guard = web.client_ip(), f"user-{user.id}", throttle()
    if wait := guard.source_wait("2fa", ip, key) or guard.wait_seconds("2fa", key):
        return _throttled("accounts/two_factor.html", wait, form=form)
    if not services.verify_second_factor(db.session, user=user, code=form.code.data, ip=ip):
        db.session.rollback()
        guard.failed("2fa", ip, key)
        flash(_("The code is wrong or was already used."), "danger")
        return render_template("accounts/two_factor.html", form=form), 401
    response = _finish_login(user, bool(session.get(REMEMBER)), session.get(NEXT))
    guard.succeeded("2fa", key)  # after the commit: SQLite has one writer at a time
    return response


@bp.post("/auth/logout")
@access.signed_in
def logout():
    user = current_user._get_current_object()
    # Server-side: a copied session cookie or remember-me token is worthless from now on.
    services.end_all_sessions(db.session, user=user, actor=user, ip=web.client_ip())
    db.session.commit()
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
