"""A board member's score sheets: open one (assignment and conflict of interest checked),
save one criterion at a time under optimistic locking, submit; the chair reopens.

Every save touches the sheet row, so its `version` (and `updated_at`) move on: the
leaderboard recompute's inputs hash reads them, and a second tab holding an older version
gets a `ScoreConflict` showing both values instead of overwriting."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager

from emulation.accounts.models import User
from emulation.audit import services as audit
from emulation.campaigns.criteria import walk
from emulation.campaigns.models import Criterion, CriterionKind, Period, PeriodStatus
from emulation.db import format_points, parse_points, utcnow
from emulation.errors import Conflict, InvalidInput, InvalidState, NotAllowed, NotFound
from emulation.org.models import Unit
from emulation.scoring.boards import conflict_reason
from emulation.scoring.models import Assignment, Board, BoardMember, BoardScore, ScoreSheet
from emulation.scoring.models import SheetStatus as SS
from emulation.scoring.rules import CriterionSpec, RuleError, points_for
from emulation.scoring.self_side import own_score, self_side

K = CriterionKind
FLAG_KINDS = (K.PASS_FAIL, K.VETO)
COUNT_KINDS = (K.BONUS, K.PENALTY)


# --- reading ------------------------------------------------------------------------------
def leaf_criteria(period: Period) -> list[Criterion]:
    """The criteria a sheet scores (no groups), in display order."""
    return [c for c, _depth in walk(period) if not c.is_group]


def spec_of(criterion: Criterion) -> CriterionSpec:
    return CriterionSpec(
        criterion.kind,
        criterion.max_points,
        criterion.min_points,
        criterion.points_per_item,
        criterion.target,
        criterion.target_share_percent,
        criterion.higher_is_better,
    )


def assignment_for(session: Session, user: User, period: Period, unit: Unit) -> Assignment | None:
    """The user's assignment to score `unit` in `period` (on any board of the period)."""
    return session.scalar(
        select(Assignment)
        .join(BoardMember, BoardMember.id == Assignment.member_id)
        .join(Board, Board.id == BoardMember.board_id)
        .where(
            Board.period_id == period.id,
            BoardMember.user_id == user.id,
            Assignment.unit_id == unit.id,
        )
        .order_by(Assignment.id)
        .limit(1)
        # A save reads the member's board next (is it finalised?): same round trip.
        .options(contains_eager(Assignment.member).contains_eager(BoardMember.board))
    )


def sheet_for(session: Session, user: User, period: Period, unit: Unit) -> ScoreSheet | None:
    return session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.period_id == period.id,
            ScoreSheet.unit_id == unit.id,
            ScoreSheet.scorer_id == user.id,
        )
    )


def check_may_score(session: Session, user: User, period: Period, unit: Unit) -> Assignment:
    """The user's assignment for the unit; refused (with the reason) on a conflict of interest."""
    assignment = assignment_for(session, user, period, unit)
    if assignment is None:
        raise NotFound(_("You are not assigned to score this unit."))
    own = conflict_reason(user, unit)
    if own is not None and not assignment.conflict_override_reason:
        raise NotAllowed(
            _(
                "You cannot score %(unit)s: you hold a command role over %(own)s, which makes "
                "it a conflict of interest. Ask the board's administrator to reassign it or to "
                "record an override with a reason.",
                unit=unit.name,
                own=own.name,
            )
        )
    return assignment


def is_editable(sheet: ScoreSheet | None, period: Period, board: Board) -> bool:
    return (
        period.status is PeriodStatus.SCORING
        and board.finalised_at is None
        and (sheet is None or sheet.status is SS.DRAFT)
    )


# --- input --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreInput:
    criterion_id: int
    value: int  # direct: points; quantitative: measured (hundredths); count; flag 0/1
    comment: str = ""


def parse_value(criterion: Criterion, raw: str) -> int:
    """A scorer's typed value in the criterion's own terms (see ScoreInput.value)."""
    raw = (raw or "").strip()
    if not raw:
        raise InvalidInput(_("Enter a value."))
    try:
        if criterion.kind in FLAG_KINDS or criterion.kind in COUNT_KINDS:
            value = int(raw)
        else:
            value = parse_points(raw)
    except ValueError:
        raise InvalidInput(_("“%(value)s” is not a number.", value=raw)) from None
    if criterion.kind in FLAG_KINDS and value not in (0, 1):
        raise InvalidInput(_("Choose yes or no."))
    if value < 0:
        raise InvalidInput(_("The value cannot be negative."))
    return value


