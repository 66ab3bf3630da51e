"""The administration landing page: periods in progress and the areas features register."""

from __future__ import annotations

from flask import Blueprint, render_template

from emulation import access, nav, web
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.campaigns import services as campaigns
from emulation.campaigns.models import PeriodStatus
from emulation.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")

ACTIVE = (PeriodStatus.OPEN, PeriodStatus.SELF_ASSESSMENT, PeriodStatus.SCORING)


@bp.get("/")
@access.roles(Role.ADMIN)
def dashboard():
    periods = campaigns.recent_periods(db.session)
    return render_template(
        "admin/dashboard.html",
        periods=periods,
        deadlines={p.id: campaigns.next_deadline(p) for p in periods},
        active=[p for p in periods if p.status in ACTIVE],
        areas=nav.admin_areas(),
        national=authz.is_national(web.actor(), [Role.ADMIN]),
    )
