"""Self-assessment services: start, save a criterion, submit, return for revision, extend.

Plain functions over a Session; they never commit. Every change is an audit event. Other
features use these (the board chair's "return for revision" calls `return_for_revision`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.assessments import values
from emulation.assessments.evidence import add_evidence, remove_evidence  # noqa: F401
from emulation.assessments.models import (
    AssessmentStatus,
    DeadlineExtension,
    SelfAssessment,
    SelfScore,
)
from emulation.assessments.summary import spec_of
from emulation.assessments.windows import check_editable, closed_message, window_for
from emulation.audit import services as audit
from emulation.campaigns.models import Criterion, CriterionKind, Period, PeriodStatus
from emulation.db import utcnow
from emulation.errors import Conflict, InvalidInput, InvalidState
from emulation.i18n import points_filter
from emulation.org.models import Unit

A = AssessmentStatus
K = CriterionKind
MAX_NOTE = 4000
MAX_REASON = 2000


@dataclass(frozen=True)
class ScoreInput:
    """One criterion's value (see values.py for its unit per kind) and justification."""

    criterion_id: int
    value: int | None
    note: str = ""


def value_message(err: values.BadValue, criterion: Criterion | None = None) -> str:
    """The translated message for a value the criterion cannot take."""
    bound = err.params.get("max", err.params.get("min", 0))
    kind = criterion.kind if criterion is not None else None
    shown = str(bound) if kind in values.COUNT_KINDS else points_filter(bound)
    messages = {
        "not_a_number": _("Enter a number, using the digits 0–9 (for example 12,5)."),
        "too_large": _("This number is far too large."),
        "too_many_decimals": _("Use at most two decimals."),
        "whole_number": _("Enter a whole number of items."),
        "negative": _("The value cannot be negative."),
        "under_min": _("The value must be at least %(min)s.", min=shown),
        "over_max": _("The value must be at most %(max)s.", max=shown),
        "choose": _("Choose one of the answers."),
        "not_scored": _("This is a group heading; it takes no value."),
    }
    return messages.get(err.code, _("This value is not accepted."))


# --- reading ---------------------------------------------------------------------------
def assessment_for(session: Session, unit: Unit, period: Period) -> SelfAssessment | None:
    """The unit's self-assessment for the period, if it has been started."""
    return session.scalar(
        select(SelfAssessment).where(
            SelfAssessment.unit_id == unit.id, SelfAssessment.period_id == period.id
        )
    )


def score_of(assessment: SelfAssessment, criterion_id: int) -> SelfScore | None:
    return next((s for s in assessment.scores if s.criterion_id == criterion_id), None)


def score_state(score: SelfScore | None) -> dict:
    if score is None:
        return {"measured": None, "points": 0, "note": ""}
    return {"measured": score.measured, "points": score.points, "note": score.note}


def _audit(session, actor, action: str, obj, *, before=None, after=None, ip="", unit=None):
    unit = unit or obj.unit
    audit.record(
        session, actor, action, obj, before=before, after=after, ip=ip, scope_path=unit.path
    )


def _state(assessment: SelfAssessment) -> dict:
    return {"status": str(assessment.status), "version": assessment.version}


# --- starting and saving -----------------------------------------------------------------
def start_assessment(
    session: Session, *, unit: Unit, period: Period, actor: Any, ip: str = "", now=None
) -> SelfAssessment:
    """The unit's draft for the period (created on first use, inside its window)."""
    existing = assessment_for(session, unit, period)
    if existing is not None:
        return existing
    window = window_for(session, period, unit, now or utcnow())
    if not window.is_open:
        raise InvalidState(closed_message(window))
    if not unit.competes:
        raise InvalidState(_("Only competing units assess themselves."))
    assessment = SelfAssessment(unit=unit, period=period, status=A.DRAFT)
    session.add(assessment)
    session.flush()
    _audit(session, actor, "self_assessment.started", assessment, after=_state(assessment), ip=ip)
    return assessment


def _criterion(assessment: SelfAssessment, criterion_id: int) -> Criterion:
    criterion = next((c for c in assessment.period.criteria if c.id == criterion_id), None)
    if criterion is None or criterion.kind is K.GROUP:
        raise InvalidInput(_("This criterion is not part of the period's set."))
    return criterion


