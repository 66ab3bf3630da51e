"""The signed-in session: start, idle and absolute timeouts, and the gates that keep a user on
the password-change or second-factor enrolment page until it is done."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user, user_loaded_from_cookie
from itsdangerous import BadData, URLSafeTimedSerializer

from emulation.accounts.models import User
from emulation.extensions import login_manager

LOGIN_AT = "_login_at"
SEEN_AT = "_seen_at"
PENDING = "_2fa_user"  # "id:session_version" of a user who passed the password step
PENDING_AT = "_2fa_at"
PENDING_SECONDS = 300

# Endpoints reachable while a gate is up (the gate's own page, sign-out, static files).
ALWAYS_OPEN = frozenset({"static", "accounts.logout", "public.healthz"})
PASSWORD_GATE = ALWAYS_OPEN | {"accounts.change_password"}
TOTP_GATE = ALWAYS_OPEN | {"accounts.totp_setup"}


# C0 and C1 control characters and DEL: browsers drop some (a tab, CR, LF) from URLs, so
# "/\t/evil.example" would become "//evil.example"; CR/LF must never reach a header.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def safe_next(target: str | None) -> str | None:
    """`target` as a path on this site (the normalised form), or None if it leads elsewhere."""
    if not target:
        return None
    cleaned = _CONTROL.sub("", target).strip()
    if "\\" in cleaned:  # browsers read a backslash as a slash
        return None
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return None
    # "///x" splits into an empty host and the path "/x", yet browsers open host "x".
    if not cleaned.startswith("/") or cleaned.startswith("//"):
        return None
    return cleaned


# A browser the owner completed a sign-in from: exempt from the per-name delays that
# strangers' failures cause (accounts/throttle.py). It proves nothing else.
DEVICE_COOKIE = "known_device"
DEVICE_DAYS = 180


def _device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-device")


def remember_device(response: Response, user: User) -> Response:
    """Mark this browser as one `user` signs in from."""
    response.set_cookie(
        DEVICE_COOKIE,
        _device_signer().dumps(user.id),
        max_age=DEVICE_DAYS * 86400,
        path="/auth/",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
    return response


def known_device(user: User) -> bool:
    """True if `user` completed a sign-in from this browser (within DEVICE_DAYS)."""
    token = request.cookies.get(DEVICE_COOKIE)
    if not token:
        return False
    try:
        return _device_signer().loads(token, max_age=DEVICE_DAYS * 86400) == user.id
    except BadData:
        return False


def start_session(user: User, remember: bool = False) -> None:
    """A fresh session (no fixation) holding the signed-in user."""
    lang = session.get("lang")
    session.clear()
    login_user(user, remember=remember)
    now = int(time.time())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    if lang:
        session["lang"] = lang


def end_session() -> None:
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang


def begin_second_factor(user: User) -> None:
    lang = session.get("lang")
    session.clear()
    session[PENDING] = user.get_id()
    session[PENDING_AT] = int(time.time())
    if lang:
        session["lang"] = lang


def pending_user() -> User | None:
    """The user waiting for their second factor, if the password step was recent."""
    from emulation.accounts.views import load_user

    ident, started = session.get(PENDING), session.get(PENDING_AT, 0)
    if not ident or time.time() - started > PENDING_SECONDS:
        return None
    return load_user(ident)


def _expired() -> bool:
    now = time.time()
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        return True
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    return now - seen_at > idle or now - login_at > absolute


def _gate():
    if request.endpoint is None or not current_user.is_authenticated:
        return None
    if session.get("_fresh") is False and LOGIN_AT not in session:
        # Restored from a "remember me" cookie: a new session starts now.
        session[LOGIN_AT] = session[SEEN_AT] = int(time.time())
    if _expired():
        end_session()
        flash(_("Your session has expired. Please sign in again."), "warning")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    session[SEEN_AT] = int(time.time())
    if current_user.must_change_password and request.endpoint not in PASSWORD_GATE:
        return redirect(url_for("accounts.change_password"))
    if request.endpoint not in TOTP_GATE and not current_user.totp_enabled:
        from emulation.accounts.services import totp_required
        from emulation.extensions import db

        if totp_required(db.session, current_user):
            return redirect(url_for("accounts.totp_setup"))
    return None


def _audit_denial(response):
    denied = g.pop("authz_denied", None)
    if denied is None or response.status_code != 403:
        return response
    from emulation import web
    from emulation.audit import services as audit
    from emulation.extensions import db

    db.session.rollback()  # a refused request changes nothing but the audit log
    user = current_user if current_user.is_authenticated else None
    audit.record(db.session, user, "authz.denied", after=denied, ip=web.client_ip())
    db.session.commit()
    return response


def _restored_from_cookie(_app, user: User) -> None:
    # Flask-Login leaves the session identifier out when it restores a "remember me" session;
    # strong session protection would then end that session on its very next request.
    session["_id"] = login_manager._session_identifier_generator()


def init_app(app: Flask) -> None:
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=app.config.get("REMEMBER_DAYS", 30))
    user_loaded_from_cookie.connect(_restored_from_cookie, app)
    app.before_request(_gate)
    app.after_request(_audit_denial)
