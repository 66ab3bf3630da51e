"""The chair's decisions on a board: explanations (giải trình), finalisation; the unit head's
answers. Each is an audit event; none commits."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.accounts.models import User
from emulation.audit import services as audit
from emulation.campaigns.models import PeriodStatus
from emulation.db import utcnow
from emulation.errors import Conflict, InvalidInput, InvalidState, NotFound
from emulation.org.models import Unit
from emulation.scoring import review
from emulation.scoring.models import Board, BoardMember, Explanation, ExplanationAnswer
from emulation.scoring.models import ExplanationStatus as ES
from emulation.scoring.queue import SUBMITTED

MAX_TEXT = 4000


def is_chair(board: Board, user: User) -> bool:
    return any(m.is_chair and m.user_id == user.id for m in board.members)


def _record(session, actor, action: str, obj, board: Board, before=None, after=None, ip=""):
    scope = board.scope_unit.path if board.scope_unit else ""
    audit.record(session, actor, action, obj, before=before, after=after, ip=ip, scope_path=scope)


def check_open(board: Board) -> None:
    if board.finalised_at is not None:
        raise InvalidState(_("The board has finalised its results."))
    if board.period.status is not PeriodStatus.SCORING:
        raise InvalidState(_("Board scoring of this period is not open."))


def _clean(text: str | None) -> str:
    return (text or "").strip()[:MAX_TEXT]


# --- explanations -------------------------------------------------------------------------
def board_units(session: Session, board: Board) -> list[Unit]:
    return sorted({s.unit for s in review.seats(session, board)}, key=lambda u: u.path)


def request_explanation(
    session: Session,
    *,
    board: Board,
    unit: Unit,
    deadline: datetime,
    message: str,
    actor,
    now: datetime | None = None,
    ip: str = "",
) -> Explanation:
    """Send the board's provisional result to the unit; its head answers before `deadline`."""
    check_open(board)
    now = now or utcnow()
    if unit not in board_units(session, board):
        raise NotFound()
    if deadline <= now:
        raise InvalidInput(_("The deadline must be in the future."))
    explanation = session.scalar(
        select(Explanation).where(Explanation.board_id == board.id, Explanation.unit_id == unit.id)
    )
    before = explanation_state(explanation) if explanation else None
    if explanation is None:
        explanation = Explanation(board=board, unit=unit)
        session.add(explanation)
    explanation.status, explanation.deadline = ES.OPEN, deadline
    explanation.message = _clean(message)
    explanation.requested_by = actor if isinstance(actor, User) else None
    session.flush()
    _record(
        session, actor, "explanation.requested", explanation, board, before,
        explanation_state(explanation), ip,
    )  # fmt: skip
    return explanation


def explanation_state(explanation: Explanation) -> dict:
    return {
        "unit": explanation.unit.code,
        "status": str(explanation.status),
        "deadline": explanation.deadline,
        "message": explanation.message,
        "answers": {a.criterion.code: a.text for a in explanation.answers},
    }


def is_answerable(explanation: Explanation, now: datetime | None = None) -> bool:
    return (
        explanation.status is not ES.CLOSED
        and explanation.board.finalised_at is None
        and (now or utcnow()) < explanation.deadline
    )


def answer_explanation(
    session: Session,
    *,
    explanation: Explanation,
    answers: dict[int, str],
    actor,
    expected_version: int | None,
    now: datetime | None = None,
    ip: str = "",
) -> Explanation:
    """The unit head's answers, per criterion; may be revised until the deadline."""
    if expected_version is not None and expected_version != explanation.version:
        raise Conflict(_("These answers were changed elsewhere since you opened them; reload."))
    if not is_answerable(explanation, now):
        raise InvalidState(_("The deadline for this explanation has passed."))
    criteria = {c.id for c in explanation.board.period.criteria if not c.is_group}
    cleaned = {cid: _clean(text) for cid, text in answers.items() if cid in criteria}
    if not any(cleaned.values()):
        raise InvalidInput(_("Write an answer for at least one criterion."))
    before = explanation_state(explanation)
    existing = {a.criterion_id: a for a in explanation.answers}
    for cid, text in cleaned.items():
        if cid in existing:
            existing[cid].text = text
        elif text:
            explanation.answers.append(ExplanationAnswer(criterion_id=cid, text=text))
    explanation.status, explanation.answered_at = ES.ANSWERED, now or utcnow()
    explanation.answered_by = actor if isinstance(actor, User) else None
    session.flush()
    session.refresh(explanation)
    _record(
        session, actor, "explanation.answered", explanation, explanation.board, before,
        explanation_state(explanation), ip,
    )  # fmt: skip
    return explanation


# --- finalisation -------------------------------------------------------------------------
def finalise_blockers(session: Session, board: Board, now: datetime | None = None) -> list[str]:
    """Why the board cannot be finalised yet (empty: it can)."""
    now = now or utcnow()
    problems = []
    seats = review.seats(session, board)
    if not seats:
        problems.append(_("The board has no assignments."))
    for seat in seats:
        if seat.status != SUBMITTED:
            problems.append(
                _(
                    "%(member)s has not submitted the sheet of %(unit)s.",
                    member=seat.member.user.full_name or seat.member.user.username,
                    unit=seat.unit.name,
                )
            )
    waiting = session.scalars(
        select(Explanation).where(
            Explanation.board_id == board.id,
            Explanation.status == ES.OPEN,
            Explanation.deadline > now,
        )
    )
    for explanation in waiting:
        problems.append(
            _("%(unit)s may still answer the explanation request.", unit=explanation.unit.name)
        )
    problems += _undecided_vetoes(session, board)
    return problems


def _undecided_vetoes(session: Session, board: Board) -> list[str]:
    from emulation.scoring import vetoes

    return [
        _("The flagged veto %(code)s of %(unit)s is not decided.", code=f.criterion.code,
          unit=f.unit.name)
        for f in vetoes.flags(session, board)
        if f.decision is None
    ]  # fmt: skip


def finalise_board(
    session: Session, *, board: Board, actor, now: datetime | None = None, ip: str = ""
) -> Board:
    """Close the board: every sheet submitted, explanations over, vetoes decided."""
    check_open(board)
    now = now or utcnow()
    problems = finalise_blockers(session, board, now)
    if problems:
        raise InvalidState(
            _("The board cannot be finalised yet: %(n)d item(s) open.", n=len(problems)),
            details=problems,
        )
    board.finalised_at = now
    board.finalised_by_id = getattr(actor, "id", None)
    for explanation in session.scalars(select(Explanation).where(Explanation.board_id == board.id)):
        explanation.status = ES.CLOSED if explanation.status is ES.OPEN else explanation.status
    session.flush()
    _record(
        session, actor, "board.finalised", board, board, {"finalised_at": None},
        {"finalised_at": now, "finalised_by": getattr(actor, "username", "")}, ip,
    )  # fmt: skip
    return board


def chair_member(board: Board) -> BoardMember | None:
    return board.chair
