"""`/api/v1/periods/<period>/leaderboard/<code>/explain`: the breakdown behind one row.

The same figures as the public explain page; board members are always anonymised here
("member": 1, 2 …). Exact values are strings in points: "10.005", or "3001/300" when the
decimal would repeat."""

from __future__ import annotations

from fractions import Fraction

from flask import abort, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select

from emulation import access
from emulation.api.serializers import points
from emulation.api.views import _period_or_404, bp
from emulation.errors import InvalidInput
from emulation.extensions import db
from emulation.leaderboards import unit_queries
from emulation.leaderboards.explain import Explanation, explain
from emulation.leaderboards.models import ScopeType, Standing


def exact(value: Fraction | int | None) -> str | None:
    """Hundredths -> exact points: a terminating decimal, else numerator/denominator."""
    if value is None:
        return None
    value = Fraction(value) / 100
    for places in range(0, 9):
        scaled = value * 10**places
        if scaled.denominator == 1:
            sign = "-" if scaled < 0 else ""
            whole, frac = divmod(abs(int(scaled)), 10**places)
            return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"
    return f"{value.numerator}/{value.denominator}"


def _criteria(x: Explanation) -> list[dict]:
    out = []
    for row in x.rows:
        if row.line is None:
            continue
        line = row.line
        out.append(
            {
                "code": row.criterion.code,
                "kind": row.criterion.kind.value,
                "group": line.leaf.group,
                "self_points": points(row.self_points) if row.self_points is not None else None,
                "self_measured": row.self_measured,
                "scores": [{"member": s.number, "value": s.value} for s in row.scorers],
                "combined": exact(line.aggregated),
                "leader": exact(line.leader),
                "flagged": line.flagged,
                "weight_percent": line.leaf.weight_percent,
                "points": exact(line.weighted) if line.leaf.category != "veto" else None,
            }
        )
    return out


def _decision(row) -> dict | None:
    if row.decision is None:
        return None
    return {
        "vetoed": row.decision.vetoed,
        "reason": row.decision.reason,
        "decided_at": row.decision.decided_at.isoformat() + "Z",
    }


def _neighbour(n) -> dict | None:
    if n is None:
        return None
    return {"unit": n.code, "name": n.name, "rank": n.rank, "decided_by": n.key}


def explanation_json(x: Explanation) -> dict:
    s, result, cap = x.standing, x.result, x.cap
    return {
        "period": x.period.code,
        "scope": {"type": ScopeType(s.scope_type).value, "key": s.scope_key},
        "unit": {"code": x.unit.code, "name": x.unit.name},
        "rank": s.shown_rank,
        "previous_rank": s.previous_rank,
        "vetoed": s.vetoed,
        "under_review": s.under_review,
        "classification": s.classification.value,
        "band": x.band.value if x.band else None,
        "aggregation": x.aggregation.value,
        "total": points(s.total),
        "exact_total": exact(x.exact_total),
        "matches": x.matches,
        "base": exact(result.base) if result else None,
        "bonus": exact(result.bonus) if result else None,
        "penalty": exact(result.penalty) if result else None,
        "criteria": _criteria(x),
        "groups": [
            {
                "code": g.code,
                "category": g.category,
                "sum": exact(g.raw),
                "cap": points(g.cap) if g.cap else None,
                "counted": exact(g.capped),
            }
            for g in x.groups
        ],
        "vetoes": [
            {
                "criterion": v.criterion.code,
                "flagged": v.flagged,
                "sheets": v.sheets,
                "decision": _decision(v),
            }
            for v in x.vetoes
        ],
        "excellent_cap": {
            "percent": x.period.excellent_cap_percent,
            "good_or_better": cap.good_or_better if cap else None,
            "quota": cap.quota if cap else None,
            "by_band": cap.by_band if cap else None,
            "awarded": cap.awarded if cap else None,
            "applied": x.cap_applied,
        },
        "tie_break": {
            "chain": list(x.chain),
            "sharing": x.sharing,
            "above": _neighbour(x.above),
            "below": _neighbour(x.below),
        },
    }


@bp.get("/periods/<period>/leaderboard/<code>/explain")
@access.public
def explain_rank(period: str, code: str):
    _found, snapshot = _period_or_404(period)
    try:
        scope = ScopeType(request.args.get("scope", ScopeType.NATIONAL.value))
    except ValueError:
        raise InvalidInput(_("Unknown scope.")) from None
    key = "all" if scope is ScopeType.NATIONAL else request.args.get("key", "")
    unit = unit_queries.unit_by_code(db.session, code)
    if snapshot is None or unit is None:
        abort(404, _("No such unit."))
    standing = db.session.scalar(
        select(Standing).where(
            Standing.snapshot_id == snapshot.id,
            Standing.scope_type == scope,
            Standing.scope_key == key,
            Standing.unit_id == unit.id,
        )
    )
    if standing is None:
        abort(404, _("No leaderboard for this scope."))
    return jsonify(explanation_json(explain(db.session, snapshot, standing)))
