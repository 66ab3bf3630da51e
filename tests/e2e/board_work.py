"""The rest of the boards' work, written directly (as the demo loader writes the other provinces'
boards) and finalised through the chair services, while a journey does its own part.

Journey (b) follows one unit from the board member's keyboard to the official leaderboard.
Publishing needs every board of the period finalised, and the demo's boards are part-way
(hundreds of sheets): the other members' sheets, and the other provinces' boards, are
completed here, never the journey's own steps. Run in the server's environment:

    python -m tests.e2e.board_work PERIOD KEEP_USER:KEEP_UNIT_CODE CHAIRED_BOARD_SCOPE_CODE

It submits every other sheet of the period's boards, written as rows (the self-score where
there is one, else a plain value), and finalises every board except the one whose scope has
the given code."""

from __future__ import annotations

import sys
import zlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.campaigns.models import CriterionKind as K
from emulation.campaigns.models import Period
from emulation.db import utcnow
from emulation.leaderboards.inputs import note_scores_changed
from emulation.scoring import chair, review, sheets, vetoes
from emulation.scoring.models import Assignment, Board, BoardScore, ScoreSheet, SheetStatus
from emulation.scoring.queue import SUBMITTED
from emulation.scoring.self_side import self_side

COMMENT = "Đối chiếu hồ sơ, minh chứng của đơn vị."


def plain_value(criterion, unit) -> int:
    """A plausible value for a criterion nobody self-scored: from 55 % to 100 % of the best,
    steady per unit and criterion (so the published totals spread as real ones do)."""
    seed = zlib.crc32(f"{unit.code}:{criterion.code}".encode())
    base = 55 + zlib.crc32(unit.code.encode()) % 35  # the unit's level, 55..89 %
    share = min(100, base + seed % 12)
    if criterion.kind is K.DIRECT:
        return criterion.max_points * share // 100 // 25 * 25
    if criterion.kind is K.QUANTITATIVE:
        return (criterion.target or 0) * share // 100
    if criterion.kind is K.PASS_FAIL:
        return 1 if share >= 65 else 0
    return 1 if criterion.kind is K.BONUS and share >= 95 else 0


def complete_sheet(session: Session, seat: review.Seat) -> None:
    """Fill the seat's missing criteria and submit its sheet. Written as rows, like the demo
    loader's other boards: a few hundred sheets through the per-score services take minutes."""
    period, unit = seat.member.board.period, seat.unit
    sheet = seat.sheet
    if sheet is None:
        assignment = session.scalar(
            select(Assignment).where(
                Assignment.member_id == seat.member.id, Assignment.unit_id == unit.id
            )
        )
        sheet = ScoreSheet(
            period_id=period.id, unit_id=unit.id, scorer_id=seat.member.user_id,
            assignment=assignment,
        )  # fmt: skip
        session.add(sheet)
    done = {s.criterion_id for s in sheet.scores}
    own = self_side(session, period, unit).scores
    for criterion in sheets.leaf_criteria(period):
        if criterion.id in done:
            continue
        score = own.get(criterion.id)
        value = plain_value(criterion, unit)
        if score is not None and score.measured is not None:
            value = score.points if criterion.kind is K.DIRECT else score.measured
        points, measured = sheets.awarded(criterion, value)
        comment = (
            COMMENT if sheets.needs_comment(criterion, period, points, measured, score) else ""
        )
        sheet.scores.append(
            BoardScore(criterion_id=criterion.id, points=points, measured=measured, comment=comment)
        )
    sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED, utcnow()


def finish_boards(session: Session, period: Period, keep: tuple[str, str], chaired: str) -> int:
    """Submit every sheet but `keep` (username, unit code); finalise the boards not `chaired`."""
    count = 0
    boards = session.scalars(select(Board).where(Board.period_id == period.id)).all()
    for board in boards:
        for seat in review.seats(session, board):
            if seat.status == SUBMITTED or (seat.member.user.username, seat.unit.code) == keep:
                continue
            complete_sheet(session, seat)
            count += 1
    session.flush()
    note_scores_changed(session, period.id)
    for board in boards:  # a veto flagged on another unit: not upheld (the chairs' call)
        for flag in vetoes.flags(session, board):
            if flag.decision is None and (board.chair.user.username, flag.unit.code) != keep:
                vetoes.decide_veto(
                    session, board=board, unit=flag.unit, criterion=flag.criterion,
                    vetoed=False, reason=COMMENT, actor=board.chair.user,
                )  # fmt: skip
    for board in boards:
        if board.scope_unit.code != chaired and board.finalised_at is None:
            chair.finalise_board(session, board=board, actor=board.chair.user)
    return count


def main(argv: list[str]) -> None:
    from emulation import create_app
    from emulation.extensions import db

    code, keep, chaired = argv
    user, unit = keep.split(":")
    app = create_app()
    with app.test_request_context():
        period = db.session.scalar(select(Period).where(Period.code == code))
        count = finish_boards(db.session, period, (user, unit), chaired)
        db.session.commit()
    print(f"{count} sheets submitted")


if __name__ == "__main__":
    main(sys.argv[1:])
