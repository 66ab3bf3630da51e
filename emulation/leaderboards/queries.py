"""Read side of leaderboards: the latest complete snapshot of a period and its boards
(one unit's reads, across scopes and periods, are in `unit_queries.py`).

Every function here reads; none writes. Public pages, exports and the API share them so
they show the same rows in the same order: rank (a vetoed unit, not ranked, comes after every
ranked one), then units sharing a rank by name (then id, for a stable order)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, joinedload

from emulation.campaigns.models import Campaign, Period, PeriodStatus
from emulation.leaderboards.models import ScopeType, Snapshot, Standing
from emulation.org.models import Cluster, Unit
from emulation.text import fold

# Periods the public may see: anything past draft (a draft's criteria are not settled).
PUBLIC_STATUSES = tuple(s for s in PeriodStatus if s is not PeriodStatus.DRAFT)
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Page:
    rows: list[Standing]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_position(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0


@dataclass(frozen=True)
class LeaderboardScope:
    """One leaderboard: a snapshot and a scope within it."""

    snapshot: Snapshot
    scope_type: ScopeType = ScopeType.NATIONAL
    scope_key: str = "all"

    def where(self) -> tuple:
        return (
            Standing.snapshot_id == self.snapshot.id,
            Standing.scope_type == self.scope_type,
            Standing.scope_key == self.scope_key,
        )


# --- periods and snapshots ---------------------------------------------------------------
def public_periods(session: Session) -> list[Period]:
    """Every period the public may see, newest first."""
    return list(
        session.scalars(
            select(Period)
            .where(Period.status.in_(PUBLIC_STATUSES))
            .options(joinedload(Period.campaign))
            .order_by(Period.starts_on.desc(), Period.id.desc())
        )
    )


def public_period(session: Session, code: str) -> Period | None:
    """The public period with this code (the oldest campaign wins if codes repeat)."""
    return session.scalar(
        select(Period)
        .join(Campaign)
        .where(Period.code == code, Period.status.in_(PUBLIC_STATUSES))
        .order_by(Campaign.starts_on, Campaign.id)
        .limit(1)
    )


def latest_snapshot(session: Session, period: Period) -> Snapshot | None:
    """The official snapshot if the period is published, else the newest provisional one."""
    query = select(Snapshot).where(Snapshot.period_id == period.id)
    official = session.scalar(
        query.where(Snapshot.official.is_(True)).order_by(Snapshot.id.desc()).limit(1)
    )
    if official is not None:
        return official
    return session.scalar(query.order_by(Snapshot.id.desc()).limit(1))


def current_snapshots(session: Session) -> dict[int, tuple[int, datetime]]:
    """{period id: (snapshot id, computed at)} of the snapshot readers see, for every period."""
    official_id = func.max(case((Snapshot.official.is_(True), Snapshot.id)))
    chosen = {
        period_id: official or newest
        for period_id, official, newest in session.execute(
            select(Snapshot.period_id, official_id, func.max(Snapshot.id)).group_by(
                Snapshot.period_id
            )
        )
    }
    if not chosen:
        return {}
    rows = session.execute(
        select(Snapshot.period_id, Snapshot.id, Snapshot.computed_at).where(
            Snapshot.id.in_(chosen.values())
        )
    )
    return {period_id: (snap_id, at) for period_id, snap_id, at in rows}


def featured_period(session: Session) -> Period | None:
    """The newest period with an official result; without one, the newest with standings.

    Visitors land on results that will not change; the provisional ones of a period still
    being scored are one link away (`provisional_after`)."""
    shown = current_snapshots(session)
    periods = [period for period in public_periods(session) if period.id in shown]
    official = official_period_ids(session)
    return next((p for p in periods if p.id in official), periods[0] if periods else None)


def official_period_ids(session: Session) -> set[int]:
    """Periods that have an official snapshot."""
    return set(
        session.scalars(select(Snapshot.period_id).where(Snapshot.official.is_(True)).distinct())
    )


def provisional_after(session: Session, period: Period) -> Period | None:
    """The newest public period, newer than `period`, whose results are still provisional."""
    shown, official = current_snapshots(session), official_period_ids(session)
    for candidate in public_periods(session):
        if candidate.starts_on <= period.starts_on and candidate.id != period.id:
            break
        if candidate.id in shown and candidate.id not in official and candidate.id != period.id:
            return candidate
    return None


# --- boards ------------------------------------------------------------------------------
BOARD_ORDER = (Standing.rank, Unit.name_folded, Standing.unit_id)


def _board_rows(board: LeaderboardScope):
    """The board's standings with their units, in board order (ties listed by name)."""
    return (
        select(Standing)
        .join(Unit, Unit.id == Standing.unit_id)
        .where(*board.where())
        .options(joinedload(Standing.unit))
        .order_by(*BOARD_ORDER)
    )


