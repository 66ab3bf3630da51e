"""Plain-dict shapes of the API; `openapi.py` describes exactly these."""

from __future__ import annotations

from datetime import datetime

from emulation.campaigns.models import Criterion, Period
from emulation.db import Points
from emulation.leaderboards.models import Snapshot, Standing
from emulation.leaderboards.unit_queries import HistoryPoint
from emulation.org.models import Unit


def points(value: Points | None) -> str | None:
    """Exact decimal string: 9550 -> '95.50'."""
    if value is None:
        return None
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 100)
    return f"{sign}{whole}.{frac:02d}"


def timestamp(value: datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def snapshot(snap: Snapshot | None) -> dict | None:
    if snap is None:
        return None
    return {
        "id": snap.id,
        "computed_at": timestamp(snap.computed_at),
        "official": snap.official,
    }


def period(p: Period, snap: Snapshot | None) -> dict:
    return {
        "code": p.code,
        "name_vi": p.name_vi,
        "name_en": p.name_en,
        "kind": p.kind.value,
        "status": p.status.value,
        "starts_on": p.starts_on.isoformat(),
        "ends_on": p.ends_on.isoformat(),
        "campaign": {
            "slug": p.campaign.slug,
            "name_vi": p.campaign.name_vi,
            "name_en": p.campaign.name_en,
        },
        "snapshot": snapshot(snap),
    }


def group(c: Criterion) -> dict:
    return {
        "code": c.code,
        "title_vi": c.title_vi,
        "title_en": c.title_en,
        "max_points": points(c.max_points),
    }


def rules(p: Period) -> dict:
    return {
        "band_excellent": points(p.band_excellent),
        "band_good": points(p.band_good),
        "band_completed": points(p.band_completed),
        "excellent_cap_percent": p.excellent_cap_percent,
        "tie_break": list(p.tie_break or []),
    }


def unit(u: Unit, province_name: str | None) -> dict:
    return {
        "code": u.code,
        "name": u.name,
        "kind": u.kind.value,
        "active": u.active,
        "province": province_name or None,
        "cluster": {"code": u.cluster.code, "name": u.cluster.name} if u.cluster else None,
    }


def standing(row: Standing, province_name: str | None) -> dict:
    return {
        # None for a vetoed unit: not ranked, listed after the ranked ones.
        "rank": row.shown_rank,
        # The rank in the same scope in the previous period's official result.
        "previous_rank": row.previous_rank,
        "ranked": row.ranked,
        "under_review": row.under_review,
        "unit": {"code": row.unit.code, "name": row.unit.name, "kind": row.unit.kind.value},
        "province": province_name or None,
        "total": points(row.total),
        "base": points(row.base),
        "bonus": points(row.bonus),
        "penalty": points(row.penalty),
        "group_subtotals": {str(k): points(v) for k, v in (row.group_subtotals or {}).items()},
        "classification": row.classification.value,
        "vetoed": row.vetoed,
    }


def _rank(row: Standing | None) -> dict | None:
    if row is None:
        return None
    return {
        "scope_key": row.scope_key,
        "rank": row.shown_rank,
        "previous_rank": row.previous_rank,
        "total": points(row.total),
        "classification": row.classification.value,
    }


def history(point: HistoryPoint) -> dict:
    return {
        "period": point.period.code,
        "snapshot_id": point.snapshot_id,
        "national": _rank(point.national),
        "province": _rank(point.province),
    }


def paging(page: int, per_page: int, total: int) -> dict:
    return {
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": max(1, -(-total // per_page)),
    }
