"""The administration landing page: campaigns and periods, and links to the other areas."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from emulation import access
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.campaigns.models import Period, PeriodStatus
from emulation.extensions import db
from emulation.nav import NavItem, add_nav

bp = Blueprint("admin", __name__, url_prefix="/admin")

# Other administration areas, shown when their blueprint is registered (first endpoint found).
AREAS = (
    (("org.units", "org.index", "units.index"), _l("Units"), _l("The unit tree and imports.")),
    (("org.clusters", "clusters.index"), _l("Emulation clusters"), _l("Who ranks with whom.")),
    (
        ("scoring.boards", "boards.index", "org.boards"),
        _l("Evaluation boards"),
        _l("Appraisal boards, members and assignments."),
    ),
    (
        ("accounts.users", "users.index", "admin_users.index", "auth.users"),
        _l("Users and roles"),
        _l("Accounts, role grants and second factor."),
    ),
    (
        ("leaderboards.admin", "leaderboards.index", "leaderboards.snapshots"),
        _l("Leaderboards"),
        _l("Snapshots, recompute and publication."),
    ),
    (("audit.events", "audit.index"), _l("Audit log"), _l("Every change, hash-chained.")),
)
ACTIVE = (PeriodStatus.OPEN, PeriodStatus.SELF_ASSESSMENT, PeriodStatus.SCORING)


@bp.get("/")
@access.roles(Role.ADMIN)
def dashboard():
    periods = db.session.scalars(
        select(Period).order_by(Period.starts_on.desc(), Period.id.desc()).limit(8)
    ).all()
    return render_template(
        "admin/dashboard.html",
        periods=periods,
        active=[p for p in periods if p.status in ACTIVE],
        areas=AREAS,
        national=authz.is_national_admin(_current_user()),
    )


def _current_user():
    from flask_login import current_user

    return current_user


# The Administration menu (one entry in the bar). Registered here, before the features'
# own modules, so these labels win (add_nav keeps the first entry of an endpoint).
ADMIN_MENU = (
    ("admin.dashboard", _l("Overview")),
    ("campaigns.index", _l("Campaigns and periods")),
    ("org.units", _l("Units")),
    ("org.clusters", _l("Emulation clusters")),
    ("scoring.boards", _l("Evaluation boards")),
    ("admin_users.index", _l("Users and roles")),
)
for _order, (_endpoint, _label) in enumerate(ADMIN_MENU):
    add_nav(
        NavItem(
            _endpoint,
            _label,
            visible=lambda user: authz.has_role(user, Role.ADMIN),
            order=_order,
            menu="admin",
        )
    )
