"""What the public sees right now: the public periods and the snapshot shown for each.

Looked up at most once every `PUBLIC_STATE_TTL` seconds per process (a few seconds in
production, 0 in tests), so a conditional request or a page already rendered costs no query:
a new snapshot shows within that many seconds."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from emulation.campaigns.models import Campaign, Period
from emulation.extensions import db
from emulation.leaderboards.models import Snapshot
from emulation.leaderboards.queries import PUBLIC_STATUSES


@dataclass(frozen=True)
class ShownPeriod:
    """A public period and the snapshot readers see for it (None before the first one)."""

    id: int
    code: str
    version: int
    status: str
    starts_on: date
    campaign_key: tuple  # (campaign starts on, campaign id): the oldest campaign wins a code
    campaign_version: int
    snapshot_id: int | None = None
    computed_at: datetime | None = None
    inputs_hash: str | None = None
    official: bool = False

    @property
    def parts(self) -> tuple:
        """What a response about this period depends on, for cache keys and ETags."""
        return (self.id, self.version, self.campaign_version, self.snapshot_id, self.inputs_hash)


@dataclass(frozen=True)
class PublicState:
    periods: tuple[ShownPeriod, ...]  # newest first, as `queries.public_periods`
    fingerprint: str

    def period(self, code: str) -> ShownPeriod | None:
        found = [p for p in self.periods if p.code == code]
        return min(found, key=lambda p: p.campaign_key) if found else None

    @property
    def last_modified(self) -> datetime | None:
        stamps = [p.computed_at for p in self.periods if p.computed_at is not None]
        return max(stamps) if stamps else None


def load_public_state(session: Session) -> PublicState:
    """Two small queries: the public periods, and the snapshot shown for each."""
    periods = session.execute(
        select(
            Period.id,
            Period.code,
            Period.version,
            Period.status,
            Period.starts_on,
            Campaign.starts_on,
            Campaign.id,
            Campaign.version,
        )
        .join(Campaign, Campaign.id == Period.campaign_id)
        .where(Period.status.in_(PUBLIC_STATUSES))
        .order_by(Period.starts_on.desc(), Period.id.desc())
    ).all()
    shown = _shown_snapshots(session)
    items = []
    for pid, code, version, status, starts_on, c_starts, c_id, c_version in periods:
        snap = shown.get(pid, (None, None, None, False))
        items.append(
            ShownPeriod(
                pid, code, version, str(status), starts_on, (c_starts, c_id), c_version, *snap
            )
        )
    digest = hashlib.sha256(repr(items).encode()).hexdigest()[:24]
    return PublicState(tuple(items), digest)


def _shown_snapshots(session: Session) -> dict[int, tuple]:
    """{period id: (snapshot id, computed at, inputs hash, official)}: the official snapshot
    of a period if it has one, else its newest (the rule of `queries.latest_snapshot`)."""
    official_id = func.max(case((Snapshot.official.is_(True), Snapshot.id)))
    chosen = [
        official or newest
        for official, newest in session.execute(
            select(official_id, func.max(Snapshot.id)).group_by(Snapshot.period_id)
        )
    ]
    if not chosen:
        return {}
    rows = session.execute(
        select(
            Snapshot.period_id,
            Snapshot.id,
            Snapshot.computed_at,
            Snapshot.inputs_hash,
            Snapshot.official,
        ).where(Snapshot.id.in_(chosen))
    )
    return {row[0]: tuple(row[1:]) for row in rows}


_lock = threading.Lock()


def public_state() -> PublicState:
    """The current public state, reused for `PUBLIC_STATE_TTL` seconds in this process."""
    ttl = current_app.config.get("PUBLIC_STATE_TTL", 5)
    holder = current_app.extensions.setdefault("public_state", {})
    cached = holder.get("state")
    now = time.monotonic()
    if cached is not None and now - cached[0] < ttl:
        return cached[1]
    with _lock:
        state = load_public_state(db.session)
        holder["state"] = (now, state)
    return state
