"""My queue: the units a board member scores in the open periods, with progress."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from emulation.accounts.models import User
from emulation.assessments.models import AssessmentStatus, SelfAssessment
from emulation.campaigns.models import Period, PeriodStatus
from emulation.org.models import Cluster, Unit, UnitKind
from emulation.scoring.models import Assignment, Board, BoardMember, BoardScore, ScoreSheet
from emulation.scoring.models import SheetStatus as SS
from emulation.text import fold

NOT_STARTED, IN_PROGRESS, SUBMITTED = "not_started", "in_progress", "submitted"
QUEUE_STATUSES = (NOT_STARTED, IN_PROGRESS, SUBMITTED)
OPEN_STATUSES = (PeriodStatus.SCORING,)


@dataclass(frozen=True)
class QueueFilter:
    cluster_id: int | None = None
    kind: UnitKind | None = None
    status: str | None = None
    q: str = ""


@dataclass(frozen=True)
class QueueRow:
    unit: Unit
    cluster: Cluster | None
    self_status: AssessmentStatus | None
    status: str
    scored: int  # criteria scored on my sheet


@dataclass
class Progress:
    done: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 0


@dataclass
class BoardQueue:
    board: Board
    member: BoardMember
    rows: list[QueueRow] = field(default_factory=list)
    mine: Progress = field(default_factory=Progress)
    board_progress: Progress = field(default_factory=Progress)
    clusters: list[Cluster] = field(default_factory=list)
    kinds: list[UnitKind] = field(default_factory=list)


def sheet_status(sheet_status_value, scored: int) -> str:
    if sheet_status_value is SS.SUBMITTED:
        return SUBMITTED
    return IN_PROGRESS if scored else NOT_STARTED


def my_memberships(session: Session, user: User) -> list[BoardMember]:
    """The user's seats on boards of periods in board scoring, newest period first."""
    return list(
        session.scalars(
            select(BoardMember)
            .join(Board, Board.id == BoardMember.board_id)
            .join(Period, Period.id == Board.period_id)
            .where(BoardMember.user_id == user.id, Period.status.in_(OPEN_STATUSES))
            .order_by(Period.starts_on.desc(), Board.name)
        )
    )


def _rows(session: Session, member: BoardMember) -> list[QueueRow]:
    board = member.board
    scored = (
        select(BoardScore.sheet_id, func.count().label("n"))
        .group_by(BoardScore.sheet_id)
        .subquery()
    )
    query = (
        select(Unit, Cluster, SelfAssessment.status, ScoreSheet.status, scored.c.n)
        .join(Assignment, Assignment.unit_id == Unit.id)
        .outerjoin(Cluster, Cluster.id == Unit.cluster_id)
        .outerjoin(
            SelfAssessment,
            and_(SelfAssessment.unit_id == Unit.id, SelfAssessment.period_id == board.period_id),
        )
        .outerjoin(
            ScoreSheet,
            and_(
                ScoreSheet.unit_id == Unit.id,
                ScoreSheet.period_id == board.period_id,
                ScoreSheet.scorer_id == member.user_id,
            ),
        )
        .outerjoin(scored, scored.c.sheet_id == ScoreSheet.id)
        .where(Assignment.member_id == member.id)
        .order_by(Unit.path)
    )
    return [
        QueueRow(unit, cluster, self_status, sheet_status(status, n or 0), n or 0)
        for unit, cluster, self_status, status, n in session.execute(query)
    ]


def board_progress(session: Session, board: Board) -> Progress:
    """Submitted sheets of the board's assignments, against all its assignments."""
    total = session.scalar(
        select(func.count())
        .select_from(Assignment)
        .join(BoardMember, BoardMember.id == Assignment.member_id)
        .where(BoardMember.board_id == board.id)
    )
    done = session.scalar(
        select(func.count())
        .select_from(Assignment)
        .join(BoardMember, BoardMember.id == Assignment.member_id)
        .join(
            ScoreSheet,
            and_(
                ScoreSheet.unit_id == Assignment.unit_id,
                ScoreSheet.scorer_id == BoardMember.user_id,
                ScoreSheet.period_id == board.period_id,
            ),
        )
        .where(BoardMember.board_id == board.id, ScoreSheet.status == SS.SUBMITTED)
    )
    return Progress(done or 0, total or 0)


def _matches(row: QueueRow, wanted: QueueFilter, needle: str) -> bool:
    if wanted.cluster_id is not None and (
        row.cluster is None or row.cluster.id != wanted.cluster_id
    ):
        return False
    if wanted.kind is not None and row.unit.kind is not wanted.kind:
        return False
    if wanted.status and row.status != wanted.status:
        return False
    return not needle or needle in row.unit.name_folded or needle in row.unit.code.lower()


def my_queue(session: Session, user: User, wanted: QueueFilter = QueueFilter()) -> list[BoardQueue]:
    """Per board seat: the filtered units, my progress and the whole board's progress."""
    needle = fold(wanted.q)
    out = []
    for member in my_memberships(session, user):
        rows = _rows(session, member)
        queue = BoardQueue(member.board, member)
        queue.mine = Progress(sum(r.status == SUBMITTED for r in rows), len(rows))
        queue.board_progress = board_progress(session, member.board)
        queue.clusters = sorted({r.cluster for r in rows if r.cluster}, key=lambda c: c.code)
        queue.kinds = sorted({r.unit.kind for r in rows})
        queue.rows = [r for r in rows if _matches(r, wanted, needle)]
        out.append(queue)
    return out


def neighbours(session: Session, user: User, period: Period, unit: Unit):
    """The previous and next unit of the user's queue in this period (tree order)."""
    units = list(
        session.scalars(
            select(Unit)
            .join(Assignment, Assignment.unit_id == Unit.id)
            .join(BoardMember, BoardMember.id == Assignment.member_id)
            .join(Board, Board.id == BoardMember.board_id)
            .where(Board.period_id == period.id, BoardMember.user_id == user.id)
            .order_by(Unit.path)
            .distinct()
        )
    )
    ids = [u.id for u in units]
    if unit.id not in ids:
        return None, None
    at = ids.index(unit.id)
    previous = units[at - 1] if at > 0 else None
    following = units[at + 1] if at + 1 < len(units) else None
    return previous, following
