"""The one place that answers "may user U do action A on object O?" — and "which rows of a
list may U see?" (`scope_filter`).

A grant (role, scope unit) covers the scope unit's whole subtree. Views and services call
`can`/`require`/`get_or_404`; a denied object is reported as 404 when the user may not even
see it (no existence leak) and 403 when they can see it but not act on it. Campaigns,
periods and criteria belong to no unit: they are national, managed by national admins."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement

from emulation.accounts.models import Role, User
from emulation.errors import NotAllowed, NotFound
from emulation.org.models import Unit, in_subtree, subtree_clause

log = logging.getLogger(__name__)

# Which roles allow which action on a unit (or an object belonging to a unit).
ACTION_ROLES: dict[str, frozenset[Role]] = {
    "view": frozenset(Role),
    "self_assess": frozenset({Role.UNIT_HEAD}),
    "score": frozenset({Role.BOARD_MEMBER, Role.BOARD_CHAIR}),
    "publish": frozenset({Role.BOARD_CHAIR, Role.ADMIN}),
    "administer": frozenset({Role.ADMIN}),
}


def is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def grants(user: Any, roles: Iterable[Role] | None = None) -> list:
    if not is_authenticated(user):
        return []
    wanted = set(roles) if roles is not None else None
    return [g for g in user.grants if wanted is None or g.role in wanted]


def has_role(user: Any, role: Role | Iterable[Role], unit: Unit | None = None) -> bool:
    """True if the user holds the role(s) over `unit` (or anywhere, when unit is None)."""
    roles = {role} if isinstance(role, Role) else set(role)
    for grant in grants(user, roles):
        if unit is None or in_subtree(unit.path, grant.scope_unit.path):
            return True
    return False


def scope_paths(user: Any, roles: Iterable[Role]) -> list[str]:
    """Subtree paths the user holds any of `roles` over (for filtering queries by prefix)."""
    return sorted({g.scope_unit.path for g in grants(user, roles)})


def scope_filter(user: Any, roles: Iterable[Role], column: Any = None) -> ColumnElement[bool]:
    """SQL condition: `column` (a unit path, default `Unit.path`) lies in a subtree the user
    holds one of `roles` over. Unit codes may contain `_` and `%`: they match only themselves."""
    return subtree_clause(Unit.path if column is None else column, scope_paths(user, roles))


def is_national(user: Any, roles: Iterable[Role] = (Role.ADMIN,)) -> bool:
    """True if the user holds one of `roles` over the root (a national admin by default)."""
    return any(g.scope_unit.parent_id is None for g in grants(user, roles))


def is_admin(user: Any) -> bool:
    """True if the user administers any unit (the admin pages' menu entries)."""
    return has_role(user, Role.ADMIN)


# Stands for national objects in checks that have no object at hand ("may U create a
# campaign?"): `can(user, "administer", NATIONAL)`.
NATIONAL = object()


def unit_of(obj: Any) -> Unit | None:
    """The unit an object belongs to, for scope checks (None: a national object)."""
    if isinstance(obj, Unit):
        return obj
    for attr in ("unit", "scope_unit", "owner_unit"):
        unit = getattr(obj, attr, None)
        if isinstance(unit, Unit):
            return unit
    # Objects that belong to a unit through their parent (a board member, evidence, a score).
    for attr in ("board", "assessment", "sheet", "cluster"):
        parent = getattr(obj, attr, None)
        if parent is not None:
            return unit_of(parent)
    return None


def _covers_units(user: Any, roles: Iterable[Role], units: list[Unit], every: bool) -> bool:
    if not units:
        return is_national(user, roles)
    test = all if every else any
    return test(has_role(user, roles, unit) for unit in units)


def _can_on_user(user: Any, action: str, target: User) -> bool:
    """Accounts: seen by admins covering any of the account's units, managed only by admins
    covering all of them (a province admin must never reset a national admin's password)."""
    if action == "view" and is_authenticated(user) and user.id == target.id:
        return True
    units = target.scope_units()
    if action == "view":
        return _covers_units(user, [Role.ADMIN], units, every=False)
    roles = ACTION_ROLES[action]
    return Role.ADMIN in roles and _covers_units(user, [Role.ADMIN], units, every=True)


def can(user: Any, action: str, obj: Any = None) -> bool:
    roles = ACTION_ROLES.get(action)
    if roles is None:
        raise ValueError(f"unknown action {action!r}")
    if isinstance(obj, User):
        return _can_on_user(user, action, obj)
    unit = unit_of(obj) if obj is not None else None
    if obj is not None and unit is None:
        # Objects without a unit (campaigns, periods) are national: any grant of the role
        # over the root, or for viewing, any grant at all.
        if action == "view":
            return bool(grants(user))
        return is_national(user, roles)
    return has_role(user, roles, unit)


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise NotFound if the user cannot see `obj`, NotAllowed if they cannot act on it."""
    if can(user, action, obj):
        return
    if obj is not None and not can(user, "view", obj):
        note_denial(user, action, obj, 404)
        raise NotFound()
    note_denial(user, action, obj, 403)
    raise NotAllowed()


def get_or_404(model: type, ident: int, action: str = "view") -> Any:
    """Load `model` by id for the current user: 404 if absent or unseen, 403 if not allowed."""
    from flask_login import current_user

    from emulation.extensions import db

    obj = db.session.get(model, ident)
    if obj is None:
        raise NotFound()
    require(current_user, action, obj)
    return obj


def note_denial(user: Any, action: str, obj: Any, status: int) -> None:
    """Log a denial; a 403 also becomes an `authz.denied` audit event after the request."""
    who = getattr(user, "username", None) or "anonymous"
    what = f"{type(obj).__name__}:{getattr(obj, 'id', '')}" if obj is not None else "-"
    log.warning("authz denied %s: user=%s action=%s object=%s", status, who, action, what)
    from flask import g, has_request_context

    if status == 403 and has_request_context():
        g.authz_denied = {"action": action, "object": what}
