"""Read-only JSON API over the public leaderboard data (`/api/v1`), described by
`/api/v1/openapi.json`. Points are exact decimal strings ("95.50"); timestamps are UTC."""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _

from emulation import access
from emulation.api import serializers as ser
from emulation.api.openapi import openapi_document
from emulation.campaigns.models import Period
from emulation.errors import InvalidInput
from emulation.extensions import db
from emulation.leaderboards import queries, unit_queries
from emulation.leaderboards.models import ScopeType, Snapshot
from emulation.public import scopes
from emulation.public.caching import Validators, cached, conditional
from emulation.public.state import public_state

bp = Blueprint("api", __name__, url_prefix="/api/v1")

DEFAULT_PER_PAGE = 50


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidInput(
            _(
                "%(name)s must be a whole number from %(low)d to %(high)d.",
                name=name,
                low=low,
                high=high,
            )
        )
    return int(raw)


def _paging() -> tuple[int, int]:
    return _int_arg("page", 1, 1, 1_000_000), _int_arg(
        "per_page", DEFAULT_PER_PAGE, 1, queries.MAX_PER_PAGE
    )


def _validators(*parts, last_modified=None) -> Validators:
    return Validators.of(*parts, last_modified=last_modified, per_viewer=False)


def _period_or_404(code: str) -> tuple[Period, Snapshot | None]:
    period = queries.public_period(db.session, code)
    if period is None:
        abort(404, _("No such period."))
    return period, queries.latest_snapshot(db.session, period)


def _snapshot_parts(snapshot: Snapshot | None) -> tuple:
    return (snapshot.id, snapshot.inputs_hash) if snapshot else ("-",)


@bp.get("/periods")
@access.public
def periods():
    state = public_state()
    return cached(
        "api.periods",
        (state.fingerprint,),
        _periods_body,
        last_modified=state.last_modified,
        per_viewer=False,
    )


def _periods_body():
    items = queries.public_periods(db.session)
    shown = queries.current_snapshots(db.session)
    ids = [v[0] for v in shown.values()]
    snapshots = (
        {s.id: s for s in db.session.query(Snapshot).filter(Snapshot.id.in_(ids))} if ids else {}
    )
    return jsonify(
        items=[
            ser.period(p, snapshots.get(shown[p.id][0]) if p.id in shown else None) for p in items
        ]
    )


@bp.get("/periods/<period>")
@access.public
def period(period: str):
    found, snapshot = _period_or_404(period)
    validators = _validators(
        found.id,
        found.version,
        *_snapshot_parts(snapshot),
        _criteria_fingerprint(found),
        last_modified=snapshot.computed_at if snapshot else found.created_at,
    )

    def build():
        data = ser.period(found, snapshot)
        data["groups"] = [ser.group(c) for c in found.top_level_criteria() if c.is_group]
        data["rules"] = ser.rules(found)
        data["scopes"] = _scopes(snapshot)
        return jsonify(data)

    return conditional(validators, build)


def _criteria_fingerprint(period: Period) -> str:
    rows = [(c.id, c.code, c.title_vi, c.title_en, c.max_points) for c in period.criteria]
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def _scopes(snapshot: Snapshot | None) -> list[dict]:
    if snapshot is None:
        return []
    keys = scopes.cached_scope_keys(db.session, snapshot)
    names = queries.names_of_scope_keys(db.session, keys)
    return [
        {"type": scope.value, "key": key, "name": names.get((scope, key))}
        for scope in ScopeType
        for key in keys.get(scope, [])
    ]


@bp.get("/periods/<period>/leaderboard")
@access.public
def leaderboard(period: str):
    page, per_page = _paging()
    shown = public_state().period(period)
    if shown is None:
        abort(404, _("No such period."))
    # Scope and key are checked against the snapshot inside (a 404 is never cached).
    return cached(
        "api.leaderboard",
        shown.parts,
        lambda: _leaderboard_body(shown.id, shown.snapshot_id, page, per_page),
        last_modified=shown.computed_at,
        per_viewer=False,
    )


def _leaderboard_body(period_id: int, snapshot_id: int | None, page: int, per_page: int):
    found = db.session.get(Period, period_id)
    snapshot = db.session.get(Snapshot, snapshot_id) if snapshot_id else None
    try:
        scope = ScopeType(request.args.get("scope", ScopeType.NATIONAL.value))
    except ValueError:
        raise InvalidInput(_("Unknown scope.")) from None
    key = "all" if scope is ScopeType.NATIONAL else request.args.get("key", "")
    if scope is not ScopeType.NATIONAL and not key:
        raise InvalidInput(_("A key is needed for this scope."))
    if snapshot is not None and key not in scopes.cached_scope_keys(db.session, snapshot)[scope]:
        abort(404, _("No leaderboard for this scope."))
    items, shown_page, total = [], page, 0
    if snapshot is not None:
        result = queries.standings_page(db.session, snapshot, scope, key, page, per_page)
        provinces = unit_queries.province_names(db.session, [r.unit for r in result.rows])
        items = [ser.standing(r, provinces.get(r.unit_id)) for r in result.rows]
        shown_page, total = result.page, result.total
    return jsonify(
        period=found.code,
        snapshot=ser.snapshot(snapshot),
        scope={"type": scope.value, "key": key},
        **ser.paging(shown_page, per_page, total),
        items=items,
    )


@bp.get("/units")
@access.public
def units():
    text = (request.args.get("q") or "").strip()
    if not text:
        raise InvalidInput(_("Give a name or code to search for (q)."))
    page, per_page = _paging()
    found, total = unit_queries.search_units(db.session, text, page, per_page)
    provinces = unit_queries.province_names(db.session, found)
    validators = _validators(
        hashlib.sha256(repr([(u.id, u.name) for u in found]).encode()).hexdigest(), total
    )
    return conditional(
        validators,
        lambda: jsonify(
            **ser.paging(page, per_page, total),
            items=[ser.unit(u, provinces.get(u.id)) for u in found],
        ),
    )


def _unit_or_404(code: str):
    found = unit_queries.unit_by_code(db.session, code)
    if found is None:
        abort(404, _("No such unit."))
    return found


@bp.get("/units/<code>")
@access.public
def unit(code: str):
    found = _unit_or_404(code)
    province = unit_queries.province_names(db.session, [found]).get(found.id)
    body = ser.unit(found, province)
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    return conditional(_validators(digest), lambda: jsonify(body))


@bp.get("/units/<code>/standings")
@access.public
def unit_standings(code: str):
    state = public_state()
    return cached(
        "api.unit_standings",
        (state.fingerprint,),
        lambda: _unit_standings_body(code),
        last_modified=state.last_modified,
        per_viewer=False,
    )


def _unit_standings_body(code: str):
    found = _unit_or_404(code)
    history = unit_queries.unit_history(db.session, found)
    province = unit_queries.province_names(db.session, [found]).get(found.id)
    return jsonify(unit=ser.unit(found, province), items=[ser.history(p) for p in history])


@bp.get("/openapi.json")
@access.public
def openapi():
    # The document changes only with the code: RENDER_VERSION is part of every key.
    return cached("api.openapi", (), lambda: jsonify(openapi_document()), per_viewer=False)


from emulation.api import explain_views  # noqa: E402, F401  (routes on this blueprint)
