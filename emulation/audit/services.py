"""Record and verify the hash-chained audit log.

Each event's hash covers its own content and the previous event's hash, so editing or
deleting any past row breaks every later link; `verify_chain` finds the first break. Deleting
the *newest* rows leaves a chain that links perfectly, so the head (count + newest hash) is
anchored in `audit_head`, updated in the same transaction as every append, and written to the
application log after each commit; a chain shorter than its head is reported as truncated."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, func, or_, select, text
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from emulation.audit.models import AuditCheck, AuditEvent, AuditHead
from emulation.db import utcnow

GENESIS = "0" * 64
_CHAIN_LOCK = 7_201_901  # advisory lock key that serialises appends on PostgreSQL
HEAD_ID = 1
log = logging.getLogger("emulation.audit")
log.setLevel(logging.INFO)


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


def _claim_head(session: Session) -> AuditHead:
    """Lock the chain's head for this transaction (creating it on first use) and return it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})
    session.flush()
    # Writing the head row first takes SQLite's write lock (PostgreSQL's row lock) before the
    # head is read, so two transactions can never both extend the same head.
    claimed = session.execute(text("UPDATE audit_head SET count = count WHERE id = 1"))
    if not claimed.rowcount:
        session.execute(text(_CREATE_HEAD), {"genesis": GENESIS})
    return session.get(AuditHead, HEAD_ID, populate_existing=True)


# The head of a database that has none yet: whatever chain is there (the migration does the
# same for existing databases). `WHERE 1 = 1` lets SQLite parse ON CONFLICT after a SELECT.
_CREATE_HEAD = """
INSERT INTO audit_head (id, count, last_id, hash, at)
SELECT 1, COUNT(*), COALESCE(MAX(id), 0),
       COALESCE((SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1), :genesis), MAX(at)
FROM audit_event WHERE 1 = 1
ON CONFLICT (id) DO NOTHING
"""


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
    """Append one event to the chain and move the head (in the caller's transaction)."""
    head = _claim_head(session)
    if obj is not None and object_type is None:
        object_type = type(obj).__name__
    if obj is not None and object_id is None:
        object_id = getattr(obj, "id", None)
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
        prev_hash=head.hash,
    )
    event.hash = event_hash(event)
    session.add(event)
    session.flush()
    head.count, head.last_id, head.hash, head.at = head.count + 1, event.id, event.hash, event.at
    session.flush()
    session.info["audit_head"] = (head.count, head.last_id, head.hash)
    return event


@sa_event.listens_for(Session, "after_commit")
def _log_head(session: Session) -> None:
    # The head also goes to the application log, outside the database: a truncation that
    # rewrote the head row still disagrees with the last logged head.
    head = session.info.pop("audit_head", None)
    if head is not None:
        log.info("audit head: count=%d last_id=%d hash=%s", *head)


@sa_event.listens_for(Session, "after_soft_rollback")
def _forget_head(session: Session, _previous) -> None:
    session.info.pop("audit_head", None)


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
    broken_at: int | None = None  # id of the first event that does not verify
    problem: str = ""  # "", "edited", "link", "truncated", "extended", "no_head"
    last_id: int = 0  # the newest event verified
    last_at: datetime | None = None
    head_count: int = 0
    head_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.problem


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the whole log in id order, check every hash and link, then the head."""
    prev, checked, last_id, last_at = GENESIS, 0, 0, None
    columns = AuditEvent.__table__.c
    while True:
        rows = session.execute(
            select(columns).where(columns.id > last_id).order_by(columns.id).limit(batch)
        ).all()
        if not rows:
            break
        for row in rows:
            if event_hash(row) != row.hash:
                return ChainReport(checked, row.id, "edited", last_id, last_at)
            if row.prev_hash != prev:
                return ChainReport(checked, row.id, "link", last_id, last_at)
            prev, checked, last_id, last_at = row.hash, checked + 1, row.id, row.at
    return _against_head(session, ChainReport(checked, None, "", last_id, last_at), prev)


def _against_head(session: Session, report: ChainReport, last_hash: str) -> ChainReport:
    """A chain that links perfectly can still be short (its newest events deleted)."""
    head = session.execute(select(AuditHead.count, AuditHead.hash).where(AuditHead.id == 1)).first()
    if head is None:
        problem = "no_head" if report.checked else ""
        return replace(report, problem=problem)
    fields = {"head_count": head.count, "head_hash": head.hash}
    if report.checked < head.count:
        return replace(report, problem="truncated", **fields)
    if report.checked > head.count or last_hash != head.hash:
        return replace(report, problem="extended", **fields)
    return replace(report, **fields)


def anchor_matches(session: Session, anchor: str) -> bool:
    """Whether the chain's COUNT-th event has HASH (`COUNT:HASH`, a head line from the log)."""
    count, _sep, digest = anchor.strip().partition(":")
    if not count.isdigit() or int(count) < 1 or len(digest) < 16:
        return False
    found = session.scalar(
        select(AuditEvent.hash).order_by(AuditEvent.id).offset(int(count) - 1).limit(1)
    )
    return found is not None and found.startswith(digest.lower())


