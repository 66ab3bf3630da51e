"""Account services: authentication and user creation."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from emulation.accounts.models import Role, RoleGrant, User
from emulation.accounts.passwords import hash_password, password_problem, verify_password
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


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    full_name: str = "",
    grants: list[tuple[Role, Unit]] = (),
    must_change_password: bool = False,
    check_policy: bool = True,
) -> User:
    """Create a user with the given role grants."""
    if find_user(session, username) is not None:
        raise InvalidInput(f"username {username!r} is taken")
    if check_policy and (problem := password_problem(password, username)):
        raise InvalidInput(problem)
    user = User(
        username=username,
        full_name=full_name,
        password_hash=hash_password(password),
        must_change_password=must_change_password,
        password_changed_at=utcnow(),
    )
    session.add(user)
    for role, unit in grants:
        user.grants.append(RoleGrant(role=role, scope_unit=unit))
    session.flush()
    return user