def _checked(criterion: Criterion, data: ScoreInput) -> tuple[int | None, int, str]:
    """(measured, points, note) after the kind's bounds; raises InvalidInput beside the field."""
    note = (data.note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(
            _("Keep the justification under %(n)d characters.", n=MAX_NOTE),
            details={"field": "note"},
        )
    if data.value is None:
        return None, 0, note
    try:
        points = values.check_value(spec_of(criterion), data.value, criterion.measure_unit)
    except values.BadValue as err:
        raise InvalidInput(value_message(err, criterion), details={"field": "value"}) from None
    return data.value, points, note


def save_self_score(
    session: Session,
    *,
    assessment: SelfAssessment,
    actor: Any,
    data: ScoreInput,
    expected_version: int | None,
    ip: str = "",
    now: datetime | None = None,
) -> SelfScore:
    """Record one criterion of a draft (or returned) self-assessment.

    `expected_version` is the version of this criterion's value the user last saw (0: none
    yet). If another device changed it since, Conflict carries the saved value, so both can
    be shown; the same value saved twice (a retried request) is not a conflict."""
    check_editable(session, assessment, now or utcnow())
    criterion = _criterion(assessment, data.criterion_id)
    measured, points, note = _checked(criterion, data)
    score = score_of(assessment, criterion.id)
    current = score.version if score is not None else 0
    before = score_state(score)
    if before["measured"] == measured and before["note"] == note and score is not None:
        return score  # nothing changed (a retry of a save that did arrive)
    if expected_version is not None and expected_version != current:
        raise Conflict(
            _("This criterion was changed on another device. Compare and choose a value."),
            details={"criterion_id": criterion.id, "version": current, "theirs": before},
        )
    actor_id = getattr(actor, "id", None)  # read first: loading it may flush
    if score is None:
        score = SelfScore(assessment=assessment, criterion=criterion)
        session.add(score)
    score.measured, score.points, score.note = measured, points, note
    score.updated_by_id = actor_id
    assessment.updated_at = utcnow()  # bumps the assessment's version: submit sees the change
    session.flush()
    after = score_state(score) | {"criterion": criterion.code}
    _audit(
        session,
        actor,
        "self_score.saved",
        score,
        before=before,
        after=after,
        ip=ip,
        unit=assessment.unit,
    )
    return score


def save_self_scores(
    session: Session,
    *,
    assessment: SelfAssessment,
    actor: Any,
    data: list[ScoreInput],
    ip: str = "",
    now: datetime | None = None,
) -> list[SelfScore]:
    """Record several criteria at once (an import, the demo): the same checks and points as
    save_self_score, all or nothing, one audit event listing every change."""
    check_editable(session, assessment, now or utcnow())
    checked = [(_criterion(assessment, d.criterion_id), d) for d in data]
    rows = [(criterion, *_checked(criterion, d)) for criterion, d in checked]
    actor_id = getattr(actor, "id", None)
    existing = {s.criterion_id: s for s in assessment.scores}
    changes, saved = {}, []
    for criterion, measured, points, note in rows:
        score = existing.get(criterion.id)
        before = score_state(score)
        if score is None:
            score = SelfScore(assessment=assessment, criterion=criterion)
            session.add(score)
        score.measured, score.points, score.note = measured, points, note
        score.updated_by_id = actor_id
        changes[criterion.code] = {"before": before, "after": score_state(score)}
        saved.append(score)
    assessment.updated_at = utcnow()
    session.flush()
    _audit(session, actor, "self_score.saved_many", assessment, after={"scores": changes}, ip=ip)
    return saved


# --- submitting ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Missing:
    criterion: Criterion
    message: str


def evidence_needed(criterion: Criterion, score: SelfScore | None) -> bool:
    """Evidence backs a claim: any value for points kinds, a non-zero count or a 'yes' veto."""
    if not criterion.evidence_required or score is None or score.measured is None:
        return False
    if criterion.kind in (K.BONUS, K.PENALTY, K.VETO):
        return score.measured > 0
    return True


def missing_for(criterion: Criterion, score: SelfScore | None, evidence_count: int) -> list[str]:
    """What still stops this criterion from being submitted (translated messages)."""
    if score is None or score.measured is None:
        return [_("Give a value.")]
    problems = []
    explain = criterion.kind is K.VETO and score.measured == values.YES
    if (criterion.justification_required or explain) and not score.note.strip():
        problems.append(
            _("Explain the declared veto condition.") if explain else _("Give a justification.")
        )
    if evidence_needed(criterion, score) and evidence_count == 0:
        problems.append(_("Attach at least one evidence file."))
    return problems


def missing_items(assessment: SelfAssessment, criteria: list[Criterion]) -> list[Missing]:
    """Everything that blocks submitting, one entry per problem, in the set's order."""
    scores = {s.criterion_id: s for s in assessment.scores}
    counts: dict[int, int] = {}
    for item in assessment.evidence:
        counts[item.criterion_id] = counts.get(item.criterion_id, 0) + 1
    return [
        Missing(c, message)
        for c in criteria
        for message in missing_for(c, scores.get(c.id), counts.get(c.id, 0))
    ]


def submit_assessment(
    session: Session,
    *,
    assessment: SelfAssessment,
    actor: Any,
    expected_version: int | None,
    explanation: str = "",
    ip: str = "",
    now: datetime | None = None,
) -> SelfAssessment:
    """Submit a complete draft (or a revised returned one); it becomes read-only."""
    from emulation.assessments.summary import layout

    now = now or utcnow()
    check_editable(session, assessment, now)
    if expected_version is not None and expected_version != assessment.version:
        raise Conflict(_("The self-assessment changed since you reviewed it. Review it again."))
    criteria = [c for g in layout(assessment.period) for c in g.criteria]
    missing = missing_items(assessment, criteria)
    if missing:
        raise InvalidInput(
            _("The self-assessment is not complete: %(n)d item(s) missing.", n=len(missing)),
            details=missing,
        )
    explanation = (explanation or "").strip()
    if len(explanation) > MAX_NOTE:
        raise InvalidInput(_("Keep the explanation under %(n)d characters.", n=MAX_NOTE))
    before = _state(assessment)
    resubmitted = assessment.status is A.RETURNED
    assessment.status = A.SUBMITTED
    assessment.submitted_at = now
    assessment.submitted_by_id = getattr(actor, "id", None)
    if resubmitted:
        assessment.explanation = explanation
    session.flush()
    after = _state(assessment) | {"submitted_at": now, "resubmitted": resubmitted}
    if resubmitted:
        after["explanation"] = explanation
    _audit(
        session, actor, "self_assessment.submitted", assessment, before=before, after=after, ip=ip
    )
    return assessment


def return_for_revision(
    session: Session, *, assessment: SelfAssessment, actor: Any, reason: str, ip: str = ""
) -> SelfAssessment:
    """Send a submitted self-assessment back to the unit with a reason it will see.

    The caller checks that the actor may do this (the board chair of the unit's board)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for returning the self-assessment."))
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("Keep the reason under %(n)d characters.", n=MAX_REASON))
    if assessment.status is not A.SUBMITTED:
        raise InvalidState(_("Only a submitted self-assessment can be returned for revision."))
    if assessment.period.status not in (PeriodStatus.SELF_ASSESSMENT, PeriodStatus.SCORING):
        raise InvalidState(_("The period is closed; the self-assessment can no longer change."))
    before = _state(assessment)
    assessment.status = A.RETURNED
    assessment.return_reason = reason
    assessment.returned_at = utcnow()
    assessment.returned_by_id = getattr(actor, "id", None)
    session.flush()
    after = _state(assessment) | {"reason": reason}
    _audit(
        session, actor, "self_assessment.returned", assessment, before=before, after=after, ip=ip
    )
    return assessment


# --- deadline extensions -------------------------------------------------------------------
def extend_deadline(
    session: Session,
    *,
    period: Period,
    unit: Unit,
    until: datetime,
    reason: str,
    actor: Any,
    ip: str = "",
    now: datetime | None = None,
) -> DeadlineExtension:
    """Let one unit self-assess until `until` (UTC); the caller checks the admin's scope."""
    now = now or utcnow()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the extension."))
    if period.status not in (PeriodStatus.SELF_ASSESSMENT, PeriodStatus.SCORING):
        raise InvalidState(_("Deadlines can be extended only during self-assessment or scoring."))
    closes = period.self_assessment_closes_at
    if until <= now or (closes is not None and until <= closes):
        raise InvalidInput(
            _(
                "The new deadline must be later than now and than the period's own "
                "deadline (%(closes)s).",
                closes=format_datetime(closes, "dd/MM/yyyy HH:mm") if closes else "–",
            )
        )
    if period.scoring_closes_at is not None and until > period.scoring_closes_at:
        raise InvalidInput(_("The new deadline must be before board scoring closes."))
    extension = session.scalar(
        select(DeadlineExtension).where(
            DeadlineExtension.period_id == period.id, DeadlineExtension.unit_id == unit.id
        )
    )
    before = {"until": extension.until, "reason": extension.reason} if extension else None
    if extension is None:
        extension = DeadlineExtension(period=period, unit=unit, until=until, reason=reason)
        session.add(extension)
    extension.until, extension.reason = until, reason
    extension.granted_by_id = getattr(actor, "id", None)
    session.flush()
    after = {"until": until, "reason": reason, "period": period.code, "unit": unit.code}
    _audit(
        session,
        actor,
        "self_assessment.deadline_extended",
        extension,
        before=before,
        after=after,
        ip=ip,
        unit=unit,
    )
    return extension
