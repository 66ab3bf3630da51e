"""Fixture worlds, built through the factory (`make.access_world()`, `make.scoring_world()`,
`make.leaderboard_world()`): bigger arrangements several test packages share.

* access world: two provinces A and B, a user of each kind, every object a URL can name
  (in province A) — the authorization matrix and the CSRF tests walk it;
* scoring world: a period with a criteria tree and score sheets, for the recompute;
* leaderboard world: provinces, units, a cluster and one snapshot of every scope, written
  directly, for the public pages and the API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.accounts.models import Role, User
from emulation.campaigns.models import (
    Classification,
    Criterion,
    CriterionKind,
    Period,
    PeriodStatus,
)
from emulation.leaderboards.models import ScopeType, Snapshot, Standing
from emulation.org.models import Cluster, Unit, UnitKind
from emulation.scoring.models import BoardScore, ScoreSheet, SheetStatus

K = CriterionKind
_codes = itertools.count(1)


# --- access world -------------------------------------------------------------------------
@dataclass
class AccessWorld:
    """Two provinces A and B; every object of the URL map lives in province A."""

    users: dict[str, User | None]
    objects: dict[str, Any]  # URL parameter name -> object (or plain value for public ones)
    values: dict[str, Any] = field(default_factory=dict)  # URL parameter name -> URL value


def build_access_world(make) -> AccessWorld:
    prov_a, prov_b = make.province(), make.province()
    unit_a, unit_b = make.unit(parent=prov_a), make.unit(parent=prov_b)
    member_in = make.board_member(scope=prov_a)
    users: dict[str, User | None] = {
        "anonymous": None,
        "head_a": make.unit_head(unit=unit_a),
        "head_b": make.unit_head(unit=unit_b),
        "member_in": member_in,
        "member_out": make.board_member(scope=prov_b),
        "admin_b": make.admin(scope=prov_b),
        "national": make.admin(),
    }
    campaign = make.campaign()
    period = make.period(campaign=campaign, status=PeriodStatus.SCORING)
    criterion = make.criterion(period=period)
    assessment = make.assessment(unit=unit_a, period=period)
    board = make.board(period=period, scope=prov_a)
    member = make.member(board=board, user=member_in)
    sheet = make.sheet(unit=unit_a, period=period, scorer=member_in)
    snapshot = make.snapshot(period=period)
    make.standing(snapshot=snapshot, unit=unit_a)
    clerk = make.user(home_unit=unit_a, roles=[(Role.VIEWER, unit_a)])
    objects = {
        "campaign_id": campaign,
        "period_id": period,
        "criterion_id": criterion,
        "snapshot_id": snapshot,
        "unit_id": unit_a,
        "cluster_id": make.cluster(units=[unit_a], owner=prov_a),
        "board_id": board,
        "member_id": member,
        "user_id": clerk,
        "grant_id": clerk.grants[0],
        "assessment_id": assessment,
        "sheet_id": sheet,
        "evidence_id": make.evidence(assessment=assessment),
    }
    values = {name: obj.id for name, obj in objects.items()}
    values.update(period=period.code, code=unit_a.code, fmt="csv")
    return AccessWorld(users=users, objects=objects, values=values)


# --- scoring world ------------------------------------------------------------------------
class ScoringWorld:
    """Period with groups 1 (cap 20), 2 (cap 20), B (bonus cap 5), P (penalty cap 8), V."""

    def __init__(self, make: Any, period: Period | None = None, **rules) -> None:
        self.make = make
        self.session: Session = make.session
        rules.setdefault("tie_break", ["total"])
        self.period = period or make.period(status=PeriodStatus.SCORING, **rules)
        self.criteria: dict[str, Criterion] = {}
        self.scorers = [make.board_member() for _ in range(4)]

    def default_tree(self) -> ScoringWorld:
        g1 = self.group("1", 2000)
        self.leaf("1.1", g1, max_points=1500)
        self.leaf("1.2", g1, max_points=1500)
        g2 = self.group("2", 2000)
        self.leaf("2.1", g2, max_points=2000)
        bonus = self.group("B", 500)
        self.leaf("B1", bonus, kind=K.BONUS, max_points=600, points_per_item=300)
        penalty = self.group("P", 800)
        self.leaf("P1", penalty, kind=K.PENALTY, max_points=1000, points_per_item=500)
        veto = self.group("V", 0)
        self.leaf("V1", veto, kind=K.VETO, max_points=0)
        return self

    def group(self, code: str, max_points: int) -> Criterion:
        node = self.make.group(period=self.period, code=code, max_points=max_points)
        self.criteria[code] = node
        return node

    def leaf(self, code: str, parent: Criterion | None, **kw) -> Criterion:
        node = self.make.criterion(period=self.period, parent=parent, code=code, **kw)
        self.criteria[code] = node
        return node

    def unit(self, parent: Unit | None = None, **kw) -> Unit:
        kw.setdefault("code", f"L{next(_codes):05d}")
        return self.make.unit(parent=parent, **kw)

    def score(
        self,
        unit: Unit,
        points: dict[str, int],
        *,
        scorer: int = 0,
        status: SheetStatus = SheetStatus.SUBMITTED,
        measured: dict[str, int | None] | None = None,
    ) -> ScoreSheet:
        sheet = ScoreSheet(
            period=self.period, unit=unit, scorer=self.scorers[scorer], status=status
        )
        measured = measured or {}
        for code in sorted(set(points) | set(measured)):
            sheet.scores.append(
                BoardScore(
                    criterion=self.criteria[code],
                    points=points.get(code, 0),
                    measured=measured.get(code),
                )
            )
        self.session.add(sheet)
        self.session.commit()
        return sheet

    # --- reading results -----------------------------------------------------------------
    def snapshots(self) -> list[Snapshot]:
        return list(
            self.session.scalars(
                select(Snapshot).where(Snapshot.period_id == self.period.id).order_by(Snapshot.id)
            )
        )

    def board(self, snapshot: Snapshot, scope=ScopeType.NATIONAL, key="all") -> list[Standing]:
        return list(
            self.session.scalars(
                select(Standing)
                .where(
                    Standing.snapshot_id == snapshot.id,
                    Standing.scope_type == scope,
                    Standing.scope_key == key,
                )
                .order_by(Standing.rank, Standing.unit_id)
            )
        )

    def ranks(self, snapshot: Snapshot, scope=ScopeType.NATIONAL, key="all") -> dict[str, int]:
        return {s.unit.code: s.rank for s in self.board(snapshot, scope, key)}


# --- leaderboard world --------------------------------------------------------------------
@dataclass
class LeaderboardWorld:
    period: Period
    snapshot: Snapshot
    provinces: list[Unit]
    units: list[Unit]
    cluster: Cluster | None = None
    by_name: dict[str, Unit] = field(default_factory=dict)


def classify(total: int) -> Classification:
    if total >= 9000:
        return Classification.EXCELLENT
    if total >= 7000:
        return Classification.GOOD
    if total >= 5000:
        return Classification.COMPLETED
    return Classification.NOT_COMPLETED


def add_units(make, province: Unit, names: list[str], kind=UnitKind.COMMUNE) -> list[Unit]:
    """Many units in one commit (the factory commits once per unit)."""
    session = make.session
    units = []
    for name in names:
        units.append(
            Unit(
                code=f"{province.code}-{len(province.children) + 1:04d}",
                name=name,
                kind=kind,
                parent=province,
            )
        )
    session.commit()
    return units


def rank_all(
    make,
    snapshot: Snapshot,
    totals: dict[Unit, int],
    previous: dict | None = None,
    groups: dict | None = None,
) -> None:
    """Write standings of every scope for `totals` (competition ranking, ties share)."""
    session = make.session
    scopes: dict[tuple[ScopeType, str], list[Unit]] = {}
    for unit in totals:
        province = unit.parent
        keys = [
            (ScopeType.NATIONAL, "all"),
            (ScopeType.PROVINCE, province.code),
            (ScopeType.KIND, unit.kind.value),
        ]
        if unit.cluster is not None:
            keys.append((ScopeType.CLUSTER, unit.cluster.code))
        for key in keys:
            scopes.setdefault(key, []).append(unit)
    for (scope_type, scope_key), units in scopes.items():
        ordered = sorted(units, key=lambda u: (-totals[u], u.code))
        rank = 0
        for position, unit in enumerate(ordered):
            if not position or totals[ordered[position - 1]] != totals[unit]:
                rank = position + 1  # competition ranking: ties share, next rank skips
            session.add(
                Standing(
                    snapshot=snapshot,
                    unit=unit,
                    scope_type=scope_type,
                    scope_key=scope_key,
                    total=totals[unit],
                    base=totals[unit],
                    rank=rank,
                    previous_rank=(previous or {}).get((scope_type, unit.code)),
                    classification=classify(totals[unit]),
                    group_subtotals=(groups or {}).get(
                        unit.code, {"1": totals[unit] // 2, "2": totals[unit] - totals[unit] // 2}
                    ),
                )
            )
    snapshot.unit_count = len(totals)
    session.commit()


def build_leaderboard_world(
    make,
    per_province: int = 3,
    provinces: int = 2,
    extra_names=(),
    status=None,
    official: bool = False,
) -> LeaderboardWorld:
    """A scored period with provinces, a cluster, units and one snapshot of every scope."""
    period = make.period(status=status or PeriodStatus.SCORING, code="2025", year=2025)
    groups = [
        make.group(
            period, code="1", title_vi="Tận tụy", title_en="Dedicated", max_points=5000, position=1
        ),
        make.group(
            period, code="2", title_vi="Gắn bó", title_en="Attached", max_points=5000, position=2
        ),
    ]
    del groups
    province_units = [make.province(name=f"Tỉnh Mẫu {i + 1}") for i in range(provinces)]
    units: list[Unit] = []
    for index, province in enumerate(province_units):
        names = [f"Xã Số {index + 1}-{n + 1}" for n in range(per_province)]
        if index == 0:
            names += list(extra_names)
        units += add_units(make, province, names)
    cluster = make.cluster(units=units[:2])
    snapshot = make.snapshot(period, official=official)
    totals = {unit: 9900 - 10 * i for i, unit in enumerate(units)}
    rank_all(make, snapshot, totals)
    return LeaderboardWorld(
        period, snapshot, province_units, units, cluster, {u.name: u for u in units}
    )