def awarded(criterion: Criterion, value: int) -> tuple[int, int | None]:
    """(points, measured) for a scorer's value; quantitative points before the cluster leader
    is known (the recompute applies the leader)."""
    try:
        points = points_for(spec_of(criterion), value)
    except RuleError:
        raise InvalidInput(
            _(
                "Points must be between %(low)s and %(high)s.",
                low=format_points(criterion.min_points),
                high=format_points(criterion.max_points),
            )
        ) from None
    return points, (None if criterion.kind is K.DIRECT else value)


def needs_comment(criterion: Criterion, period: Period, points: int, flag: int | None, own):
    """True when the score differs from the self-score by more than the period's threshold."""
    if own is None:
        return False
    if criterion.kind is K.VETO:
        return (flag or 0) != (own.measured or 0)
    threshold = period.comment_threshold_percent * abs(criterion.max_points)
    return abs(points - own.points) * 100 > threshold


class ScoreConflict(Conflict):
    """The sheet changed since the editor loaded it; carries the stored value to show."""

    def __init__(self, message: str, *, current: BoardScore | None, version: int | None) -> None:
        super().__init__(message)
        self.current = current
        self.version = version


def score_state(score: BoardScore | None) -> dict | None:
    if score is None:
        return None
    return {"points": score.points, "measured": score.measured, "comment": score.comment}


# --- writing ------------------------------------------------------------------------------
def _check_writable(session: Session, period: Period, assignment: Assignment, sheet) -> None:
    if period.status is not PeriodStatus.SCORING:
        raise InvalidState(_("Board scoring of this period is not open."))
    if assignment.member.board.finalised_at is not None:
        raise InvalidState(_("The board has finalised its results; sheets can no longer change."))
    if sheet is not None and sheet.status is SS.SUBMITTED:
        raise InvalidState(
            _("This sheet is submitted and read-only. Ask the board's chair to reopen it.")
        )


def criterion_of(session: Session, period: Period, criterion_id: int) -> Criterion:
    """A leaf criterion of `period` (one row: a save does not load the period's whole set)."""
    criterion = session.get(Criterion, criterion_id)
    if criterion is None or criterion.period_id != period.id or criterion.is_group:
        raise NotFound()
    return criterion


def _audit(session, actor, action: str, sheet: ScoreSheet, before=None, after=None, ip=""):
    audit.record(
        session,
        actor,
        action,
        sheet,
        before=before,
        after=after,
        ip=ip,
        scope_path=sheet.unit.path,
    )


def save_score(
    session: Session,
    *,
    user: User,
    period: Period,
    unit: Unit,
    data: ScoreInput,
    expected_version: int | None,
    ip: str = "",
) -> ScoreSheet:
    """Record one criterion of the user's sheet for `unit` (creating the sheet on first save)."""
    assignment = check_may_score(session, user, period, unit)
    sheet = sheet_for(session, user, period, unit)
    _check_writable(session, period, assignment, sheet)
    criterion = criterion_of(session, period, data.criterion_id)
    current = _score_of(session, sheet, criterion.id)
    if sheet is not None and expected_version != sheet.version:
        raise ScoreConflict(
            _("This sheet was changed elsewhere (another tab or device) since you opened it."),
            current=current,
            version=sheet.version,
        )
    points, measured = awarded(criterion, data.value)
    comment = " ".join(data.comment.split()) if data.comment else ""
    own = own_score(session, period, unit, criterion.id)
    if not comment and needs_comment(criterion, period, points, measured, own):
        raise InvalidInput(_("Your score differs from the self-score: explain it in a comment."))
    created = sheet is None
    if created:
        sheet = ScoreSheet(period=period, unit=unit, scorer=user, assignment=assignment)
        session.add(sheet)
    before = score_state(current)
    if current is None:
        current = BoardScore(sheet=sheet, criterion=criterion)
        session.add(current)
    current.points, current.measured, current.comment = points, measured, comment
    sheet.updated_at = utcnow()  # touch the row: version + 1, the recompute sees a change
    try:
        session.flush()
    except IntegrityError:
        if not created:
            raise
        # Another tab created this sheet between our read and our insert (the unique key
        # on period, unit and scorer refused the second sheet): a conflict, not a 500.
        raise ScoreConflict(
            _("This sheet was changed elsewhere (another tab or device) since you opened it."),
            current=None,
            version=None,
        ) from None
    after = score_state(current) | {"criterion": criterion.code}
    _audit(session, user, "board_score.saved", sheet, before, after, ip)
    return sheet


