"""Periods: creation, edits, the status lifecycle and its time windows.

Campaigns themselves are in `campaign_services.py`; criteria and classification rules live
in `criteria.py` (re-exported here)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.audit import services as audit
from emulation.campaigns.criteria import (  # noqa: F401  (re-exported: one services API)
    add_criterion,
    check_version,
    delete_criterion,
    freeze_blockers,
    move_criterion,
    update_criterion,
    update_rules,
)
from emulation.campaigns.criteria_sets import copy_criteria, copy_rules
from emulation.campaigns.models import Campaign, Period, PeriodKind, PeriodStatus
from emulation.db import utcnow
from emulation.errors import InvalidInput, InvalidState

log = logging.getLogger(__name__)
S = PeriodStatus

WINDOW_FIELDS = (
    "self_assessment_opens_at",
    "self_assessment_closes_at",
    "scoring_opens_at",
    "scoring_closes_at",
)
# Forward moves one step at a time; backward moves need a reason and never unfreeze criteria.
FORWARD = {
    S.DRAFT: S.OPEN,
    S.OPEN: S.SELF_ASSESSMENT,
    S.SELF_ASSESSMENT: S.SCORING,
    S.SCORING: S.CLOSED,
    S.CLOSED: S.PUBLISHED,
}
BACKWARD = {S.OPEN: S.DRAFT, S.SCORING: S.SELF_ASSESSMENT, S.CLOSED: S.SCORING}
# Which window boundary moves a period on, for the scheduler.
WINDOW_STEPS = (
    (S.OPEN, S.SELF_ASSESSMENT, "self_assessment_opens_at"),
    (S.SELF_ASSESSMENT, S.SCORING, "scoring_opens_at"),
    (S.SCORING, S.CLOSED, "scoring_closes_at"),
)
# The window boundary that ends each phase, shown as a period's "next deadline".
NEXT_DEADLINE = {
    S.DRAFT: "self_assessment_opens_at",
    S.OPEN: "self_assessment_opens_at",
    S.SELF_ASSESSMENT: "scoring_opens_at",
    S.SCORING: "scoring_closes_at",
}
# A window may be extended while its phase has not ended.
EXTENDABLE = {
    "self_assessment_closes_at": (S.DRAFT, S.OPEN, S.SELF_ASSESSMENT),
    "scoring_opens_at": (S.DRAFT, S.OPEN, S.SELF_ASSESSMENT),
    "scoring_closes_at": (S.DRAFT, S.OPEN, S.SELF_ASSESSMENT, S.SCORING),
}


# --- periods --------------------------------------------------------------------------
@dataclass(frozen=True)
class PeriodInput:
    code: str
    name_vi: str
    name_en: str
    kind: PeriodKind
    starts_on: date
    ends_on: date
    self_assessment_opens_at: datetime | None = None
    self_assessment_closes_at: datetime | None = None
    scoring_opens_at: datetime | None = None
    scoring_closes_at: datetime | None = None

    def windows(self) -> dict[str, datetime | None]:
        return {name: getattr(self, name) for name in WINDOW_FIELDS}


def period_state(period: Period) -> dict:
    return {
        "code": period.code,
        "name_vi": period.name_vi,
        "name_en": period.name_en,
        "kind": str(period.kind),
        "status": str(period.status),
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        **{name: getattr(period, name) for name in WINDOW_FIELDS},
    }


def check_windows(starts_on: date, ends_on: date, windows: dict[str, datetime | None]) -> None:
    """Dates in order: the period, and each window opening before it closes."""
    if starts_on > ends_on:
        raise InvalidInput(_("The period must start before it ends."))
    ordered = [(name, windows.get(name)) for name in WINDOW_FIELDS]
    present = [(name, value) for name, value in ordered if value is not None]
    for (_first, earlier), (_second, later) in pairwise(present):
        if earlier > later:
            raise InvalidInput(
                _(
                    "The windows are out of order: self-assessment opens, then closes, then "
                    "scoring opens, then closes."
                )
            )
    for opens, closes in (WINDOW_FIELDS[:2], WINDOW_FIELDS[2:]):
        a, b = windows.get(opens), windows.get(closes)
        if a is not None and b is not None and a == b:
            raise InvalidInput(_("A window must close after it opens."))


def _check_period_code(session: Session, campaign: Campaign, code: str, period: Period | None):
    other = session.scalar(
        select(Period).where(Period.campaign_id == campaign.id, Period.code == code)
    )
    if other is not None and other is not period:
        raise InvalidInput(
            _("Another period of this campaign already uses the code “%(code)s”.", code=code)
        )


def create_period(
    session: Session,
    *,
    campaign: Campaign,
    data: PeriodInput,
    actor: Any,
    based_on: Period | None = None,
    ip: str = "",
) -> Period:
    """Create a draft period, optionally copying criteria and rules from an earlier one."""
    _check_period_code(session, campaign, data.code, None)
    check_windows(data.starts_on, data.ends_on, data.windows())
    period = Period(campaign=campaign, status=S.DRAFT, **vars(data))
    session.add(period)
    session.flush()
    audit.record(session, actor, "period.created", period, after=period_state(period), ip=ip)
    if based_on is not None:
        copy_criteria(session, source=based_on, target=period, actor=actor, ip=ip)
        copy_rules(session, source=based_on, target=period, actor=actor, ip=ip)
    return period


def update_period(
    session: Session,
    *,
    period: Period,
    data: PeriodInput,
    actor: Any,
    expected_version: int | None,
    ip: str = "",
) -> Period:
    """Edit names, kind and dates; windows only while the period has not started."""
    check_version(period, expected_version)
    if period.status is S.PUBLISHED:
        raise InvalidState(_("This period is published; it can no longer be changed."))
    _check_period_code(session, period.campaign, data.code, period)
    windows = data.windows()
    changed = {k for k, v in windows.items() if getattr(period, k) != v}
    if changed and period.status not in (S.DRAFT, S.OPEN):
        raise InvalidState(
            _("Self-assessment has started: windows can only be extended, with a reason.")
        )
    check_windows(data.starts_on, data.ends_on, windows)
    before = period_state(period)
    for key, value in vars(data).items():
        setattr(period, key, value)
    session.flush()
    audit.record(
        session, actor, "period.updated", period, before=before, after=period_state(period), ip=ip
    )
    return period


def periods(session: Session, *, exclude: Period | None = None) -> list[Period]:
    """Every period of every campaign, newest first (optionally all but one)."""
    query = select(Period).order_by(Period.starts_on.desc())
    if exclude is not None:
        query = query.where(Period.id != exclude.id)
    return list(session.scalars(query))


def recent_periods(session: Session, limit: int = 8) -> list[Period]:
    """The newest periods of every campaign, newest first."""
    query = select(Period).order_by(Period.starts_on.desc(), Period.id.desc()).limit(limit)
    return list(session.scalars(query))


def next_deadline(period: Period) -> datetime | None:
    """When the period's current phase ends (None once scoring is over)."""
    window = NEXT_DEADLINE.get(period.status)
    return getattr(period, window) if window else None


