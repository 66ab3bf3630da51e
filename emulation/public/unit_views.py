"""Public unit page: standings in every scope, breakdown by group and rank history."""

from __future__ import annotations

from flask import abort, render_template, request

from emulation import access
from emulation.extensions import db
from emulation.i18n import current_locale
from emulation.leaderboards import absence, queries, unit_queries
from emulation.leaderboards.models import ScopeType, Snapshot
from emulation.public import scopes
from emulation.public.caching import cached
from emulation.public.state import public_state
from emulation.public.views import bp


@bp.get("/unit/<code>")
@bp.get("/don-vi/<code>")
@access.public
def unit(code: str):
    # The unit's rows come from the snapshots shown, so the public state is the whole key
    # (the unit's own name is read at render time; a rename shows with the next snapshot).
    state = public_state()
    return cached(
        "unit", (state.fingerprint,), lambda: _render_unit(code), last_modified=state.last_modified
    )


def _render_unit(code: str):
    session, locale = db.session, current_locale()
    unit = unit_queries.unit_by_code(session, code)
    if unit is None:
        abort(404)
    shown = queries.current_snapshots(session)
    history = unit_queries.unit_history(session, unit)
    # Every period with results, so a period without this unit's rank can say why.
    periods = [p for p in reversed(queries.public_periods(session)) if p.id in shown]
    asked = request.args.get("period")
    if asked:
        period = next((p for p in periods if p.code == asked), None)
        if period is None:
            abort(404)
    else:
        # The newest official result first; a provisional one only when nothing is official.
        official = queries.official_period_ids(session)
        settled = [p for p in periods if p.id in official]
        period = (settled or periods)[-1] if periods else None
    snapshot = standings = groups = reason = None
    if period is not None:
        snapshot = session.get(Snapshot, shown[period.id][0])
        standings = unit_queries.unit_standings(session, snapshot, unit)
        groups = scopes.groups_of(period, locale)
        reason = absence.no_rank(session, period, snapshot, unit)
    province = unit_queries.provinces_by_code(session, [unit]).get(
        unit_queries.province_code(unit) or ""
    )
    return render_template(
        "public/unit.html",
        unit=unit,
        province=province,
        period=period,
        periods=list(reversed(periods)),
        snapshot=snapshot,
        standings=standings or {},
        groups=groups or [],
        scope_types=ScopeType,
        scope_labels=scopes.SCOPE_LABELS,
        breakdown=_breakdown_chart(groups or [], standings or {}),
        history=_history_chart(history, locale),
        no_rank=absence.message(reason),
    )


def _breakdown_chart(groups: list, standings: dict) -> dict:
    national = standings.get(ScopeType.NATIONAL) or next(iter(standings.values()), None)
    subtotals = (national.group_subtotals or {}) if national else {}
    return {
        "labels": [f"{g.code}. {g.title}" for g in groups],
        # Hundredths of a point; the chart script divides for display.
        "values": [subtotals.get(g.code) or 0 for g in groups],
        "max": [g.max_points for g in groups],
    }


def _history_chart(history: list, locale: str) -> dict:
    return {
        "labels": [point.period.name(locale) for point in history],
        # Period codes label the axis on a phone, where the names would be cut.
        "short": [point.period.code for point in history],
        "national": [point.national.shown_rank if point.national else None for point in history],
        "province": [point.province.shown_rank if point.province else None for point in history],
    }
