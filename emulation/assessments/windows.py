"""When a unit may fill in its self-assessment: the period's window and per-unit extensions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.assessments.models import AssessmentStatus, DeadlineExtension, SelfAssessment
from emulation.campaigns.models import Period, PeriodStatus
from emulation.errors import InvalidState
from emulation.org.models import Unit

S = PeriodStatus
# A returned assessment may be revised as long as the boards are still scoring.
REVISABLE_PERIOD = (S.SELF_ASSESSMENT, S.SCORING)


@dataclass(frozen=True)
class Window:
    """The unit's self-assessment window in a period (UTC, naive)."""

    opens_at: datetime | None
    closes_at: datetime | None  # the period's own closing
    extended_until: datetime | None  # this unit's extension, if any
    extension_reason: str
    is_open: bool

    @property
    def deadline(self) -> datetime | None:
        """The last moment this unit may submit (its extension, if later)."""
        dates = [d for d in (self.closes_at, self.extended_until) if d is not None]
        return max(dates) if dates else None


def extension_for(session: Session, period: Period, unit: Unit) -> DeadlineExtension | None:
    return session.scalar(
        select(DeadlineExtension).where(
            DeadlineExtension.period_id == period.id, DeadlineExtension.unit_id == unit.id
        )
    )


def window_for(session: Session, period: Period, unit: Unit, now: datetime) -> Window:
    """Open while the period is in self-assessment before its deadline, or later for a unit
    whose deadline an administrator extended (until the period closes)."""
    extension = extension_for(session, period, unit)
    until = extension.until if extension is not None else None
    closes = period.self_assessment_closes_at
    deadline = max((d for d in (closes, until) if d is not None), default=None)
    before_deadline = deadline is None or now < deadline
    if period.status is S.SELF_ASSESSMENT:
        is_open = before_deadline
    elif period.status is S.SCORING:
        is_open = until is not None and now < until
    else:
        is_open = False
    return Window(
        opens_at=period.self_assessment_opens_at,
        closes_at=closes,
        extended_until=until,
        extension_reason=extension.reason if extension is not None else "",
        is_open=is_open,
    )


def _when(value: datetime | None) -> str:
    return format_datetime(value, "dd/MM/yyyy HH:mm") if value is not None else "–"


def closed_message(window: Window) -> str:
    return _(
        "Self-assessment is not open: the window runs from %(opens)s to %(closes)s "
        "(Vietnam time). Ask your administrator if you need an extension.",
        opens=_when(window.opens_at),
        closes=_when(window.deadline),
    )


def editable(session: Session, assessment: SelfAssessment, now: datetime) -> bool:
    try:
        check_editable(session, assessment, now)
    except InvalidState:
        return False
    return True


def check_editable(session: Session, assessment: SelfAssessment, now: datetime) -> None:
    """Refuse changes to a submitted assessment, or outside the unit's window."""
    if assessment.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.LOCKED):
        raise InvalidState(_("This self-assessment is submitted; it can no longer be changed."))
    if assessment.status is AssessmentStatus.RETURNED:
        if assessment.period.status in REVISABLE_PERIOD:
            return
        raise InvalidState(_("The period is closed; the self-assessment can no longer change."))
    window = window_for(session, assessment.period, assessment.unit, now)
    if not window.is_open:
        raise InvalidState(closed_message(window))
