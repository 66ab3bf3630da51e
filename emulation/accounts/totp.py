"""TOTP second factor (RFC 6238, 30-second steps) and single-use recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from sqlalchemy import or_, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from emulation.accounts.models import RecoveryCode, User
from emulation.db import utcnow

ISSUER = "Emulation"
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (0/o, 1/l/i)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG (no inline style or script, so CSP is happy)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#111", light="#fff")


def manual_key(secret: str) -> str:
    """The secret in groups of four, easier to type into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, after_step: int | None, now: float | None = None):
    """The time step a code belongs to (current one or a neighbour), if newer than the last used.

    Returning the step lets the caller store it, so the same code is never accepted twice."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    now = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def claim_step(session: Session, user: User, step: int) -> bool:
    """Record `step` as used unless this or a later step already was (atomically)."""
    newer = or_(User.totp_last_step.is_(None), User.totp_last_step < step)
    result = session.execute(
        update(User)
        .where(User.id == user.id, newer)
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def spend_recovery_code(session: Session, recovery: RecoveryCode) -> bool:
    """Mark the code used unless another request already did (atomically)."""
    now = utcnow()
    result = session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == recovery.id, RecoveryCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    set_committed_value(recovery, "used_at", now)
    return True


def new_recovery_codes() -> list[str]:
    def one() -> str:
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        return f"{raw[:5]}-{raw[5:]}"

    return [one() for _ in range(RECOVERY_CODE_COUNT)]


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def hash_recovery_code(code: str) -> str:
    # Codes carry ~49 bits of randomness each: a plain SHA-256 is enough and keeps a login
    # from running ten slow password hashes.
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()
