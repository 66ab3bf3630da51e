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
# Strength: at least MIN_KINDS kinds of character (lower-case, upper-case, digits, other)
# and MIN_DISTINCT different characters, or a phrase of PHRASE_LENGTH characters or more
# with PHRASE_DISTINCT different ones ("correct horse battery").
MIN_KINDS = 3
MIN_DISTINCT = 5
PHRASE_LENGTH = 15
PHRASE_DISTINCT = 8


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


def character_kinds(password: str) -> int:
    """How many of lower-case, upper-case, digits and other characters the password uses."""
    kinds = [str.islower, str.isupper, str.isdigit]
    used = {i for ch in password for i, test in enumerate(kinds) if test(ch)}
    others = any(not (ch.islower() or ch.isupper() or ch.isdigit()) for ch in password)
    return len(used) + int(others)


def strong_enough(password: str) -> bool:
    """Mixed enough, or a long enough phrase; repeats of a few characters never pass."""
    distinct = len(set(password.lower()))
    if len(password) >= PHRASE_LENGTH and distinct >= PHRASE_DISTINCT:
        return True
    return character_kinds(password) >= MIN_KINDS and distinct >= MIN_DISTINCT


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
    if not strong_enough(password):
        return str(
            _l(
                "Password too weak: mix at least 3 kinds of characters (lower-case, upper-case,"
                " digits, symbols) without repeating a few of them, or use a phrase of at"
                " least %(n)d characters.",
                n=PHRASE_LENGTH,
            )
        )
    return None
