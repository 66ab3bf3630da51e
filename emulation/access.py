"""Every view declares who may reach it; the declaration is also enforced here.

    @bp.get("/")
    @access.public
    def home(): ...

    @bp.get("/periods")
    @access.roles(Role.ADMIN)          # any grant of these roles, anywhere
    def periods(): ...                 # object scope is then checked with authz.require

    @bp.post("/logout")
    @access.signed_in
    def logout(): ...

The authorization matrix test reads `view.access_rule` of every registered endpoint and
fails for any endpoint without one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from emulation.accounts.models import Role


@dataclass(frozen=True)
class AccessRule:
    kind: str  # "public" | "signed_in" | "roles"
    roles: frozenset[Role] = field(default_factory=frozenset)


def public(view: Callable) -> Callable:
    view.access_rule = AccessRule("public")  # type: ignore[attr-defined]
    return view


def signed_in(view: Callable) -> Callable:
    from emulation.extensions import login_manager

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    guarded.access_rule = AccessRule("signed_in")  # type: ignore[attr-defined]
    return guarded


def roles(*allowed: Role) -> Callable[[Callable], Callable]:
    from emulation.accounts import authz
    from emulation.extensions import login_manager

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not authz.has_role(current_user, allowed):
                authz.note_denial(current_user, "role:" + ",".join(sorted(allowed)), None, 403)
                abort(403)
            return view(*args, **kwargs)

        guarded.access_rule = AccessRule("roles", frozenset(allowed))  # type: ignore[attr-defined]
        return guarded

    return decorator
