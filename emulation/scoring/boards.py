"""Evaluation boards of a period: scope, members, chair, and who scores which unit.

A board's scope is a unit subtree or a cluster (then `scope_unit` is the cluster's owner, so
authorization sees the board where the cluster is defined). Conflicts of interest come from
the unit tree: a member may not score a unit they command (see `conflict_reason`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from emulation.accounts import authz
from emulation.accounts.models import Role, RoleGrant, User
from emulation.audit import services as audit
from emulation.campaigns.models import Period, PeriodStatus
from emulation.errors import InvalidInput, InvalidState
from emulation.org.models import COMPETING_KINDS, Cluster, Unit, in_subtree, subtree_clause
from emulation.scoring.models import Assignment, AssignmentMode, Board, BoardMember, ScoreSheet

SCORER_ROLES = (Role.BOARD_MEMBER, Role.BOARD_CHAIR)
# Grants that mean "this person commands that unit": they make scoring it a conflict.
COMMAND_ROLES = (Role.UNIT_HEAD, Role.VIEWER, Role.ADMIN)
FINISHED = (PeriodStatus.CLOSED, PeriodStatus.PUBLISHED)


def board_state(board: Board) -> dict:
    return {
        "name": board.name,
        "period": board.period.code,
        "scope": board.scope_unit.code if board.scope_unit else None,
        "cluster": board.cluster.code if board.cluster else None,
        "members": sorted(m.user.username for m in board.members),
        "chair": board.chair.user.username if board.chair else None,
    }


def _audit(session: Session, actor, action: str, board: Board, before=None, after=None, ip=""):
    scope = board.scope_unit.path if board.scope_unit else ""
    audit.record(session, actor, action, board, before=before, after=after, scope_path=scope, ip=ip)


def _check_open(board_or_period: Board | Period) -> None:
    period = board_or_period.period if isinstance(board_or_period, Board) else board_or_period
    if period.status in FINISHED:
        raise InvalidState(_("The period is closed; its boards can no longer be changed."))


# --- scope --------------------------------------------------------------------------------
def scope_roots(session: Session, board: Board) -> list[Unit]:
    """The subtrees the board covers: the scope unit, or each member of the cluster."""
    if board.cluster_id is not None:
        return list(
            session.scalars(
                select(Unit).where(Unit.cluster_id == board.cluster_id).order_by(Unit.path)
            )
        )
    return [board.scope_unit] if board.scope_unit is not None else []


def scope_units_query(session: Session, board: Board) -> Select:
    """Active competing units in the board's scope, in tree order."""
    roots = scope_roots(session, board)
    return (
        select(Unit)
        .where(
            Unit.active.is_(True),
            Unit.kind.in_(COMPETING_KINDS),
            subtree_clause(Unit.path, [r.path for r in roots]),
        )
        .order_by(Unit.path)
    )


def scope_units(session: Session, board: Board) -> list[Unit]:
    """Active competing units in the board's scope, in tree order."""
    return list(session.scalars(scope_units_query(session, board)))


def covers_scope(user: User, roots: Sequence[Unit], roles: Sequence[Role]) -> bool:
    """True if the user holds one of `roles` over every root of the scope."""
    return bool(roots) and all(authz.has_role(user, roles, root) for root in roots)


def eligible_users(session: Session, board: Board, *, chair: bool = False) -> list[User]:
    """Active users whose board_member/board_chair grants cover the whole scope."""
    roles = (Role.BOARD_CHAIR,) if chair else SCORER_ROLES
    roots = scope_roots(session, board)
    candidates = session.scalars(
        select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role.in_(roles), User.active.is_(True))
        .distinct()
        .order_by(User.full_name, User.username)
    ).all()
    return [u for u in candidates if covers_scope(u, roots, roles)]


# --- board and members --------------------------------------------------------------------
def create_board(
    session: Session,
    *,
    period: Period,
    name: str,
    scope_unit: Unit | None = None,
    cluster: Cluster | None = None,
    actor,
    ip: str = "",
) -> Board:
    """A new board of `period` scoring a unit subtree or a cluster."""
    _check_open(period)
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(_("Give the board a name."))
    if (scope_unit is None) == (cluster is None):
        raise InvalidInput(_("Choose either a unit or a cluster as the board's scope."))
    if cluster is not None:
        scope_unit = cluster.owner_unit
    elif not scope_unit.active:
        raise InvalidInput(_("The unit %(code)s is retired.", code=scope_unit.code))
    board = Board(period=period, name=name, scope_unit=scope_unit, cluster=cluster)
    session.add(board)
    session.flush()
    _audit(session, actor, "board.created", board, after=board_state(board), ip=ip)
    return board