def _score_of(session: Session, sheet: ScoreSheet | None, criterion_id: int) -> BoardScore | None:
    """The sheet's score for one criterion (one row, not the sheet's ~50)."""
    if sheet is None or sheet.id is None:
        return None
    return session.scalar(
        select(BoardScore).where(
            BoardScore.sheet_id == sheet.id, BoardScore.criterion_id == criterion_id
        )
    )


def missing_items(
    session: Session, sheet: ScoreSheet | None, period: Period, own: dict | None = None
) -> list[str]:
    """What stops the sheet from being submitted: unscored criteria, missing comments (`own`:
    the unit's self-scores by criterion, when the caller has them already)."""
    scores = {s.criterion_id: s for s in sheet.scores} if sheet is not None else {}
    if own is None:
        own = self_side(session, period, sheet.unit).scores if sheet is not None else {}
    problems = []
    for criterion in leaf_criteria(period):
        score = scores.get(criterion.id)
        if score is None:
            problems.append(_("%(code)s is not scored yet.", code=criterion.code))
        elif not score.comment and needs_comment(
            criterion, period, score.points, score.measured, own.get(criterion.id)
        ):
            problems.append(_("%(code)s needs a comment.", code=criterion.code))
    return problems


def submit_sheet(
    session: Session,
    *,
    user: User,
    period: Period,
    unit: Unit,
    expected_version: int | None,
    ip: str = "",
) -> ScoreSheet:
    """Submit a complete sheet; it is read-only afterwards unless the chair reopens it."""
    assignment = check_may_score(session, user, period, unit)
    sheet = sheet_for(session, user, period, unit)
    _check_writable(session, period, assignment, sheet)
    if sheet is not None and expected_version is not None and expected_version != sheet.version:
        raise Conflict(_("This sheet was changed elsewhere since you opened it; reload it."))
    problems = missing_items(session, sheet, period)
    if problems:
        raise InvalidInput(
            _("The sheet is not complete: %(n)d item(s) left.", n=len(problems)), details=problems
        )
    sheet.status, sheet.submitted_at = SS.SUBMITTED, utcnow()
    session.flush()
    _audit(session, user, "score_sheet.submitted", sheet, {"status": "draft"}, _sheet_state(sheet))
    return sheet


def _sheet_state(sheet: ScoreSheet) -> dict:
    return {
        "status": str(sheet.status),
        "unit": sheet.unit.code,
        "scorer": sheet.scorer.username,
        "version": sheet.version,
    }


def reopen_sheet(
    session: Session, *, board: Board, sheet: ScoreSheet, reason: str, actor, ip: str = ""
) -> ScoreSheet:
    """The chair sends a submitted sheet back to its member for changes."""
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise InvalidInput(_("Give a reason (at least 5 characters)."))
    if board.finalised_at is not None or board.period.status is not PeriodStatus.SCORING:
        raise InvalidState(_("The board's results are final; sheets can no longer be reopened."))
    if sheet.status is not SS.SUBMITTED:
        raise InvalidState(_("This sheet is not submitted."))
    before = _sheet_state(sheet)
    sheet.status, sheet.submitted_at = SS.DRAFT, None
    sheet.updated_at = utcnow()
    session.flush()
    after = _sheet_state(sheet) | {"reason": reason}
    _audit(session, actor, "score_sheet.reopened", sheet, before, after, ip)
    return sheet


def set_comment_threshold(
    session: Session, *, period: Period, percent: int, actor, ip: str = ""
) -> Period:
    """The share of a criterion's max beyond which a member's score needs a comment."""
    if not 0 <= percent <= 100:
        raise InvalidInput(_("The threshold is a percentage between 0 and 100."))
    if period.status in (PeriodStatus.CLOSED, PeriodStatus.PUBLISHED):
        raise InvalidState(_("This period's scoring is over; its settings can no longer change."))
    before = {"comment_threshold_percent": period.comment_threshold_percent}
    period.comment_threshold_percent = percent
    session.flush()
    audit.record(
        session,
        actor,
        "period.comment_threshold_set",
        period,
        before=before,
        after={"comment_threshold_percent": percent},
        ip=ip,
    )
    return period
