"""Account services: sign-in, lockout, password change and the second factor."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from emulation.accounts import totp
from emulation.accounts.models import RecoveryCode, Role, RoleGrant, RolePolicy, User
from emulation.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from emulation.audit import services as audit
from emulation.db import utcnow
from emulation.errors import InvalidInput
from emulation.org.models import Unit

# Verifying against a dummy hash keeps the time of "no such user" equal to "wrong password".
_DUMMY_HASH = hash_password("dummy-password-for-timing")


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = find_user(session, username.strip())
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def check_login(session: Session, *, username: str, password: str, ip: str = "") -> User | None:
    """The user with these credentials (hash upgraded if due), or None with the failure audited.

    There is no lockout: repeated failures slow the name down (accounts/throttle.py), so a
    stranger can neither shut an owner out nor learn whether a name exists."""
    user = authenticate(session, username, password)
    if user is None:
        audit.record(
            session,
            None,
            "auth.login_failed",
            find_user(session, username.strip()),
            object_type="User",
            after={"username": username[:80]},
            ip=ip,
        )
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_throttled(session: Session, *, username: str, seconds: int, ip: str = "") -> None:
    """Sign-in attempts on `username` are now delayed (audited whether or not it exists)."""
    audit.record(
        session,
        None,
        "auth.throttled",
        find_user(session, username.strip()),
        object_type="User",
        after={"username": username[:80], "delay_seconds": seconds},
        ip=ip,
    )


def record_login(session: Session, *, user: User, ip: str = "") -> None:
    """A completed sign-in (after the second factor, when there is one)."""
    user.last_login_at = utcnow()
    audit.record(session, user, "auth.login", user, ip=ip)


def end_all_sessions(session: Session, *, user: User, actor: User, ip: str = "") -> None:
    """End every session and remember-me token of `user` (sign-out, or an admin's order)."""
    from emulation.accounts import authz

    if actor.id != user.id:
        authz.require(actor, "administer", user)
    user.session_version += 1
    action = "auth.logout" if actor.id == user.id else "user.signed_out_everywhere"
    audit.record(session, actor, action, user, ip=ip)


def remember_allowed(session: Session, user: User) -> bool:
    """ "Remember me" would skip the second factor, so accounts that have one never get it."""
    return not user.totp_enabled and not totp_required(session, user)


def totp_required(session: Session, user: User) -> bool:
    """True if one of the user's roles requires a second factor (set by an admin)."""
    roles = user.roles()
    if not roles:
        return False
    return bool(
        session.scalar(
            select(func.count())
            .select_from(RolePolicy)
            .where(RolePolicy.role.in_(roles), RolePolicy.require_totp.is_(True))
        )
    )


def set_password(user: User, password: str, *, must_change: bool) -> None:
    """Store a new hash and end every other session of the user."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.must_change_password = must_change
    user.session_version += 1


def change_password(session: Session, *, user: User, current: str, new: str, ip: str = "") -> None:
    """The user changes their own password (also ends their other sessions)."""
    if not verify_password(user.password_hash, current):
        raise InvalidInput(_("The current password is wrong."))
    if problem := password_problem(new, user.username):
        raise InvalidInput(problem)
    if verify_password(user.password_hash, new):
        raise InvalidInput(_("The new password must differ from the current one."))
    set_password(user, new, must_change=False)
    audit.record(session, user, "user.password_changed", user, ip=ip)


def enable_totp(session: Session, *, user: User, secret: str, code: str, ip: str = "") -> list[str]:
    """Turn on the second factor after a correct code; returns the recovery codes (once)."""
    step = totp.matching_step(secret, code, None)
    if step is None:
        raise InvalidInput(_("The code is wrong or has expired. Try the newest code."))
    user.totp_secret = secret
    user.totp_enabled = True
    user.totp_last_step = step
    codes = totp.new_recovery_codes()
    user.recovery_codes.clear()
    session.flush()
    user.recovery_codes.extend(RecoveryCode(code_hash=totp.hash_recovery_code(c)) for c in codes)
    audit.record(session, user, "user.totp_enabled", user, ip=ip)
    return codes


def verify_second_factor(session: Session, *, user: User, code: str, ip: str = "") -> bool:
    """Accept a fresh TOTP code or an unused recovery code (which is then spent).

    Parallel requests may all have read the same "last used step": each claims the step (or
    the recovery code) with one conditional UPDATE, and only the first one's matches a row."""
    if not user.totp_enabled or not user.totp_secret:
        return False
    step = totp.matching_step(user.totp_secret, code, user.totp_last_step)
    if step is not None and totp.claim_step(session, user, step):
        return True
    wanted = totp.hash_recovery_code(code)
    for recovery in user.recovery_codes:
        if recovery.code_hash == wanted and totp.spend_recovery_code(session, recovery):
            left = session.scalar(
                select(func.count())
                .select_from(RecoveryCode)
                .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
            )
            audit.record(
                session, user, "user.recovery_code_used", user, after={"left": left}, ip=ip
            )
            return True
    return False


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    full_name: str = "",
    email: str | None = None,
    grants: list[tuple[Role, Unit]] = (),
    home_unit: Unit | None = None,
    must_change_password: bool = False,
    check_policy: bool = True,
    granted_by: User | None = None,
) -> User:
    """Create a user with the given role grants."""
    if find_user(session, username) is not None:
        raise InvalidInput(_("The username %(name)s is already taken.", name=username))
    if check_policy and (problem := password_problem(password, username)):
        raise InvalidInput(problem)
    user = User(
        username=username,
        full_name=full_name,
        email=email or None,
        password_hash=hash_password(password),
        must_change_password=must_change_password,
        password_changed_at=utcnow(),
        home_unit=home_unit,
    )
    session.add(user)
    for role, unit in grants:
        user.grants.append(RoleGrant(role=role, scope_unit=unit, granted_by=granted_by))
    session.flush()
    return user