def add_member(session: Session, *, board: Board, user: User, actor, ip: str = "") -> BoardMember:
    """Add a user whose board grants cover the scope."""
    _check_open(board)
    if not covers_scope(user, scope_roots(session, board), SCORER_ROLES):
        raise InvalidInput(
            _("%(name)s holds no board role over the whole scope of this board.", name=_name(user))
        )
    if any(m.user_id == user.id for m in board.members):
        raise InvalidInput(_("%(name)s is already a member.", name=_name(user)))
    before = board_state(board)
    member = BoardMember(board=board, user=user)
    session.add(member)
    session.flush()
    _audit(session, actor, "board.member_added", board, before, board_state(board), ip)
    return member


def remove_member(session: Session, *, board: Board, member: BoardMember, actor, ip="") -> None:
    """Take a member (and their assignments) off the board, unless they already scored."""
    _check_open(board)
    _check_not_started(session, board, [member.id])
    before = board_state(board)
    board.members.remove(member)
    session.flush()
    _audit(session, actor, "board.member_removed", board, before, board_state(board), ip)


def set_chair(session: Session, *, board: Board, member: BoardMember, actor, ip="") -> None:
    """Make `member` the one chair; the chair needs a board_chair grant over the scope."""
    _check_open(board)
    if not covers_scope(member.user, scope_roots(session, board), (Role.BOARD_CHAIR,)):
        raise InvalidInput(
            _("%(name)s holds no board chair role over this scope.", name=_name(member.user))
        )
    before = board_state(board)
    for other in board.members:
        other.is_chair = other.id == member.id
    session.flush()
    _audit(session, actor, "board.chair_set", board, before, board_state(board), ip)


def _name(user: User) -> str:
    return user.full_name or user.username


# --- conflicts of interest ----------------------------------------------------------------
def command_units(user: User) -> list[Unit]:
    """Units the user commands: scopes of unit_head/viewer/admin grants below the ministry."""
    return [
        g.scope_unit
        for g in user.grants
        if g.role in COMMAND_ROLES and g.scope_unit.parent_id is not None
    ]


def conflict_reason(user: User, unit: Unit) -> Unit | None:
    """The commanded unit that makes scoring `unit` a conflict (ancestor, itself or below)."""
    for own in command_units(user):
        if in_subtree(unit.path, own.path) or in_subtree(own.path, unit.path):
            return own
    return None


@dataclass(frozen=True)
class ConflictPair:
    member: BoardMember
    unit: Unit
    own_unit: Unit  # the unit the member commands
    assigned: bool  # True when already assigned with a recorded override


def find_conflicts(session: Session, *, board: Board, units: Sequence[Unit] | None = None):
    """Every (member, unit) pair of the board that is a conflict of interest."""
    units = scope_units(session, board) if units is None else units
    assigned = _assigned_pairs(session, board)
    out = []
    for member in board.members:
        if not command_units(member.user):
            continue
        for unit in units:
            own = conflict_reason(member.user, unit)
            if own is not None:
                out.append(ConflictPair(member, unit, own, (member.id, unit.id) in assigned))
    return out


def override_conflict(
    session: Session,
    *,
    board: Board,
    member: BoardMember,
    unit: Unit,
    reason: str,
    actor,
    ip: str = "",
) -> Assignment:
    """Assign a conflicting pair anyway, recording who decided it and why."""
    _check_open(board)
    reason = " ".join(reason.split())
    if len(reason) < 10:
        raise InvalidInput(_("Explain the override in at least 10 characters."))
    own = conflict_reason(member.user, unit)
    if own is None:
        raise InvalidInput(_("There is no conflict of interest to override here."))
    if member.board_id != board.id or unit not in scope_units(session, board):
        raise InvalidInput(_("This unit is not in the board's scope."))
    assignment = session.scalar(
        select(Assignment).where(Assignment.member_id == member.id, Assignment.unit_id == unit.id)
    )
    if assignment is None:
        assignment = Assignment(member=member, unit=unit)
        session.add(assignment)
    assignment.conflict_override_reason = reason
    assignment.overridden_by = actor if isinstance(actor, User) else None
    session.flush()
    _audit(
        session,
        actor,
        "assignment.conflict_overridden",
        board,
        after={
            "member": member.user.username,
            "unit": unit.code,
            "own_unit": own.code,
            "reason": reason,
        },
        ip=ip,
    )
    return assignment


