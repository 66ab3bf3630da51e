"""`flask demo load`: real units, the campaign, the default criteria, demo users and scores.

Idempotent: every part is skipped when already present. Units come from the committed
official lists in `emulation/data/` (origin: the PyPI package vietnam-provinces; see
`emulation/data/SOURCES.md`). Scores are invented but plausible: each unit has a hidden
quality that drifts a little from period to period."""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from typing import NamedTuple

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from emulation.accounts.models import Role, RoleGrant, User
from emulation.accounts.passwords import hash_password
from emulation.campaigns.defaults import create_default_criteria
from emulation.campaigns.models import Campaign, Criterion, CriterionKind, Period, PeriodKind
from emulation.campaigns.models import PeriodStatus as PS
from emulation.db import utcnow
from emulation.org.models import (
    COMPETING_KINDS,
    PROVINCIAL_KINDS,
    Cluster,
    Unit,
    UnitKind,
    in_subtree,
    subtree_clause,
)
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
from emulation.text import fold

Echo = Callable[[str], None]
CAMPAIGN_SLUG = "tan-tuy-gan-bo-than-thien-an-toan-an-dan"
DEMO_PASSWORD = "thidua-2026"
PROVINCES_PER_CLUSTER = 6
COMMUNES_PER_CLUSTER = 12
VN_OFFSET = timedelta(hours=7)  # windows are given in Vietnam time, stored in UTC


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    name_vi: str
    name_en: str
    kind: PeriodKind
    starts_on: date
    ends_on: date
    status: PS


PERIODS = (
    PeriodSpec(
        "2021-6t",
        "Sơ kết 6 tháng đầu (06–11/2021)",
        "First six months (06–11/2021)",
        PeriodKind.HALF_YEAR,
        date(2021, 6, 1),
        date(2021, 11, 30),
        PS.PUBLISHED,
    ),
    PeriodSpec(
        "2021",
        "Tổng kết năm 2021",
        "Year 2021",
        PeriodKind.YEAR,
        date(2021, 6, 1),
        date(2021, 12, 31),
        PS.PUBLISHED,
    ),
    PeriodSpec(
        "2022",
        "Tổng kết năm 2022",
        "Year 2022",
        PeriodKind.YEAR,
        date(2022, 1, 1),
        date(2022, 12, 31),
        PS.PUBLISHED,
    ),
    PeriodSpec(
        "2023",
        "Tổng kết năm 2023",
        "Year 2023",
        PeriodKind.YEAR,
        date(2023, 1, 1),
        date(2023, 12, 31),
        PS.PUBLISHED,
    ),
    PeriodSpec(
        "2024",
        "Tổng kết năm 2024",
        "Year 2024",
        PeriodKind.YEAR,
        date(2024, 1, 1),
        date(2024, 12, 31),
        PS.PUBLISHED,
    ),
    PeriodSpec(
        "2025",
        "Tổng kết năm 2025",
        "Year 2025",
        PeriodKind.YEAR,
        date(2025, 1, 1),
        date(2025, 12, 31),
        PS.PUBLISHED,
    ),
    PeriodSpec(
        "2026",
        "Tổng kết năm 2026",
        "Year 2026",
        PeriodKind.YEAR,
        date(2026, 1, 1),
        date(2026, 12, 31),
        PS.SCORING,
    ),
)

# (username, full name, role, scope unit code or "first-province"/"first-commune"...)
DEMO_USERS = (
    ("admin", "Quản trị viên Bộ Công an", Role.ADMIN, "BCA"),
    ("admin.tinh", "Quản trị viên Công an tỉnh", Role.ADMIN, "province:0"),
    ("truong.xa1", "Trưởng Công an xã/phường (đơn vị 1)", Role.UNIT_HEAD, "commune:0"),
    ("truong.xa2", "Trưởng Công an xã/phường (đơn vị 2)", Role.UNIT_HEAD, "commune:1"),
    ("thamdinh.1", "Thành viên Hội đồng thẩm định 1", Role.BOARD_MEMBER, "province:0"),
    ("thamdinh.2", "Thành viên Hội đồng thẩm định 2", Role.BOARD_MEMBER, "province:0"),
    ("chutich.hd", "Chủ tịch Hội đồng thẩm định", Role.BOARD_CHAIR, "province:0"),
    ("xem", "Người xem (Bộ Công an)", Role.VIEWER, "BCA"),
)


