"""`flask demo load`: real units, the campaign, the default criteria, demo users and scores.

Idempotent: every part is skipped when already present. Units come from the committed
official lists in `emulation/data/` (origin: the PyPI package vietnam-provinces; see
`emulation/data/SOURCES.md`). Scores are invented but plausible: each unit has a hidden
quality that drifts a little from period to period."""

from __future__ import annotations

import random
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.accounts.models import Role, RoleGrant, User
from emulation.accounts.passwords import hash_password
from emulation.campaigns.demo import CAMPAIGN_SLUG, PERIODS, load_campaign  # noqa: F401
from emulation.campaigns.models import Campaign
from emulation.campaigns.models import PeriodStatus as PS
from emulation.db import utcnow
from emulation.org.demo import (  # noqa: F401 (the parts' entry points, as before the split)
    UnitRow,
    competing_units,
    load_clusters,
    load_units,
    read_official_units,
)
from emulation.org.models import COMPETING_KINDS, PROVINCIAL_KINDS, Unit
from emulation.scoring.demo import load_period_scores, unit_quality

Echo = Callable[[str], None]
DEMO_PASSWORD = "thidua-2026"

# (username, full name, role, scope unit code or "first-province"/"first-commune"...)
DEMO_USERS = (
    ("admin", "Quản trị viên Bộ Công an", Role.ADMIN, "BCA"),
    ("admin.tinh", "Quản trị viên Công an tỉnh", Role.ADMIN, "province:0"),
    ("truong.xa1", "Trưởng Công an xã/phường (đơn vị 1)", Role.UNIT_HEAD, "commune:0"),
    ("truong.xa2", "Trưởng Công an xã/phường (đơn vị 2)", Role.UNIT_HEAD, "commune:1"),
    ("thamdinh.1", "Thành viên Hội đồng thẩm định 1", Role.BOARD_MEMBER, "province:0"),
    ("thamdinh.2", "Thành viên Hội đồng thẩm định 2", Role.BOARD_MEMBER, "province:0"),
    ("chutich.hd", "Chủ tịch Hội đồng thẩm định", Role.BOARD_CHAIR, "province:0"),
    ("xem", "Người xem (Bộ Công an)", Role.VIEWER, "BCA"),
)


def load_demo(session: Session, *, legacy: bool, provinces: int, seed: int, echo: Echo) -> None:
    """Load everything, committing after each part so progress survives an interruption."""
    rng = random.Random(seed)
    # Plain values: every commit below expires ORM objects, and reading unit.code of an
    # expired unit is one SELECT per unit per period (a third of the load at 10k units).
    units = [
        UnitRow(u.id, u.code, u.path)
        for u in load_units(session, legacy=legacy, provinces=provinces, echo=echo)
    ]
    session.commit()
    load_clusters(session, echo=echo)
    session.commit()
    campaign = load_campaign(session, echo=echo)
    session.commit()
    users = load_users(session, echo=echo)
    session.commit()
    from emulation.assessments import demo as self_assessments

    for period in campaign.periods:  # the period under way: self-assessment comes first
        quality = lambda unit, period=period: unit_quality(unit, period, rng)  # noqa: E731
        self_assessments.load(session, period, users, quality, rng, echo=echo)
        session.commit()
    from emulation.leaderboards.criterion_results import rebuild_criterion_results

    for period in campaign.periods:
        load_period_scores(session, period, units, users, rng, echo=echo)
        rebuild_criterion_results(session, period.id)  # bulk writers keep the aggregates built
        session.commit()
    from emulation.leaderboards.inputs import refresh_statistics

    refresh_statistics(session)  # bulk-loaded tables: the recompute's plans need row counts
    session.commit()
    compute_leaderboards(session, campaign, echo=echo)
    echo("Demo data ready.")


# --- users ----------------------------------------------------------------------------------
def _scope_unit(session: Session, ref: str) -> Unit:
    if ":" not in ref:
        return session.scalar(select(Unit).where(Unit.code == ref))
    what, index = ref.split(":")
    kinds = PROVINCIAL_KINDS if what == "province" else COMPETING_KINDS
    query = select(Unit).where(Unit.kind.in_(kinds)).order_by(Unit.path)
    return session.scalars(query.offset(int(index)).limit(1)).one()


def load_users(session: Session, *, echo: Echo) -> dict[str, User]:
    """The demo logins, plus two scorers per province so every unit can be appraised."""
    password_hash = hash_password(DEMO_PASSWORD)
    existing = {u.username: u for u in session.scalars(select(User))}
    wanted: list[tuple[str, str, Role, Unit]] = [
        (username, name, role, _scope_unit(session, ref))
        for username, name, role, ref in DEMO_USERS
    ]
    for province in session.scalars(select(Unit).where(Unit.kind.in_(PROVINCIAL_KINDS))):
        for n in (1, 2):
            wanted.append(
                (
                    f"td.{province.code}.{n}",
                    f"Thẩm định viên {n} – {province.name}",
                    Role.BOARD_MEMBER,
                    province,
                )
            )
    added = 0
    for username, full_name, role, scope in wanted:
        if username in existing:
            continue
        user = User(
            username=username,
            full_name=full_name,
            password_hash=password_hash,
            password_changed_at=utcnow(),
        )
        user.grants.append(RoleGrant(role=role, scope_unit=scope))
        if username == "chutich.hd":
            user.grants.append(RoleGrant(role=Role.BOARD_MEMBER, scope_unit=scope))
        session.add(user)
        existing[username] = user
        added += 1
    session.flush()
    echo(f"Users: {added} added (password for every demo login: {DEMO_PASSWORD}).")
    return existing


def print_logins(echo: Echo) -> None:
    echo("")
    echo(f"Demo logins (password for all: {DEMO_PASSWORD})")
    for username, full_name, role, _ref in DEMO_USERS:
        echo(f"  {username:<12} {role.value:<13} {full_name}")
    echo("  td.<province code>.1 / .2  board_member  scorers of each province (e.g. td.01.1)")
    echo("")


# --- leaderboards ---------------------------------------------------------------------------
def compute_leaderboards(session: Session, campaign: Campaign, *, echo: Echo) -> None:
    from emulation.leaderboards.recompute import recompute_period

    for period in campaign.periods:
        if period.status not in (PS.SCORING, PS.CLOSED, PS.PUBLISHED):
            continue
        snapshot = recompute_period(session, period, official=period.status is PS.PUBLISHED)
        session.commit()
        state = "unchanged" if snapshot is None else f"{snapshot.unit_count} units ranked"
        echo(f"Leaderboard {period.code}: {state}.")
