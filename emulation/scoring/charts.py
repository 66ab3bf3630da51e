"""What the chair's board charts draw: plain data from review.completion / review.disagreements
(pure; the template renders it as data- attributes and the same figures stay in the tables)."""

from __future__ import annotations

from emulation.scoring.review import Cell, Tally

MAX_BARS = 10


def member_name(member) -> str:
    return member.user.full_name or member.user.username


def completion_chart(by_member: list[tuple[object, Tally]]) -> dict:
    """Sheets per member, stacked: submitted, in progress, not started."""
    return {
        "labels": [member_name(member) for member, _tally in by_member],
        "submitted": [t.submitted for _m, t in by_member],
        "in_progress": [t.in_progress for _m, t in by_member],
        "not_started": [t.not_started for _m, t in by_member],
        "total": sum(t.total for _m, t in by_member),
    }


def disagreement_chart(spread: list[Cell], limit: int = MAX_BARS) -> dict:
    """The largest spreads between members (hundredths of a point), biggest first, with the
    lowest and highest score of each; labelled "unit · criterion"."""
    top = spread[:limit]
    return {
        "labels": [f"{c.unit.name} · {c.criterion.code}" for c in top],
        "spread": [c.spread for c in top],
        "low": [min(c.points.values()) for c in top],
        "high": [max(c.points.values()) for c in top],
    }
