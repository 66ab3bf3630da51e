"""Public pages: home and health check (the leaderboard pages register on `bp` below)."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from sqlalchemy import func, select, text

from emulation import access
from emulation.campaigns.models import Campaign, Period, PeriodStatus
from emulation.extensions import db
from emulation.leaderboards.queries import (
    latest_snapshot,
    province_names,
    standings_page,
)
from emulation.org.models import COMPETING_KINDS, PROVINCIAL_KINDS, Unit
from emulation.public.caching import Validators, conditional

bp = Blueprint("public", __name__)

# Periods whose results are worth showing first: in scoring (provisional) or published.
SHOWN_STATUSES = (PeriodStatus.SCORING, PeriodStatus.CLOSED, PeriodStatus.PUBLISHED)


def featured_period(campaign: Campaign) -> Period | None:
    """The newest period that has standings to show."""
    for period in sorted(campaign.periods, key=lambda p: p.starts_on, reverse=True):
        if period.status in SHOWN_STATUSES and latest_snapshot(db.session, period):
            return period
    return None


@bp.get("/")
@access.public
def home():
    campaign = db.session.scalar(select(Campaign).order_by(Campaign.starts_on).limit(1))
    period = featured_period(campaign) if campaign else None
    snapshot = latest_snapshot(db.session, period) if period else None
    counts = dict(
        db.session.execute(
            select(Unit.kind, func.count()).where(Unit.active.is_(True)).group_by(Unit.kind)
        ).all()
    )
    validators = Validators.of(
        campaign.id if campaign else "-",
        campaign.version if campaign else "-",
        *((p.id, p.version, p.status) for p in (campaign.periods if campaign else [])),
        snapshot.id if snapshot else "-",
        sorted(counts.items()),
        last_modified=snapshot.computed_at if snapshot else None,
    )

    def build():
        top = standings_page(db.session, snapshot, per_page=20) if snapshot else None
        rows = top.rows if top else []
        return render_template(
            "public/home.html",
            campaign=campaign,
            period=period,
            snapshot=snapshot,
            top=top,
            provinces=province_names(db.session, [row.unit for row in rows]),
            province_count=sum(counts.get(k, 0) for k in PROVINCIAL_KINDS),
            unit_count=sum(counts.get(k, 0) for k in COMPETING_KINDS),
        )

    return conditional(validators, build)


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
