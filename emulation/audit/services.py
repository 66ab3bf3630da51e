"""Record and verify the hash-chained audit log.

Each event's hash covers its own content and the previous event's hash, so editing or
deleting any past row breaks every later link; `verify_chain` finds the first break."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from emulation.audit.models import AuditEvent
from emulation.db import utcnow

GENESIS = "0" * 64
_CHAIN_LOCK = 7_201_901  # advisory lock key that serialises appends on PostgreSQL


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def event_hash(event: AuditEvent) -> str:
    payload = {
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "scope_path": event.scope_path,
        "before": event.before,
        "after": event.after,
        "ip": event.ip,
        "prev_hash": event.prev_hash,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def record(
    session: Session,
    actor: Any,
    action: str,
    obj: Any = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    ip: str = "",
    scope_path: str = "",
    object_type: str | None = None,
    object_id: str | int | None = None,
) -> AuditEvent:
    """Append one event to the chain (in the caller's transaction)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})
    session.flush()
    if obj is not None and object_type is None:
        object_type = type(obj).__name__
    if obj is not None and object_id is None:
        object_id = getattr(obj, "id", None)
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", "") or ("system" if actor is None else str(actor)),
        action=action,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        scope_path=scope_path,
        before=_canonical(before),
        after=_canonical(after),
        ip=ip or "",
        prev_hash=prev or GENESIS,
    )
    event.hash = event_hash(event)
    session.add(event)
    session.flush()
    return event


def object_history(session: Session, obj: Any, *, limit: int = 10) -> list[AuditEvent]:
    """The newest events about one object, newest first."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.object_type == type(obj).__name__,
                AuditEvent.object_id == str(obj.id),
            )
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None  # id of the first event whose link or content does not verify

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the whole log in id order and check every hash and link."""
    prev, checked, last_id = GENESIS, 0, 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return ChainReport(checked, None)
        for event in rows:
            if event.prev_hash != prev or event_hash(event) != event.hash:
                return ChainReport(checked, event.id)
            prev, checked, last_id = event.hash, checked + 1, event.id
        session.expunge_all()
