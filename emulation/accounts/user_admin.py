"""User administration within an admin's scope: accounts, role grants, resets, policies.

Rules: an admin acts only on accounts whose every unit lies in their admin scope, grants
only over units in that scope, and never changes their own grants or deactivates themselves."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from emulation.accounts import authz
from emulation.accounts.models import Role, RoleGrant, RolePolicy, User
from emulation.accounts.passwords import strong_enough
from emulation.accounts.services import create_user, find_user, set_password
from emulation.audit import services as audit
from emulation.errors import InvalidInput, NotAllowed
from emulation.org.models import Unit
from emulation.org.validation import CONTROL_RE

PAGE_SIZE = 50
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password() -> str:
    """A random initial password (14 characters, no look-alikes), shown to the admin once."""
    while True:  # a draw of only one letter case (rare) would fail the strength rule
        raw = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(12))
        password = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        if strong_enough(password):
            return password


def user_state(user: User) -> dict:
    """The audited state of an account (never its password or second-factor secret)."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "active": user.active,
        "home_unit": user.home_unit.code if user.home_unit else None,
        "must_change_password": user.must_change_password,
        "totp_enabled": user.totp_enabled,
        "grants": sorted(f"{g.role.value}@{g.scope_unit.code}" for g in user.grants),
    }


def users_query(actor: User, search: str = "") -> Select:
    """Accounts the actor may see, newest first, optionally matching `search`."""
    query = select(User).order_by(User.username)
    if not authz.is_national(actor, [Role.ADMIN]):
        home = select(Unit.id).where(authz.scope_filter(actor, [Role.ADMIN]))
        granted = select(RoleGrant.user_id).where(RoleGrant.scope_unit_id.in_(home))
        query = query.where(or_(User.home_unit_id.in_(home), User.id.in_(granted)))
    if search := search.strip():
        query = query.where(
            or_(
                func.lower(User.username).contains(search.lower(), autoescape=True),
                User.full_name.icontains(search, autoescape=True),
            )
        )
    return query


def unit_in_scope(session: Session, actor: User, code: str) -> Unit:
    """The unit with this code if it lies in the actor's admin scope (else a clear refusal)."""
    unit = session.scalar(select(Unit).where(Unit.code == code.strip()))
    if unit is None or not authz.has_role(actor, Role.ADMIN, unit):
        raise InvalidInput(_("No unit with code %(code)s in your scope.", code=code.strip()))
    return unit


def _require_manage(actor: User, user: User) -> None:
    authz.require(actor, "administer", user)
    if actor.id == user.id:
        raise NotAllowed(_("You cannot change your own account here."))


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    unit_code: str
    email: str = ""
    role: Role | None = None
    password: str = ""


USERNAME_RE = re.compile(r"^[A-Za-z0-9._-]{3,80}$")  # as the "new account" form
MAX_TEXT = 200


def new_user_problems(data: NewUser) -> list[tuple[str, str]]:
    """(field, message) for each rule of the "new account" form the data breaks; the form,
    this service and the import all apply them."""
    problems: list[tuple[str, str]] = []
    if not USERNAME_RE.fullmatch(data.username.strip()):
        problems.append(
            ("username", _("A username has 3 to 80 letters without accents, digits, ., - or _."))
        )
    for field, value in (("full_name", data.full_name), ("email", data.email)):
        if len(value.strip()) > MAX_TEXT:
            problems.append((field, _("At most %(n)d characters.", n=MAX_TEXT)))
        elif CONTROL_RE.search(value):
            problems.append((field, _("Control characters are not allowed.")))
    if not data.full_name.strip():
        problems.append(("full_name", _("This value is required.")))
    return problems


def add_user(session: Session, *, actor: User, data: NewUser, ip: str = "") -> tuple[User, str]:
    """Create an account in the actor's scope; returns it and the password to show once."""
    if problems := new_user_problems(data):
        raise InvalidInput(problems[0][1])
    unit = unit_in_scope(session, actor, data.unit_code)
    password = data.password or generate_password()
    user = create_user(
        session,
        username=data.username.strip(),
        password=password,
        full_name=data.full_name.strip(),
        email=data.email.strip() or None,
        grants=[(data.role, unit)] if data.role else [],
        home_unit=unit,
        must_change_password=True,
        granted_by=actor,
    )
    audit.record(session, actor, "user.created", user, after=user_state(user), ip=ip)
    return user, password


