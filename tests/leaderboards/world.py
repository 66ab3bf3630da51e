"""A small scoring world for leaderboard tests: one period, a criteria tree, scored units."""

from __future__ import annotations

import itertools

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.campaigns.models import Criterion, CriterionKind, Period, PeriodStatus
from emulation.leaderboards.models import ScopeType, Snapshot, Standing
from emulation.leaderboards.roster import record_roster
from emulation.org.models import Unit
from emulation.scoring.models import BoardScore, ScoreSheet, SheetStatus, VetoDecision
from tests.factories import Factory

K = CriterionKind
_codes = itertools.count(1)


class World:
    """Period with groups 1 (cap 20), 2 (cap 20), B (bonus cap 5), P (penalty cap 8), V."""

    def __init__(self, make: Factory, period: Period | None = None, **rules) -> None:
        self.make = make
        self.session: Session = make.session
        rules.setdefault("tie_break", ["total"])
        self.period = period or make.period(status=PeriodStatus.SCORING, **rules)
        self.criteria: dict[str, Criterion] = {}
        self.scorers = [make.board_member() for _ in range(4)]

    def default_tree(self) -> World:
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

    def decide(self, unit: Unit, code: str = "V1", *, vetoed: bool = True, reason: str = ""):
        """The chair's recorded veto decision."""
        decision = VetoDecision(
            period=self.period,
            unit=unit,
            criterion=self.criteria[code],
            vetoed=vetoed,
            reason=reason or "Quyết định của hội đồng",
        )
        self.session.add(decision)
        self.session.commit()
        return decision

    def roster(self) -> None:
        """(Re)record who competes, as opening board scoring does."""
        record_roster(self.session, self.period)
        self.session.commit()

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