class UnitRow(NamedTuple):
    id: int
    code: str
    path: str


def load_demo(session: Session, *, legacy: bool, provinces: int, seed: int, echo: Echo) -> None:
    """Load everything, committing after each part so progress survives an interruption."""
    rng = random.Random(seed)
    # Plain values: every commit below expires ORM objects, and reading unit.code of an
    # expired unit is one SELECT per unit per period (a third of the load at 10k units).
    units = [
        UnitRow(u.id, u.code, u.path)
        for u in load_units(session, legacy=legacy, provinces=provinces, echo=echo)
    ]
    session.commit()
    load_clusters(session, echo=echo)
    session.commit()
    campaign = load_campaign(session, echo=echo)
    session.commit()
    users = load_users(session, echo=echo)
    session.commit()
    from emulation.assessments import demo as self_assessments

    for period in campaign.periods:  # the period under way: self-assessment comes first
        quality = lambda unit, period=period: _unit_quality(unit, period, rng)  # noqa: E731
        self_assessments.load(session, period, users, quality, rng, echo=echo)
        session.commit()
    from emulation.leaderboards.criterion_results import rebuild_criterion_results

    for period in campaign.periods:
        load_period_scores(session, period, units, users, rng, echo=echo)
        rebuild_criterion_results(session, period.id)  # bulk writers keep the aggregates built
        session.commit()
    from emulation.leaderboards.inputs import refresh_statistics

    refresh_statistics(session)  # bulk-loaded tables: the recompute's plans need row counts
    session.commit()
    compute_leaderboards(session, campaign, echo=echo)
    echo("Demo data ready.")


