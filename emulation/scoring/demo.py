"""The demo's board scores: a board sheet per unit and period (scored by the province's two
`td.<province>.<n>` scorers), the chair's veto decisions, the boards of the period in scoring
and the Hà Nội board of the demo logins (emulation/scoring/demo_board.py). Part of
`flask demo load` (emulation/demo.py). Scores are invented but plausible: each unit has a
hidden quality that drifts a little from period to period."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from emulation.accounts.models import User
from emulation.campaigns.models import Criterion, CriterionKind, Period
from emulation.campaigns.models import PeriodStatus as PS
from emulation.db import utcnow
from emulation.org.demo import UnitRow
from emulation.org.models import COMPETING_KINDS, PROVINCIAL_KINDS, Unit, in_subtree
from emulation.scoring import demo_board
from emulation.scoring.models import (
    Assignment,
    Board,
    BoardMember,
    BoardScore,
    ScoreSheet,
    SheetStatus,
    VetoDecision,
)
from emulation.scoring.rules import CriterionSpec, RuleError, points_for
from emulation.scoring.sheets import spec_of

Echo = Callable[[str], None]


@dataclass
class _Leaf:
    id: int
    spec: CriterionSpec


def _leaves(period: Period) -> list[_Leaf]:
    return [
        _Leaf(
            c.id,
            CriterionSpec(
                c.kind,
                c.max_points,
                c.min_points,
                c.points_per_item,
                c.target,
                c.target_share_percent,
                c.higher_is_better,
            ),
        )
        for c in period.criteria
        if c.kind is not CriterionKind.GROUP
    ]


def _pick3(rng: random.Random, w0: float, w1: float, w2: float) -> int:
    """`rng.choices((0, 1, 2), weights=(w0, w1, w2))[0]`: the same single draw and the same
    cumulative sums, without building lists for every generated score."""
    first, second = w0, w0 + w1
    x = rng.random() * (second + w2)
    return 0 if x < first else 1 if x < second else 2


def _measure(leaf: _Leaf, quality: float, rng: random.Random) -> tuple[int, int | None]:
    """A plausible (points, measured) for one criterion of a unit of this quality."""
    spec = leaf.spec
    q = min(1.0, max(0.0, quality + rng.gauss(0, 0.08)))
    match spec.kind:
        case CriterionKind.DIRECT:
            quarter_points = round(spec.max_points / 25 * q)
            return quarter_points * 25, None
        case CriterionKind.PASS_FAIL:
            measured = 1 if rng.random() < q + 0.12 else 0
        case CriterionKind.QUANTITATIVE:
            measured = int(spec.target * min(1.3, max(0.3, q + rng.gauss(0.12, 0.1))))
        case CriterionKind.BONUS:
            measured = _pick3(rng, 70 + 25 * (1 - q), 25 * q, 5 * q)
        case CriterionKind.PENALTY:
            measured = _pick3(rng, 80 + 15 * q, 15 * (1 - q), 5 * (1 - q))
        case CriterionKind.VETO:
            measured = 1 if rng.random() < 0.002 else 0
        case _:
            raise RuleError("group")
    return points_for(spec, measured), measured


def load_period_scores(session, period, units, users, rng, *, echo: Echo) -> None:
    """Board sheets for every unit (self-assessments: emulation/assessments/demo.py)."""
    if period.status not in (PS.SCORING, PS.CLOSED, PS.PUBLISHED):
        return
    if session.scalar(
        select(func.count()).select_from(ScoreSheet).where(ScoreSheet.period_id == period.id)
    ):
        echo(f"Scores {period.code}: already present.")
        return
    leaves = _leaves(period)
    current = period.status is PS.SCORING
    # The demo board's province is scored in the browser (and through the services, below).
    demo_province = demo_board.demo_province(session, users) if current else None
    if current:
        _ensure_boards(session, period, users, skip=demo_province)
    sheets, scores_for_sheet = [], []
    for unit in units:
        quality = unit_quality(unit, period, rng)
        province_code = unit.path.split("/")[2]
        if demo_province is not None and unit.path.startswith(demo_province.path):
            continue
        scorers = [users.get(f"td.{province_code}.1"), users.get(f"td.{province_code}.2")]
        scorers = [s for s in scorers if s is not None]
        if not scorers:
            continue
        plan = [(scorers[0], SheetStatus.SUBMITTED)]
        if current:
            plan = [
                (s, SheetStatus.SUBMITTED if rng.random() < 0.75 else SheetStatus.DRAFT)
                for s in scorers
            ]
        for scorer, status in plan:
            sheets.append(
                {
                    "period_id": period.id,
                    "unit_id": unit.id,
                    "scorer_id": scorer.id,
                    "status": status,
                    "version": 1,
                    "submitted_at": utcnow() if status is SheetStatus.SUBMITTED else None,
                }
            )
            scores_for_sheet.append([_measure(leaf, quality, rng) for leaf in leaves])
    sheet_ids = _insert_sheets(session, period, sheets)
    rows = [
        (sheet_id, leaf.id, points, measured, "")
        for sheet_id, values in zip(sheet_ids, scores_for_sheet, strict=True)
        for leaf, (points, measured) in zip(leaves, values, strict=True)
    ]
    _bulk_insert(session, BoardScore, SCORE_COLUMNS, rows)
    if current:
        _demo_board_sheets(session, period, users, rng, echo)
    _veto_decisions(session, period, users, rng, decide_all=not current)
    echo(f"Scores {period.code}: {len(sheet_ids)} board sheets, {len(rows)} criterion scores.")


VETO_REASONS = (
    "Cán bộ bị giáng chức theo quyết định kỷ luật",
    "Để xảy ra oan sai trong điều tra",
)


def _veto_decisions(session, period, users, rng, *, decide_all: bool) -> None:
    """The chair's decisions on flagged vetoes: all of them in a finished period, about half
    in the period in scoring (the rest stay "under review")."""
    flagged = session.execute(
        select(ScoreSheet.unit_id, BoardScore.criterion_id)
        .join(BoardScore, BoardScore.sheet_id == ScoreSheet.id)
        .join(Criterion, Criterion.id == BoardScore.criterion_id)
        .where(
            ScoreSheet.period_id == period.id,
            ScoreSheet.status == SheetStatus.SUBMITTED,
            Criterion.kind == CriterionKind.VETO,
            BoardScore.measured != 0,
        )
        .distinct()
        .order_by(ScoreSheet.unit_id, BoardScore.criterion_id)
    ).all()
    chair = users.get("td.01.1")
    for unit_id, criterion_id in flagged:
        if not decide_all and rng.random() < 0.5:
            continue
        upheld = rng.random() < 0.7
        session.add(
            VetoDecision(
                period_id=period.id,
                unit_id=unit_id,
                criterion_id=criterion_id,
                vetoed=upheld,
                reason=rng.choice(VETO_REASONS) if upheld else "Không đủ căn cứ, không áp dụng",
                decided_by_id=chair.id if chair is not None else None,
            )
        )
    session.flush()


def _demo_board_sheets(session, period, users, rng, echo: Echo) -> None:
    """The Hà Nội board of the demo logins, with a few sheets written through the services."""
    board = demo_board.build_board(session, period, users)
    if board is None:
        return
    qualities: dict[int, float] = {}

    def quality(unit: Unit) -> float:
        return qualities.setdefault(unit.id, unit_quality(unit, period, rng))

    def measure_criterion(criterion, q, rand):
        return _measure(_Leaf(criterion.id, spec_of(criterion)), q, rand)

    measure = demo_board.demo_value(rng, quality, measure_criterion)
    count = demo_board.fill_sheets(session, board, users, measure)
    echo(f"Board {board.name}: {count} sheets written by its members, the rest to score.")


def _insert_sheets(session: Session, period: Period, sheets: list[dict]) -> list[int]:
    """Insert the sheets (one Core executemany, no RETURNING: SQLite then inserts row by row)
    and read their ids back, in the order of `sheets`."""
    if not sheets:
        return []
    session.execute(insert(ScoreSheet), sheets)
    ids = {
        (unit_id, scorer_id): sheet_id
        for sheet_id, unit_id, scorer_id in session.execute(
            select(ScoreSheet.id, ScoreSheet.unit_id, ScoreSheet.scorer_id).where(
                ScoreSheet.period_id == period.id
            )
        )
    }
    return [ids[sheet["unit_id"], sheet["scorer_id"]] for sheet in sheets]


SCORE_COLUMNS = ("sheet_id", "criterion_id", "points", "measured", "comment")


def _bulk_insert(session: Session, model, columns, rows: list[tuple]) -> None:
    """Tuples straight to the driver: PostgreSQL `COPY`, SQLite `executemany` (several times
    cheaper than SQLAlchemy's executemany of dicts for a million score rows)."""
    if not rows:
        return
    table, names = model.__tablename__, ", ".join(columns)
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        if session.get_bind().dialect.name == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    finally:
        cursor.close()


def unit_quality(unit: UnitRow, period: Period, rng: random.Random) -> float:
    base = random.Random(unit.code).gauss(0.8, 0.09)  # stable per unit
    return min(1.0, max(0.35, base + rng.gauss(0, 0.035)))


def _ensure_boards(session: Session, period: Period, users: dict[str, User], skip=None) -> None:
    """One appraisal board per province for the period in scoring, two members each (the
    province `skip` gets the demo logins' board, built through the services)."""
    if session.scalar(select(func.count()).select_from(Board).where(Board.period_id == period.id)):
        return
    provinces = session.scalars(select(Unit).where(Unit.kind.in_(PROVINCIAL_KINDS))).all()
    for province in provinces:
        if skip is not None and province.id == skip.id:
            continue
        board = Board(
            period=period, name=f"Hội đồng thẩm định – {province.name}", scope_unit=province
        )
        session.add(board)
        for n in (1, 2):
            user = users.get(f"td.{province.code}.{n}")
            if user is not None:
                board.members.append(BoardMember(user=user, is_chair=(n == 1)))
    session.flush()
    member_rows = session.execute(
        select(BoardMember.id, Board.scope_unit_id).join(Board).where(Board.period_id == period.id)
    ).all()
    paths = dict(session.execute(select(Unit.id, Unit.path)).all())
    competing = session.execute(
        select(Unit.id, Unit.path).where(Unit.kind.in_(COMPETING_KINDS), Unit.active.is_(True))
    ).all()
    rows = [
        {"member_id": member_id, "unit_id": unit_id}
        for member_id, scope_id in member_rows
        for unit_id, path in competing
        if in_subtree(path, paths[scope_id])
    ]
    if rows:
        session.execute(insert(Assignment), rows)
