"""Password hashing (argon2id, OWASP parameters) and the password policy."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import lazy_gettext as _l

# OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_LENGTH = 8
MAX_LENGTH = 128


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return HASHER.check_needs_rehash(stored_hash)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = resources.files("emulation.data").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str, username: str = "") -> str | None:
    """A translated reason the password is refused, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return str(_l("Password must be at least %(n)d characters long.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Password must be at most %(n)d characters long.", n=MAX_LENGTH))
    lowered = password.lower()
    if lowered in common_passwords():
        return str(_l("This password is too common; choose another."))
    if username and lowered == username.lower():
        return str(_l("Password must not be your username."))
    return None
