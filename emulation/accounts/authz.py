"""The one place that answers "may user U do action A on object O?".

A grant (role, scope unit) covers the scope unit's whole subtree. Views and services call
`can`/`require`; a denied object is reported as 404 when the user may not even see it
(no existence leak) and 403 when they can see it but not act on it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from emulation.accounts.models import Role, User
from emulation.errors import NotAllowed, NotFound
from emulation.org.models import Unit

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
        if unit is None or unit.path.startswith(grant.scope_unit.path):
            return True
    return False


def scope_paths(user: Any, roles: Iterable[Role]) -> list[str]:
    """Subtree paths the user holds any of `roles` over (for filtering queries by prefix)."""
    return sorted({g.scope_unit.path for g in grants(user, roles)})


def is_national_admin(user: Any) -> bool:
    return any(g.scope_unit.parent_id is None for g in grants(user, [Role.ADMIN]))


def unit_of(obj: Any) -> Unit | None:
    """The unit an object belongs to, for scope checks."""
    if isinstance(obj, Unit):
        return obj
    for attr in ("unit", "scope_unit"):
        unit = getattr(obj, attr, None)
        if isinstance(unit, Unit):
            return unit
    return None


def can(user: Any, action: str, obj: Any = None) -> bool:
    roles = ACTION_ROLES.get(action)
    if roles is None:
        raise ValueError(f"unknown action {action!r}")
    unit = unit_of(obj) if obj is not None else None
    if obj is not None and unit is None:
        # Objects without a unit (campaigns, periods) are national: any grant of the role
        # over the root, or for viewing, any grant at all.
        if action == "view":
            return bool(grants(user))
        return any(g.scope_unit.parent_id is None for g in grants(user, roles))
    return has_role(user, roles, unit)


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise NotFound if the user cannot see `obj`, NotAllowed if they cannot act on it."""
    if can(user, action, obj):
        return
    if obj is not None and not can(user, "view", obj):
        raise NotFound()
    raise NotAllowed()


def user_label(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or user.username