def allowed_transitions(period: Period) -> list[PeriodStatus]:
    """Statuses the period may move to now (forward first)."""
    moves = [FORWARD[period.status]] if period.status in FORWARD else []
    if period.status in BACKWARD:
        moves.append(BACKWARD[period.status])
    return moves


def transition_period(
    session: Session,
    *,
    period: Period,
    to: PeriodStatus,
    actor: Any,
    reason: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
    ip: str = "",
) -> Period:
    """Move a period along draft → open → self-assessment → scoring → closed → published."""
    from emulation.labels import period_status_label

    check_version(period, expected_version)
    to = PeriodStatus(to)
    now = now or utcnow()
    reason = (reason or "").strip()
    if to not in allowed_transitions(period):
        raise InvalidState(
            _(
                "A period cannot go from “%(old)s” to “%(new)s”.",
                old=period_status_label(period.status),
                new=period_status_label(to),
            )
        )
    if to is BACKWARD.get(period.status) and not reason:
        raise InvalidInput(_("Moving a period back needs a reason."))
    if to is S.SELF_ASSESSMENT and period.criteria_frozen_at is None:
        blockers = freeze_blockers(period)
        if blockers:
            raise InvalidState(
                _("The criteria cannot be frozen yet: %(problems)s", problems=" ".join(blockers)),
                details=blockers,
            )
    if to is S.PUBLISHED:
        from emulation.scoring.publish import check_boards_finalised

        check_boards_finalised(session, period)  # every board of the period has finalised
    before = {"status": str(period.status)}
    period.status = to
    if to is S.SELF_ASSESSMENT and period.criteria_frozen_at is None:
        period.criteria_frozen_at = now
    if to is S.PUBLISHED:
        period.published_at = now
        period.published_by_id = getattr(actor, "id", None)
    session.flush()
    # Board scoring opens (not: reopens after closing): record who competes.
    opens = to is S.SCORING and before["status"] == str(S.SELF_ASSESSMENT)
    competing = _record_roster(session, period) if opens else None
    after = {"status": str(to), "criteria_frozen_at": period.criteria_frozen_at}
    if to is S.PUBLISHED:
        after |= {"published_at": now, "published_by": getattr(actor, "username", "system")}
    if reason:
        after["reason"] = reason
    if competing is not None:
        after["roster"] = competing
    audit.record(session, actor, "period.transitioned", period, before=before, after=after, ip=ip)
    return period