# --- assignment ---------------------------------------------------------------------------
def balanced_pairs(
    unit_keys: Sequence[int], member_keys: Sequence[int], per_unit: int, blocked=frozenset()
) -> tuple[list[tuple[int, int]], list[int]]:
    """Give each unit `per_unit` distinct members, always the least-loaded allowed ones.

    Deterministic (ties go to the earlier member). Without blocked pairs every member's load
    differs from every other's by at most one. Returns the pairs and the units left short."""
    load = dict.fromkeys(member_keys, 0)
    order = {m: i for i, m in enumerate(member_keys)}
    pairs, short = [], []
    for unit in unit_keys:
        allowed = [m for m in member_keys if (m, unit) not in blocked]
        chosen = sorted(allowed, key=lambda m: (load[m], order[m]))[:per_unit]
        for m in chosen:
            load[m] += 1
            pairs.append((m, unit))
        if len(chosen) < per_unit:
            short.append(unit)
    return pairs, short


@dataclass(frozen=True)
class AssignmentResult:
    created: int
    blocked: int  # conflicting pairs left out
    short_units: list[Unit]  # units with fewer scorers than asked (balanced mode)


def assign_units(
    session: Session,
    *,
    board: Board,
    mode: AssignmentMode,
    scorers_per_unit: int | None = None,
    actor,
    ip: str = "",
) -> AssignmentResult:
    """Replace the board's assignments: everyone scores everything, or a balanced split."""
    _check_open(board)
    members = sorted(board.members, key=lambda m: m.id)
    if not members:
        raise InvalidState(_("Add the board's members first."))
    if board.chair is None:
        raise InvalidState(_("Choose the board's chair first."))
    if mode is AssignmentMode.BALANCED and not 1 <= (scorers_per_unit or 0) <= len(members):
        raise InvalidInput(
            _(
                "Scorers per unit must be between 1 and %(n)d (the number of members).",
                n=len(members),
            )
        )
    _check_not_started(session, board, [m.id for m in members])
    units = scope_units(session, board)
    blocked = {(c.member.id, c.unit.id) for c in find_conflicts(session, board=board, units=units)}
    before = {"mode": board.assignment_mode, "count": _assignment_count(session, board)}
    # Overridden conflicts are deliberate, recorded decisions: they survive a redistribution.
    session.execute(
        delete(Assignment).where(
            Assignment.member_id.in_([m.id for m in members]),
            Assignment.conflict_override_reason.is_(None),
        )
    )
    if mode is AssignmentMode.ALL:
        pairs = [(m.id, u.id) for u in units for m in members if (m.id, u.id) not in blocked]
        short_ids: list[int] = []
        scorers_per_unit = None
    else:
        pairs, short_ids = balanced_pairs(
            [u.id for u in units], [m.id for m in members], scorers_per_unit, blocked
        )
    session.add_all(Assignment(member_id=m, unit_id=u) for m, u in pairs)
    board.assignment_mode, board.scorers_per_unit = mode, scorers_per_unit
    session.flush()
    session.expire_all()
    by_id = {u.id: u for u in units}
    result = AssignmentResult(len(pairs), len(blocked), [by_id[i] for i in short_ids])
    _audit(
        session,
        actor,
        "board.assigned",
        board,
        before,
        {
            "mode": mode,
            "scorers_per_unit": scorers_per_unit,
            "count": len(pairs),
            "blocked": len(blocked),
            "short_units": [by_id[i].code for i in short_ids],
        },
        ip,
    )
    return result


def _assigned_pairs(session: Session, board: Board) -> set[tuple[int, int]]:
    rows = session.execute(
        select(Assignment.member_id, Assignment.unit_id)
        .join(BoardMember, BoardMember.id == Assignment.member_id)
        .where(BoardMember.board_id == board.id)
    ).all()
    return {(m, u) for m, u in rows}


def _assignment_count(session: Session, board: Board) -> int:
    return len(_assigned_pairs(session, board))


def _check_not_started(session: Session, board: Board, member_ids: list[int]) -> None:
    started = session.scalar(
        select(func.count())
        .select_from(ScoreSheet)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(Assignment.member_id.in_(member_ids))
    )
    if started:
        raise InvalidState(_("Scoring has started; these assignments can no longer be changed."))


def assignment_table(session: Session, board: Board, units: Sequence[Unit]):
    """{(member_id, unit_id): Assignment} for the given units, and each member's load."""
    rows = session.scalars(
        select(Assignment)
        .join(BoardMember, BoardMember.id == Assignment.member_id)
        .where(BoardMember.board_id == board.id, Assignment.unit_id.in_([u.id for u in units]))
    ).all()
    loads = dict(
        session.execute(
            select(Assignment.member_id, func.count())
            .join(BoardMember, BoardMember.id == Assignment.member_id)
            .where(BoardMember.board_id == board.id)
            .group_by(Assignment.member_id)
        ).all()
    )
    return {(a.member_id, a.unit_id): a for a in rows}, loads
