"""Vetoes are board decisions (DOMAIN.md, ranking rule 3): members flag a veto condition on
their sheets; the chair decides each flagged one, vetoed or not, with a reason. The
decision is stored as a `VetoDecision` (the recompute reads it); flags are never counted."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.accounts.models import User
from emulation.audit import services as audit
from emulation.campaigns.models import Criterion, CriterionKind
from emulation.db import utcnow
from emulation.errors import InvalidInput, NotFound
from emulation.org.models import Unit
from emulation.scoring.models import (
    Assignment,
    Board,
    BoardMember,
    BoardScore,
    ScoreSheet,
    VetoDecision,
)


@dataclass
class Flag:
    unit: Unit
    criterion: Criterion
    flagged_by: list[User] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    decision: VetoDecision | None = None


def _decisions(session: Session, board: Board) -> dict[tuple[int, int], VetoDecision]:
    rows = session.scalars(select(VetoDecision).where(VetoDecision.period_id == board.period_id))
    return {(d.unit_id, d.criterion_id): d for d in rows}


def flags(session: Session, board: Board) -> list[Flag]:
    """Veto conditions flagged on the board's sheets, with the chair's decision if taken."""
    rows = session.execute(
        select(ScoreSheet, BoardScore, Criterion)
        .join(BoardScore, BoardScore.sheet_id == ScoreSheet.id)
        .join(Criterion, Criterion.id == BoardScore.criterion_id)
        .join(
            Assignment,
            (Assignment.unit_id == ScoreSheet.unit_id),
        )
        .join(
            BoardMember,
            (BoardMember.id == Assignment.member_id)
            & (BoardMember.user_id == ScoreSheet.scorer_id),
        )
        .where(
            BoardMember.board_id == board.id,
            ScoreSheet.period_id == board.period_id,
            Criterion.kind == CriterionKind.VETO,
            BoardScore.measured == 1,
        )
        .order_by(ScoreSheet.unit_id, Criterion.code, ScoreSheet.id)
    ).all()
    decided = _decisions(session, board)
    out: dict[tuple[int, int], Flag] = {}
    for sheet, score, criterion in rows:
        flag = out.setdefault(
            (sheet.unit_id, criterion.id),
            Flag(sheet.unit, criterion, decision=decided.get((sheet.unit_id, criterion.id))),
        )
        flag.flagged_by.append(sheet.scorer)
        if score.comment:
            flag.comments.append(score.comment)
    return list(out.values())


def decide_veto(
    session: Session,
    *,
    board: Board,
    unit: Unit,
    criterion: Criterion,
    vetoed: bool,
    reason: str,
    actor,
    ip: str = "",
):
    """The chair's decision on one flagged veto, with a reason (it can be revised until the
    board is finalised)."""
    from emulation.scoring.chair import check_open

    check_open(board)
    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        raise InvalidInput(_("Give the reason for the decision (at least 10 characters)."))
    if not any(
        f.unit.id == unit.id and f.criterion.id == criterion.id for f in flags(session, board)
    ):
        raise NotFound(_("No member flagged this veto."))
    decision = _decisions(session, board).get((unit.id, criterion.id))
    before = _state(decision) if decision is not None else None
    if decision is None:
        decision = VetoDecision(
            period_id=board.period_id, unit_id=unit.id, criterion_id=criterion.id
        )
        session.add(decision)
    decision.vetoed, decision.reason = vetoed, reason
    decision.decided_by_id, decision.decided_at = getattr(actor, "id", None), utcnow()
    session.flush()
    after = _state(decision) | {"unit": unit.code, "criterion": criterion.code}
    audit.record(
        session,
        actor,
        "veto.decided",
        decision,
        before=before,
        after=after,
        ip=ip,
        scope_path=unit.path,
    )
    return decision


def _state(decision) -> dict:
    return {"vetoed": decision.vetoed, "reason": decision.reason}