# --- units and clusters -------------------------------------------------------------------
def read_official_units(legacy: bool) -> list[dict[str, str]]:
    name = "units_2021.csv" if legacy else "units_2025.csv"
    text = resources.files("emulation.data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _limit_provinces(rows: list[dict[str, str]], provinces: int) -> list[dict[str, str]]:
    if provinces <= 0:
        return rows
    kept_provinces = [r["code"] for r in rows if r["parent_code"] == "BCA"][:provinces]
    keep = {"BCA", *kept_provinces}
    out = []
    for row in rows:  # parents always precede children in the file
        if row["code"] in keep or (row["parent_code"] in keep and row["parent_code"] != "BCA"):
            keep.add(row["code"])
            out.append(row)
    return out


def load_units(session: Session, *, legacy: bool, provinces: int, echo: Echo) -> list[Unit]:
    """Insert the official units that are not there yet; return the competing units."""
    rows = _limit_provinces(read_official_units(legacy), provinces)
    existing = dict(session.execute(select(Unit.code, Unit.id)).all())
    paths = dict(session.execute(select(Unit.code, Unit.path)).all())
    depth = {code: path.count("/") - 2 for code, path in paths.items()}
    new_rows = []
    for row in rows:
        if row["code"] in existing:
            continue
        parent = row["parent_code"] or None
        paths[row["code"]] = f"{paths[parent] if parent else '/'}{row['code']}/"
        depth[row["code"]] = depth[parent] + 1 if parent else 0
        new_rows.append(row)
    # Insert level by level so parents have ids before their children.
    for level in sorted({depth[r["code"]] for r in new_rows}):
        batch = [r for r in new_rows if depth[r["code"]] == level]
        ids = dict(session.execute(select(Unit.code, Unit.id)).all())
        session.execute(
            insert(Unit),
            [
                {
                    "code": r["code"],
                    "name": r["name"],
                    "name_folded": fold(r["name"]),
                    "kind": UnitKind(r["kind"]),
                    "parent_id": ids.get(r["parent_code"]) if r["parent_code"] else None,
                    "path": paths[r["code"]],
                    "depth": level,
                    "active": True,
                }
                for r in batch
            ],
        )
    echo(f"Units: {len(new_rows)} added, {len(rows) - len(new_rows)} already present.")
    return competing_units(session)


def competing_units(session: Session) -> list[Unit]:
    return list(
        session.scalars(
            select(Unit)
            .where(Unit.active.is_(True), Unit.kind.in_(COMPETING_KINDS))
            .order_by(Unit.path)
        )
    )


def load_clusters(session: Session, *, echo: Echo) -> None:
    """Province clusters of six under the ministry; commune clusters of ~12 per province."""
    if session.scalar(select(func.count()).select_from(Cluster)):
        echo("Clusters: already present.")
        return
    ministry = session.scalar(select(Unit).where(Unit.kind == UnitKind.MINISTRY))
    provinces = list(
        session.scalars(select(Unit).where(Unit.kind.in_(PROVINCIAL_KINDS)).order_by(Unit.code))
    )
    count = 0
    for index in range(0, len(provinces), PROVINCES_PER_CLUSTER):
        number = index // PROVINCES_PER_CLUSTER + 1
        cluster = Cluster(
            code=f"CT{number:02d}", name=f"Cụm thi đua số {number}", owner_unit=ministry
        )
        session.add(cluster)
        for province in provinces[index : index + PROVINCES_PER_CLUSTER]:
            province.cluster = cluster
        count += 1
    session.flush()
    for province in provinces:
        communes = session.scalars(
            select(Unit)
            .where(subtree_clause(Unit.path, [province.path]), Unit.kind.in_(COMPETING_KINDS))
            .order_by(Unit.code)
        ).all()
        short = province.name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
        for index in range(0, len(communes), COMMUNES_PER_CLUSTER):
            number = index // COMMUNES_PER_CLUSTER + 1
            cluster = Cluster(
                code=f"{province.code}-C{number:02d}",
                name=f"Cụm {number} – {short}",
                owner_unit=province,
            )
            session.add(cluster)
            for unit in communes[index : index + COMMUNES_PER_CLUSTER]:
                unit.cluster = cluster
            count += 1
    session.flush()
    echo(f"Clusters: {count} created.")


# --- campaign, periods, criteria ------------------------------------------------------------
def load_campaign(session: Session, *, echo: Echo) -> Campaign:
    campaign = session.scalar(select(Campaign).where(Campaign.slug == CAMPAIGN_SLUG))
    if campaign is None:
        campaign = Campaign(
            slug=CAMPAIGN_SLUG,
            name_vi="Tận tụy, gắn bó, thân thiện, an toàn và an dân",
            name_en="Dedicated, attached, friendly, safe and people-securing",
            description_vi=(
                "Phong trào thi đua đặc biệt trong Công an cấp cơ sở, phát động tại Hội nghị "
                "trực tuyến ngày 31/5/2021 và triển khai từ ngày 01/6/2021."
            ),
            description_en=(
                "Special emulation movement among grassroots police, launched at the online "
                "conference of 31 May 2021 and running from 1 June 2021."
            ),
            starts_on=date(2021, 6, 1),
        )
        session.add(campaign)
        session.flush()
    have = {p.code for p in campaign.periods}
    previous = None
    for spec in PERIODS:
        if spec.code in have:
            previous = next(p for p in campaign.periods if p.code == spec.code)
            continue
        period = _new_period(spec, campaign, previous)
        session.add(period)
        session.flush()
        create_default_criteria(session, period)
        previous = period
        echo(f"Period {spec.code}: created with the default criteria set.")
    session.flush()
    session.refresh(campaign)
    return campaign


def _vn(day: date, hour: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour) - VN_OFFSET


def _new_period(spec: PeriodSpec, campaign: Campaign, previous: Period | None) -> Period:
    review = (
        spec.ends_on.replace(day=1) if spec.ends_on.month != 12 else date(spec.ends_on.year, 11, 1)
    )
    return Period(
        campaign=campaign,
        code=spec.code,
        name_vi=spec.name_vi,
        name_en=spec.name_en,
        kind=spec.kind,
        starts_on=spec.starts_on,
        ends_on=spec.ends_on,
        # The period under way starts in self-assessment; load_demo moves it to scoring.
        status=PS.SELF_ASSESSMENT if spec.status is PS.SCORING else spec.status,
        self_assessment_opens_at=_vn(review),
        self_assessment_closes_at=_vn(review + timedelta(days=20)),
        scoring_opens_at=_vn(review + timedelta(days=20)),
        scoring_closes_at=_vn(review + timedelta(days=40)),
        criteria_frozen_at=_vn(review),
        published_at=_vn(review + timedelta(days=45)) if spec.status is PS.PUBLISHED else None,
        copied_from=previous,
        excellent_cap_percent=20,
    )


# --- users ----------------------------------------------------------------------------------
def _scope_unit(session: Session, ref: str) -> Unit:
    if ":" not in ref:
        return session.scalar(select(Unit).where(Unit.code == ref))
    what, index = ref.split(":")
    kinds = PROVINCIAL_KINDS if what == "province" else COMPETING_KINDS
    query = select(Unit).where(Unit.kind.in_(kinds)).order_by(Unit.path)
    return session.scalars(query.offset(int(index)).limit(1)).one()


def load_users(session: Session, *, echo: Echo) -> dict[str, User]:
    """The demo logins, plus two scorers per province so every unit can be appraised."""
    password_hash = hash_password(DEMO_PASSWORD)
    existing = {u.username: u for u in session.scalars(select(User))}
    wanted: list[tuple[str, str, Role, Unit]] = [
        (username, name, role, _scope_unit(session, ref))
        for username, name, role, ref in DEMO_USERS
    ]
    for province in session.scalars(select(Unit).where(Unit.kind.in_(PROVINCIAL_KINDS))):
        for n in (1, 2):
            wanted.append(
                (
                    f"td.{province.code}.{n}",
                    f"Thẩm định viên {n} – {province.name}",
                    Role.BOARD_MEMBER,
                    province,
                )
            )
    added = 0
    for username, full_name, role, scope in wanted:
        if username in existing:
            continue
        user = User(
            username=username,
            full_name=full_name,
            password_hash=password_hash,
            password_changed_at=utcnow(),
        )
        user.grants.append(RoleGrant(role=role, scope_unit=scope))
        if username == "chutich.hd":
            user.grants.append(RoleGrant(role=Role.BOARD_MEMBER, scope_unit=scope))
        session.add(user)
        existing[username] = user
        added += 1
    session.flush()
    echo(f"Users: {added} added (password for every demo login: {DEMO_PASSWORD}).")
    return existing


def print_logins(echo: Echo) -> None:
    echo("")
    echo(f"Demo logins (password for all: {DEMO_PASSWORD})")
    for username, full_name, role, _ref in DEMO_USERS:
        echo(f"  {username:<12} {role.value:<13} {full_name}")
    echo("  td.<province code>.1 / .2  board_member  scorers of each province (e.g. td.01.1)")
    echo("")


# --- scores ---------------------------------------------------------------------------------
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
            measured = rng.choices((0, 1, 2), weights=(70 + 25 * (1 - q), 25 * q, 5 * q))[0]
        case CriterionKind.PENALTY:
            measured = rng.choices((0, 1, 2), weights=(80 + 15 * q, 15 * (1 - q), 5 * (1 - q)))[0]
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
        quality = _unit_quality(unit, period, rng)
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
    sheet_ids = (
        session.scalars(
            insert(ScoreSheet).returning(ScoreSheet.id, sort_by_parameter_order=True), sheets
        ).all()
        if sheets
        else []
    )
    rows = [
        {
            "sheet_id": sheet_id,
            "criterion_id": leaf.id,
            "points": points,
            "measured": measured,
            "comment": "",
        }
        for sheet_id, values in zip(sheet_ids, scores_for_sheet, strict=True)
        for leaf, (points, measured) in zip(leaves, values, strict=True)
    ]
    _bulk_insert(session, BoardScore, rows)
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
        return qualities.setdefault(unit.id, _unit_quality(unit, period, rng))

    def measure_criterion(criterion, q, rand):
        return _measure(_Leaf(criterion.id, spec_of(criterion)), q, rand)

    measure = demo_board.demo_value(rng, quality, measure_criterion)
    count = demo_board.fill_sheets(session, board, users, measure)
    echo(f"Board {board.name}: {count} sheets written by its members, the rest to score.")


def _bulk_insert(session: Session, model, rows: list[dict], batch: int = 50_000) -> None:
    """Plain Core executemany: the ORM bulk path costs several times more for big tables."""
    connection = session.connection()
    for start in range(0, len(rows), batch):
        connection.execute(model.__table__.insert(), rows[start : start + batch])


def _unit_quality(unit: UnitRow, period: Period, rng: random.Random) -> float:
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


# --- leaderboards ---------------------------------------------------------------------------
def compute_leaderboards(session: Session, campaign: Campaign, *, echo: Echo) -> None:
    from emulation.leaderboards.recompute import recompute_period

    for period in campaign.periods:
        if period.status not in (PS.SCORING, PS.CLOSED, PS.PUBLISHED):
            continue
        snapshot = recompute_period(session, period, official=period.status is PS.PUBLISHED)
        session.commit()
        state = "unchanged" if snapshot is None else f"{snapshot.unit_count} units ranked"
        echo(f"Leaderboard {period.code}: {state}.")