def check_and_remember(session: Session) -> AuditCheck:
    """Verify the chain and keep the result (shown on the audit page)."""
    report = verify_chain(session)
    check = AuditCheck(
        at=utcnow(),
        checked=report.checked,
        last_id=report.last_id,
        last_at=report.last_at,
        ok=report.ok,
        problem=report.problem,
        broken_at=report.broken_at,
    )
    session.add(check)
    session.flush()
    return check


PROBLEMS = {
    "edited": "its content was edited",
    "link": "the link to the previous event is broken (an event deleted or inserted)",
    "truncated": "the newest events were deleted (the chain is shorter than its head)",
    "extended": "the chain does not end at its head",
    "no_head": "events but no head record",
}


def describe_check(check: AuditCheck) -> str:
    """One line for the log and the scheduler's job record (operators read it, in English)."""
    if check.ok:
        return f"audit log OK: {check.checked} events verified up to id {check.last_id}"
    where = f" at event id {check.broken_at}" if check.broken_at is not None else ""
    why = PROBLEMS.get(check.problem, check.problem)
    return f"audit log BROKEN{where}: {why}; {check.checked} events verified"


# --- reading the log (the audit page) -------------------------------------------------------
@dataclass(frozen=True)
class EventFilter:
    """What the audit page asks for; every field optional. Times are naive UTC."""

    unit_path: str | None = None  # events in this unit's subtree
    actor: str | None = None  # username, exact (case-insensitive)
    period_id: int | None = None  # the period and the objects that belong to it
    action: str | None = None  # "period" matches every "period.*" action
    since: datetime | None = None
    until: datetime | None = None  # exclusive


@dataclass(frozen=True)
class EventPage:
    events: list[AuditEvent]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _period_clause(period_id: int) -> ColumnElement[bool]:
    from emulation.assessments.models import SelfAssessment
    from emulation.campaigns.models import Criterion
    from emulation.leaderboards.models import Snapshot
    from emulation.scoring.models import Board, ScoreSheet

    clauses = [and_(AuditEvent.object_type == "Period", AuditEvent.object_id == str(period_id))]
    for model in (Criterion, Board, ScoreSheet, SelfAssessment, Snapshot):
        ids = select(cast(model.id, String)).where(model.period_id == period_id)
        clauses.append(
            and_(AuditEvent.object_type == model.__name__, AuditEvent.object_id.in_(ids))
        )
    return or_(*clauses)


def event_conditions(scope: ColumnElement[bool] | None, wanted: EventFilter) -> list:
    """SQL conditions for `wanted` within `scope` (None: the whole log, a national admin)."""
    conditions = [] if scope is None else [scope]
    if wanted.unit_path:
        conditions.append(AuditEvent.scope_path.startswith(wanted.unit_path, autoescape=True))
    if wanted.actor:
        conditions.append(func.lower(AuditEvent.actor_name) == wanted.actor.strip().lower())
    if wanted.period_id is not None:
        conditions.append(_period_clause(wanted.period_id))
    if wanted.action:
        action = wanted.action.strip()
        conditions.append(
            or_(
                AuditEvent.action == action,
                AuditEvent.action.startswith(f"{action}.", autoescape=True),
            )
        )
    if wanted.since is not None:
        conditions.append(AuditEvent.at >= wanted.since)
    if wanted.until is not None:
        conditions.append(AuditEvent.at < wanted.until)
    return conditions


def search_events(
    session: Session,
    *,
    scope: ColumnElement[bool] | None,
    wanted: EventFilter,
    page: int = 1,
    per_page: int = 50,
) -> EventPage:
    """One page of matching events, newest first; counted and paginated in SQL."""
    conditions = event_conditions(scope, wanted)
    total = session.scalar(select(func.count(AuditEvent.id)).where(*conditions)) or 0
    page = max(1, min(page, max(1, -(-total // per_page))))
    events = session.scalars(
        select(AuditEvent)
        .where(*conditions)
        .order_by(AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return EventPage(list(events), total, page, per_page)


def iter_events(session: Session, *, scope, wanted: EventFilter, limit: int, batch: int = 1000):
    """Matching events newest first, read in batches (for the CSV export)."""
    conditions = event_conditions(scope, wanted)
    last_id, sent = None, 0
    while sent < limit:
        query = select(AuditEvent).where(*conditions).order_by(AuditEvent.id.desc())
        if last_id is not None:
            query = query.where(AuditEvent.id < last_id)
        rows = session.scalars(query.limit(min(batch, limit - sent))).all()
        if not rows:
            return
        yield from rows
        sent, last_id = sent + len(rows), rows[-1].id


def known_actions(session: Session) -> list[str]:
    """Every action name in the log (for the filter's suggestions)."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def latest_check(session: Session) -> AuditCheck | None:
    return session.scalar(select(AuditCheck).order_by(AuditCheck.id.desc()).limit(1))


def changed_fields(event: AuditEvent) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for every key of the event's before/after, in key order."""
    before, after = event.before or {}, event.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", before, after)]
    keys = sorted(set(before) | set(after))
    return [(k, before.get(k), after.get(k)) for k in keys]


def json_text(value: Any) -> str:
    """A before/after value as compact JSON text (for the CSV export)."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