def set_active(session: Session, *, actor: User, user: User, active: bool, ip: str = "") -> None:
    """Deactivate (every session ends at once) or reactivate an account."""
    _require_manage(actor, user)
    before = user_state(user)
    user.active = active
    if not active:
        user.session_version += 1
    action = "user.reactivated" if active else "user.deactivated"
    audit.record(session, actor, action, user, before=before, after=user_state(user), ip=ip)


def reset_password(session: Session, *, actor: User, user: User, ip: str = "") -> str:
    """A new initial password the user must change at next sign-in; returned to show once."""
    _require_manage(actor, user)
    password = generate_password()
    before = user_state(user)
    set_password(user, password, must_change=True)
    audit.record(
        session, actor, "user.password_reset", user, before=before, after=user_state(user), ip=ip
    )
    return password


def reset_totp(session: Session, *, actor: User, user: User, ip: str = "") -> None:
    """Turn the second factor off (lost phone); the user enrols again."""
    _require_manage(actor, user)
    before = user_state(user)
    user.totp_enabled, user.totp_secret, user.totp_last_step = False, None, None
    user.recovery_codes.clear()
    user.session_version += 1
    audit.record(
        session, actor, "user.totp_reset", user, before=before, after=user_state(user), ip=ip
    )


def grant_role(
    session: Session, *, actor: User, user: User, role: Role, unit_code: str, ip: str = ""
) -> RoleGrant:
    """Grant `role` over a unit of the actor's scope (never to oneself)."""
    _require_manage(actor, user)
    unit = unit_in_scope(session, actor, unit_code)
    if any(g.role is role and g.scope_unit_id == unit.id for g in user.grants):
        raise InvalidInput(_("This user already holds that role there."))
    before = user_state(user)
    grant = RoleGrant(role=role, scope_unit=unit, granted_by=actor)
    user.grants.append(grant)
    session.flush()
    audit.record(
        session,
        actor,
        "grant.created",
        grant,
        before=before,
        after=user_state(user),
        scope_path=unit.path,
        ip=ip,
    )
    return grant


def revoke_grant(session: Session, *, actor: User, grant: RoleGrant, ip: str = "") -> None:
    """Remove a grant whose scope lies in the actor's admin scope (never one's own)."""
    user = grant.user
    authz.require(actor, "view", user)
    if actor.id == user.id:
        raise NotAllowed(_("You cannot change your own account here."))
    authz.require(actor, "administer", grant.scope_unit)
    before = user_state(user)
    path = grant.scope_unit.path
    user.grants.remove(grant)
    session.flush()
    audit.record(
        session,
        actor,
        "grant.revoked",
        user,
        before=before,
        after=user_state(user),
        scope_path=path,
        ip=ip,
    )


def set_role_policy(
    session: Session, *, actor: User, role: Role, require_totp: bool, ip: str = ""
) -> None:
    """Require (or stop requiring) a second factor for a role; national admins only."""
    if not authz.is_national(actor, [Role.ADMIN]):
        raise NotAllowed(_("Only national administrators can change security policies."))
    policy = session.get(RolePolicy, role) or RolePolicy(role=role, require_totp=False)
    if policy.require_totp == require_totp:
        return
    before = {"require_totp": policy.require_totp}
    policy.require_totp = require_totp
    session.add(policy)
    session.flush()
    audit.record(
        session,
        actor,
        "role_policy.changed",
        object_type="RolePolicy",
        object_id=role.value,
        before=before,
        after={"require_totp": require_totp},
        ip=ip,
    )


def totp_required_roles(session: Session) -> set[Role]:
    """The roles whose holders must use a second factor."""
    return set(session.scalars(select(RolePolicy.role).where(RolePolicy.require_totp.is_(True))))


def username_taken(session: Session, username: str) -> bool:
    return find_user(session, username) is not None