def _record_roster(session: Session, period: Period) -> int:
    """Board scoring opens: record who competes (the roster every result of the period uses)."""
    from emulation.leaderboards.roster import record_roster

    return record_roster(session, period)


def apply_period_windows(session: Session, now: datetime) -> list[Period]:
    """Move every period whose window opened or closed by `now` (the scheduler's job).

    Idempotent: a period already in the right status is left alone. A period that cannot
    move (e.g. its criteria are invalid) stays where it is and is logged."""
    moved: list[Period] = []
    candidates = session.scalars(
        select(Period)
        .where(Period.status.in_([step[0] for step in WINDOW_STEPS]))
        .order_by(Period.id)
    ).all()
    for period in candidates:
        for current, target, boundary in WINDOW_STEPS:
            at = getattr(period, boundary)
            if period.status is not current or at is None or at > now:
                continue
            try:
                transition_period(session, period=period, to=target, actor=None, now=now)
            except (InvalidState, InvalidInput) as err:
                log.warning("period %s stays %s: %s", period.code, period.status, err.message)
                break
            if period not in moved:
                moved.append(period)
    return moved


def extend_window(
    session: Session,
    *,
    period: Period,
    window: str,
    new_value: datetime,
    reason: str,
    actor: Any,
    expected_version: int | None,
    ip: str = "",
) -> Period:
    """Move a window's closing (or scoring's opening) later, with a recorded reason."""
    check_version(period, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for extending the window."))
    if window not in EXTENDABLE:
        raise InvalidInput(_("This window cannot be extended."))
    if period.status not in EXTENDABLE[window]:
        raise InvalidState(_("This phase is over; its window can no longer be extended."))
    current = getattr(period, window)
    if current is not None and new_value <= current:
        raise InvalidInput(_("The new time must be later than the current one."))
    windows = {name: getattr(period, name) for name in WINDOW_FIELDS} | {window: new_value}
    check_windows(period.starts_on, period.ends_on, windows)
    setattr(period, window, new_value)
    session.flush()
    audit.record(
        session,
        actor,
        "period.window_extended",
        period,
        before={window: current},
        after={window: new_value, "reason": reason},
        ip=ip,
    )
    return period