def standings_page(
    session: Session,
    snapshot: Snapshot,
    scope_type: ScopeType = ScopeType.NATIONAL,
    scope_key: str = "all",
    page: int = 1,
    per_page: int = MAX_PER_PAGE,
) -> Page:
    """One page of a board, clamped to the pages that exist."""
    board = LeaderboardScope(snapshot, scope_type, scope_key)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    total = board_size(session, board)
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = session.scalars(_board_rows(board).offset((page - 1) * per_page).limit(per_page)).all()
    return Page(list(rows), total, page, per_page)


def board_size(session: Session, board: LeaderboardScope) -> int:
    query = select(func.count(Standing.unit_id)).where(*board.where())
    return session.scalar(query) or 0


def all_standings(session: Session, board: LeaderboardScope) -> list[Standing]:
    """Every row of a board in rank order (exports, print page)."""
    return list(session.scalars(_board_rows(board)))


@dataclass(frozen=True)
class ExportRow:
    """One standing with its unit's columns, read without building ORM objects."""

    unit_id: int
    rank: int
    previous_rank: int | None
    code: str
    name: str
    kind: str
    path: str
    group_subtotals: dict | None
    bonus: int
    penalty: int
    total: int
    classification: str
    vetoed: bool = False

    @property
    def ranked(self) -> bool:
        return not self.vetoed

    @property
    def shown_rank(self) -> int | None:
        return None if self.vetoed else self.rank


def export_rows(session: Session, board: LeaderboardScope) -> list[ExportRow]:
    """Every row of a board in rank order as plain values (exports: 10,051 rows at scale)."""
    rows = session.execute(
        select(
            Standing.unit_id,
            Standing.rank,
            Standing.previous_rank,
            Unit.code,
            Unit.name,
            Unit.kind,
            Unit.path,
            Standing.group_subtotals,
            Standing.bonus,
            Standing.penalty,
            Standing.total,
            Standing.classification,
            Standing.vetoed,
        )
        .join(Unit, Unit.id == Standing.unit_id)
        .where(*board.where())
        .order_by(Standing.rank, Unit.name_folded, Standing.unit_id)
    )
    return [ExportRow(*row) for row in rows]


def page_of(session: Session, board: LeaderboardScope, standing: Standing, per_page: int) -> int:
    """The page of the board on which `standing` appears."""
    name = standing.unit.name_folded
    before = session.scalar(
        select(func.count(Standing.unit_id))
        .join(Unit, Unit.id == Standing.unit_id)
        .where(
            *board.where(),
            or_(
                Standing.rank < standing.rank,
                and_(Standing.rank == standing.rank, Unit.name_folded < name),
                and_(
                    Standing.rank == standing.rank,
                    Unit.name_folded == name,
                    Standing.unit_id < standing.unit_id,
                ),
            ),
        )
    )
    return (before or 0) // per_page + 1


def like_folded(text: str) -> str:
    escaped = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def find_in_board(
    session: Session, board: LeaderboardScope, text: str, limit: int = 20
) -> list[Standing]:
    """Standings of the board whose unit name contains `text`, ignoring diacritics and case,
    or whose code is `text`."""
    if not fold(text):
        return []
    return list(
        session.scalars(
            select(Standing)
            .join(Unit, Unit.id == Standing.unit_id)
            .where(
                *board.where(),
                or_(
                    Unit.name_folded.like(like_folded(text), escape="\\"),
                    Unit.code == text.strip(),
                ),
            )
            .options(joinedload(Standing.unit))
            .order_by(*BOARD_ORDER)
            .limit(limit)
        )
    )


def scope_keys(session: Session, snapshot: Snapshot) -> dict[ScopeType, list[str]]:
    """The scope keys that have standings in this snapshot, per scope type."""
    keys: dict[ScopeType, list[str]] = {scope: [] for scope in ScopeType}
    rows = session.execute(
        select(Standing.scope_type, Standing.scope_key)
        .where(Standing.snapshot_id == snapshot.id)
        .distinct()
        .order_by(Standing.scope_type, Standing.scope_key)
    )
    for scope_type, scope_key in rows:
        keys[ScopeType(scope_type)].append(scope_key)
    return keys


def names_of_scope_keys(session: Session, keys: dict[ScopeType, list[str]]) -> dict[tuple, str]:
    """{(scope type, key): display name} for provinces and clusters."""
    names: dict[tuple, str] = {}
    if keys.get(ScopeType.PROVINCE):
        for code, name in session.execute(
            select(Unit.code, Unit.name).where(Unit.code.in_(keys[ScopeType.PROVINCE]))
        ):
            names[(ScopeType.PROVINCE, code)] = name
    if keys.get(ScopeType.CLUSTER):
        for code, name in session.execute(
            select(Cluster.code, Cluster.name).where(Cluster.code.in_(keys[ScopeType.CLUSTER]))
        ):
            names[(ScopeType.CLUSTER, code)] = name
    return names
