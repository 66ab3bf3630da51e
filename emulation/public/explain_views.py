"""Explain a rank: the page behind every leaderboard row, and the reason a unit has no rank."""

from __future__ import annotations

from fractions import Fraction

from flask import abort, make_response, render_template, request
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from emulation import access
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.db import format_points
from emulation.extensions import db
from emulation.i18n import current_locale
from emulation.labels import tie_break_label
from emulation.leaderboards import queries, unit_queries
from emulation.leaderboards.explain import explain
from emulation.leaderboards.models import Standing
from emulation.public import scopes
from emulation.public.board_views import _period_or_404
from emulation.public.views import bp

# Who sees the board members' names: the unit itself, its boards and administrators.
NAMED_ROLES = (Role.ADMIN, Role.UNIT_HEAD, Role.BOARD_MEMBER, Role.BOARD_CHAIR)


def shows_names(user, unit) -> bool:
    return authz.is_authenticated(user) and authz.has_role(user, NAMED_ROLES, unit)


def exact_text(value: Fraction | int | None, locale: str = "vi") -> str:
    """Hundredths as points, exactly: '10,005', or '≈ 10,0033 (3001/300)' if it repeats."""
    if value is None:
        return "–"
    value = Fraction(value)
    if value.denominator == 1:
        return format_points(int(value), locale)
    points = value / 100
    sep = "," if locale == "vi" else "."
    for places in range(3, 9):
        scaled = points * 10**places
        if scaled.denominator == 1:
            return _decimal(int(scaled), places, sep)
    approx = round(points * 10**4)
    return f"≈ {_decimal(approx, 4, sep)} ({points.numerator}/{points.denominator})"


def _decimal(scaled: int, places: int, sep: str) -> str:
    sign = "−" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled), 10**places)
    digits = f"{frac:0{places}d}".rstrip("0")
    return f"{sign}{whole}{sep}{digits}" if digits else f"{sign}{whole}"


@bp.app_template_filter("exact")
def exact_filter(value) -> Markup:
    return Markup.escape(exact_text(value, current_locale()))


@bp.get("/leaderboard/<period>/explain/<code>")
@bp.get("/bang-xep-hang/<period>/giai-thich/<code>")
@access.public
def explain_rank(period: str, code: str):
    chosen = _period_or_404(period)
    session = db.session
    snapshot = queries.latest_snapshot(session, chosen)
    unit = unit_queries.unit_by_code(session, code)
    if snapshot is None or unit is None:
        abort(404)
    scope = scopes.choose_scope(
        session, snapshot, request.args.get("scope"), request.args.get("key")
    )
    standing = session.scalar(
        select(Standing).where(
            Standing.snapshot_id == snapshot.id,
            Standing.scope_type == scope.scope_type,
            Standing.scope_key == scope.scope_key,
            Standing.unit_id == unit.id,
        )
    )
    if standing is None:
        abort(404)
    names = shows_names(current_user, unit)
    response = make_response(
        render_template(
            "public/explain.html",
            period=chosen,
            snapshot=snapshot,
            scope=scope,
            x=explain(session, snapshot, standing, names=names, locale=current_locale()),
            tie_break_label=tie_break_label,
        )
    )
    if names:
        response.headers["Cache-Control"] = "private, no-store"
    return response
