"""Public leaderboard pages: a period's board by scope, find my unit, rules, print, exports."""

from __future__ import annotations

import hashlib
import re

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from emulation import access
from emulation.campaigns.models import CriterionKind, Period
from emulation.extensions import db
from emulation.i18n import current_locale
from emulation.leaderboards import absence, exports, queries, unit_queries
from emulation.leaderboards.explain import cap_outcome
from emulation.leaderboards.models import Snapshot
from emulation.leaderboards.ranking import effective_chain
from emulation.leaderboards.roster import roster_size
from emulation.public import scopes
from emulation.public.caching import Validators, cached, conditional
from emulation.public.state import ShownPeriod, public_state
from emulation.public.views import bp
from emulation.text import fold

# "Find my unit" lists at most this many matches (one match jumps straight to it).
MATCH_LIMIT = 20


def _period_or_404(code: str) -> Period:
    period = queries.public_period(db.session, code)
    if period is None:
        abort(404)
    return period


def _board_validators(period: Period, snapshot: Snapshot | None, *parts) -> Validators:
    return Validators.of(
        period.id,
        period.version,
        snapshot.id if snapshot else "-",
        snapshot.inputs_hash if snapshot else "-",
        *parts,
        last_modified=snapshot.computed_at if snapshot else period.created_at,
    )


def _shown_or_404(code: str) -> ShownPeriod:
    shown = public_state().period(code)
    if shown is None:
        abort(404)
    return shown


def _load(shown: ShownPeriod) -> tuple[Period, Snapshot | None]:
    """The period and snapshot the cache key was made from (not a newer one)."""
    period = db.session.get(Period, shown.id)
    snapshot = db.session.get(Snapshot, shown.snapshot_id) if shown.snapshot_id else None
    if period is None:
        abort(404)
    return period, snapshot


def _page_number() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


# Each page answers at a Vietnamese and an English path; url_for builds the rule registered
# first, i.e. the decorator nearest the function, so the Vietnamese path stays canonical.
@bp.get("/leaderboard")
@bp.get("/bang-xep-hang")
@access.public
def leaderboards():
    # The same rule as queries.featured_period: the newest official result, else the newest.
    shown = [p for p in public_state().periods if p.snapshot_id]
    featured = next((p for p in shown if p.official), shown[0] if shown else None)
    if featured is not None:
        return redirect(url_for("public.leaderboard", period=featured.code))
    periods = queries.public_periods(db.session)
    validators = Validators.of("no-board", *(p.version for p in periods))
    return conditional(
        validators, lambda: render_template("public/no_results.html", periods=periods)
    )


@bp.get("/leaderboard/<period>")
@bp.get("/bang-xep-hang/<period>")
@access.public
def leaderboard(period: str):
    state = public_state()
    shown = _shown_or_404(period)
    # The page lists every public period in its selector: it depends on the whole state.
    return cached(
        "leaderboard",
        (state.fingerprint,),
        lambda: _render_board(*_load(shown)),
        last_modified=shown.computed_at,
    )


def _render_board(period: Period, snapshot: Snapshot | None):
    session, locale = db.session, current_locale()
    scope = scopes.choose_scope(
        session, snapshot, request.args.get("scope"), request.args.get("key")
    )
    query = (request.args.get("q") or "").strip()
    page = matches = None
    if snapshot is not None:
        board = queries.LeaderboardScope(snapshot, scope.scope_type, scope.scope_key)
        if query:
            matches = queries.find_in_board(session, board, query, limit=MATCH_LIMIT + 1)
            if len(matches) == 1:
                return _jump_to(period, board, scope, matches[0])
        page = queries.standings_page(
            session, snapshot, scope.scope_type, scope.scope_key, page=_page_number()
        )
    rows = page.rows if page else []
    absent = _absent(period, snapshot, scope, query) if query and not matches else []
    return render_template(
        "public/leaderboard.html",
        absent=absent,
        period=period,
        periods=queries.public_periods(session),
        snapshot=snapshot,
        scope=scope,
        scope_labels=scopes.SCOPE_LABELS,
        page=page,
        groups=scopes.groups_of(period, locale),
        provinces=unit_queries.province_names(session, [r.unit for r in rows + (matches or [])]),
        query=query,
        matches=matches,
        highlight=request.args.get("hl", ""),
        match_limit=MATCH_LIMIT,
    )


def _absent(period: Period, snapshot: Snapshot | None, scope, query: str) -> list:
    """Units matching `query` that have no row in this board, each with the reason."""
    units, _total = unit_queries.search_units(db.session, query, per_page=5)
    found = []
    for unit in units:
        reason = absence.no_rank(
            db.session, period, snapshot, unit, (scope.scope_type, scope.scope_key)
        )
        if reason is not None:
            found.append((unit, absence.message(reason)))
    return found


def _jump_to(period: Period, board: queries.LeaderboardScope, scope: scopes.ScopeChoice, standing):
    """Send the visitor to the page of the board that holds their unit, highlighted."""
    page = queries.page_of(db.session, board, standing, queries.MAX_PER_PAGE)
    target = url_for(
        "public.leaderboard",
        period=period.code,
        page=page,
        hl=standing.unit.code,
        _anchor=f"u-{standing.unit.code}",
        **scope.args,
    )
    return redirect(target)


