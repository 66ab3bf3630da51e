"""Public pages: home and health check (board_views and unit_views add routes to `bp`)."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from sqlalchemy import text

from emulation import access
from emulation.campaigns.campaign_services import first_campaign
from emulation.extensions import db
from emulation.leaderboards.queries import (
    PUBLIC_STATUSES,
    featured_period,
    latest_snapshot,
    standings_page,
)
from emulation.leaderboards.unit_queries import province_names
from emulation.org.models import COMPETING_KINDS, PROVINCIAL_KINDS
from emulation.org.services import active_unit_counts
from emulation.public.caching import cached
from emulation.public.state import public_state

bp = Blueprint("public", __name__)


@bp.record_once
def _register_display(state) -> None:
    from emulation.public.display import register

    register(state.app)


@bp.get("/")
@access.public
def home():
    # Everything the page shows follows the public state (unit counts within the cache's
    # lifetime, RENDER_CACHE_SECONDS).
    state = public_state()
    return cached("home", (state.fingerprint,), _render_home, last_modified=state.last_modified)


def _render_home():
    period = featured_period(db.session)
    campaign = period.campaign if period else first_campaign(db.session)
    snapshot = latest_snapshot(db.session, period) if period else None
    counts = active_unit_counts(db.session)
    top = standings_page(db.session, snapshot, per_page=20) if snapshot else None
    rows = top.rows if top else []
    return render_template(
        "public/home.html",
        campaign=campaign,
        # Drafts are not public: their criteria are unsettled, some are never announced.
        periods=[p for p in (campaign.periods if campaign else []) if p.status in PUBLIC_STATUSES],
        period=period,
        snapshot=snapshot,
        top=top,
        provinces=province_names(db.session, [row.unit for row in rows]),
        province_count=sum(counts.get(k, 0) for k in PROVINCIAL_KINDS),
        unit_count=sum(counts.get(k, 0) for k in COMPETING_KINDS),
    )


@bp.get("/healthz")
@access.public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # report, never raise: this is what monitors poll
        db.session.rollback()
        database = "error"
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "degraded", database=database), status
