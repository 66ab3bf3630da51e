"""Pictures of a leaderboard: the distribution of totals against the classification bands,
and the average points by group of each province. Read from one snapshot, so a rendered page
that holds them stays a pure function of (snapshot, scope, language)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.leaderboards import queries
from emulation.leaderboards.models import ScopeType, Snapshot, Standing
from emulation.org.models import Unit

BIN = 200  # two points a bar


@dataclass(frozen=True)
class Bar:
    start: int  # hundredths of a point, inclusive
    count: int
    band: str  # classification of a total at `start`


def band_of(total: int, bands: Sequence[int]) -> str:
    """'excellent' / 'good' / 'completed' / 'not_completed' for bands (excellent, good,
    completed) in hundredths."""
    excellent, good, completed = bands
    if total >= excellent:
        return "excellent"
    if total >= good:
        return "good"
    if total >= completed:
        return "completed"
    return "not_completed"


def histogram(totals: Iterable[int], bands: Sequence[int], width: int = BIN) -> list[Bar]:
    """Bars of `width` from the lowest to the highest total, empty ones included (pure)."""
    counts: dict[int, int] = defaultdict(int)
    for total in totals:
        counts[(total // width) * width] += 1
    if not counts:
        return []
    low, high = min(counts), max(counts)
    return [
        Bar(start, counts.get(start, 0), band_of(start, bands))
        for start in range(low, high + width, width)
    ]


def distribution_chart(session: Session, snapshot: Snapshot, scope_type, scope_key, period):
    """Data for the histogram of a board (Chart.js reads it from a data- attribute)."""
    board = queries.LeaderboardScope(snapshot, ScopeType(scope_type), scope_key)
    totals = session.scalars(select(Standing.total).where(*board.where())).all()
    bands = (period.band_excellent, period.band_good, period.band_completed)
    bars = histogram(totals, bands)
    return {
        "starts": [bar.start for bar in bars],
        "counts": [bar.count for bar in bars],
        "bands": [bar.band for bar in bars],
        "width": BIN,
        "count": len(totals),
    }


@dataclass(frozen=True)
class ProvinceRow:
    code: str
    name: str
    units: int
    averages: list[int]  # hundredths, per group, rounded half up
    total: int
    levels: tuple[int, ...] = ()  # 0-4 per group: the lowest province 0, the highest 4


def province_averages(session: Session, snapshot: Snapshot, groups) -> list[ProvinceRow]:
    """Average total and group subtotals of each province's units, best average first."""
    rows = session.execute(
        select(Standing.total, Standing.group_subtotals, Unit.path)
        .join(Unit, Unit.id == Standing.unit_id)
        .where(*queries.LeaderboardScope(snapshot).where())
    ).all()
    sums: dict[str, list] = {}
    for total, subtotals, path in rows:
        parts = [part for part in path.split("/") if part]
        code = parts[1] if len(parts) > 1 else ""
        entry = sums.setdefault(code, [0, 0, [0] * len(groups)])
        entry[0] += 1
        entry[1] += total
        for index, group in enumerate(groups):
            entry[2][index] += (subtotals or {}).get(group.code) or 0
    names = dict(session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(sums))).all())
    result = [
        ProvinceRow(
            code,
            names.get(code, code),
            n,
            [_average(value, n) for value in by_group],
            _average(total, n),
        )
        for code, (n, total, by_group) in sums.items()
    ]
    return sorted(with_levels(result), key=lambda row: (-row.total, row.name))


def with_levels(rows: list[ProvinceRow]) -> list[ProvinceRow]:
    """Shade each group's column from its lowest province average (0) to its highest (4), so
    differences between provinces show even when every average is near the maximum."""
    if not rows:
        return rows
    columns = list(zip(*(row.averages for row in rows), strict=True))
    spans = [(min(column), max(column)) for column in columns]
    return [
        ProvinceRow(
            row.code,
            row.name,
            row.units,
            row.averages,
            row.total,
            tuple(
                (4 * (value - low) * 2 + (high - low)) // (2 * (high - low)) if high > low else 2
                for value, (low, high) in zip(row.averages, spans, strict=True)
            ),
        )
        for row in rows
    ]


def _average(value: int, n: int) -> int:
    """Integer mean of hundredths, half rounded up (display only)."""
    return (2 * value + n) // (2 * n)