@bp.get("/leaderboard/<period>/rules")
@bp.get("/bang-xep-hang/<period>/quy-tac")
@access.public
def rules(period: str):
    chosen = _period_or_404(period)
    criteria = chosen.criteria
    fingerprint = hashlib.sha256(
        repr(
            [
                (c.id, c.parent_id, c.code, c.kind, c.title_vi, c.title_en, c.max_points)
                for c in criteria
            ]
        ).encode()
    ).hexdigest()
    snapshot = queries.latest_snapshot(db.session, chosen)
    validators = _board_validators(chosen, snapshot, "rules", fingerprint)
    return conditional(validators, lambda: _render_rules(chosen, snapshot))


def _render_rules(period: Period, snapshot: Snapshot | None):
    locale = current_locale()
    return render_template(
        "public/rules.html",
        period=period,
        periods=queries.public_periods(db.session),
        snapshot=snapshot,
        tree=period.top_level_criteria(),
        vetoes=[c for c in period.criteria if c.kind is CriterionKind.VETO],
        tie_breaks=[
            scopes.tie_break_text(key, period, locale)
            for key in effective_chain(period.tie_break or ())
        ],
        cap=cap_outcome(db.session, snapshot) if snapshot is not None else None,
        roster_size=roster_size(db.session, period),
    )


@bp.get("/leaderboard/<period>/print")
@bp.get("/bang-xep-hang/<period>/ban-in")
@access.public
def print_results(period: str):
    shown = _shown_or_404(period)
    return cached(
        "print", shown.parts, lambda: _render_print(*_load(shown)), last_modified=shown.computed_at
    )


PRINT_PART = 500  # rows per printed part


def _render_print(period: Period, snapshot: Snapshot | None):
    session = db.session
    scope = scopes.choose_scope(
        session, snapshot, request.args.get("scope"), request.args.get("key")
    )
    rows = []
    if snapshot is not None:
        rows = queries.all_standings(
            session, queries.LeaderboardScope(snapshot, scope.scope_type, scope.scope_key)
        )
    # A national print is thousands of rows: print it in parts a browser renders quickly.
    parts = max(1, -(-len(rows) // PRINT_PART))
    part = min(max(1, request.args.get("part", 1, type=int) or 1), parts)
    rows = rows[(part - 1) * PRINT_PART : part * PRINT_PART]
    return render_template(
        "public/print.html",
        period=period,
        snapshot=snapshot,
        scope=scope,
        rows=rows,
        part=part,
        parts=parts,
        groups=scopes.groups_of(period, current_locale()),
        provinces=unit_queries.province_names(session, [r.unit for r in rows]),
    )


def export_name(period_code: str, scope: scopes.ScopeChoice) -> str:
    """The file name in the interface language, in plain ASCII so every system keeps it:
    bang-xep-hang-2026-cum-thi-dua-01-C01 / leaderboard-2026-cluster-01-C01."""
    label = str(scopes.SCOPE_LABELS[scope.scope_type])
    words = [fold(_("Leaderboard")), period_code, fold(label), scope.args.get("key") or ""]
    slug = "-".join(word.replace(" ", "-") for word in words if word)
    return re.sub(r"[^A-Za-z0-9._-]+", "-", slug)


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.get("/leaderboard/<period>/export.<fmt>")
@bp.get("/bang-xep-hang/<period>/xuat.<fmt>")
@access.public
def export(period: str, fmt: str):
    if fmt not in EXPORT_TYPES:
        abort(404)
    shown = _shown_or_404(period)
    if shown.snapshot_id is None:
        abort(404, _("No results have been computed yet."))
    # Exports show no viewer-specific content: one rendering serves everyone.
    return cached(
        "export",
        shown.parts,
        lambda: _build_export(*_load(shown), fmt),
        last_modified=shown.computed_at,
        per_viewer=False,
    )


def _build_export(period: Period, snapshot: Snapshot, fmt: str) -> Response:
    with exports.collector_paused():
        return _export_response(period, snapshot, fmt)


def _export_response(period: Period, snapshot: Snapshot, fmt: str) -> Response:
    session, locale = db.session, current_locale()
    scope = scopes.choose_scope(
        session, snapshot, request.args.get("scope"), request.args.get("key")
    )
    rows = queries.export_rows(
        session, queries.LeaderboardScope(snapshot, scope.scope_type, scope.scope_key)
    )
    units = [unit_queries.UnitRef(r.unit_id, r.path) for r in rows]
    table = exports.leaderboard_table(
        rows, scopes.groups_of(period, locale), unit_queries.province_names(session, units)
    )
    if fmt == "csv":
        body = exports.to_csv(table, locale)
    else:
        body = exports.to_xlsx(table, f"{period.code} {scope.label}")
    name = export_name(period.code, scope)
    response = Response(body, mimetype=EXPORT_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
