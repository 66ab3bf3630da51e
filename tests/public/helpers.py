"""Build realistic leaderboards quickly: units under provinces, one snapshot, every scope."""

from __future__ import annotations

from dataclasses import dataclass, field

from emulation.campaigns.models import Classification, Period, PeriodStatus
from emulation.leaderboards.models import ScopeType, Snapshot, Standing
from emulation.org.models import Cluster, Unit, UnitKind


@dataclass
class World:
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


def world(
    make,
    per_province: int = 3,
    provinces: int = 2,
    extra_names=(),
    status=None,
    official: bool = False,
) -> World:
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
    return World(period, snapshot, province_units, units, cluster, {u.name: u for u in units})
