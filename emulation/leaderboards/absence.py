"""Why a unit has no rank in a period (or a leaderboard): the unit page and "find my unit"
say so instead of a 404 or an empty table."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.campaigns.models import Period
from emulation.leaderboards.models import ScopeType, Snapshot, Standing
from emulation.leaderboards.roster import has_roster, roster_entry
from emulation.org.models import Unit


class NoRank(enum.StrEnum):
    NO_RESULTS = "no_results"  # nothing computed for the period yet
    NOT_COMPETING = "not_competing"  # not on the period's roster
    NO_SHEET = "no_sheet"  # on the roster, but no submitted board sheet
    VETOED = "vetoed"  # the chair decided a veto: listed, not ranked
    NOT_IN_SCOPE = "not_in_scope"  # ranked, but not in this leaderboard


MESSAGES = {
    NoRank.NO_RESULTS: _l("No results have been computed for this period yet."),
    NoRank.NOT_COMPETING: _l(
        "This unit does not compete in this period: it was not on the list of competing "
        "units recorded when board scoring opened."
    ),
    NoRank.NO_SHEET: _l(
        "This unit has no rank yet: no board member has submitted a score sheet for it."
    ),
    NoRank.VETOED: _l(
        "This unit is not ranked: the board chair decided that a veto condition applies. It "
        "is rated “not completed” and listed after the ranked units."
    ),
    NoRank.NOT_IN_SCOPE: _l("This unit is not part of this leaderboard."),
}


def no_rank(
    session: Session,
    period: Period,
    snapshot: Snapshot | None,
    unit: Unit,
    scope: tuple[ScopeType, str] = (ScopeType.NATIONAL, "all"),
) -> NoRank | None:
    """Why `unit` has no rank in `scope` of the snapshot; None when it has one."""
    if snapshot is None:
        return NoRank.NO_RESULTS
    rows = {
        (ScopeType(s.scope_type), s.scope_key): s
        for s in session.scalars(
            select(Standing).where(Standing.snapshot_id == snapshot.id, Standing.unit_id == unit.id)
        )
    }
    if not rows:
        if has_roster(session, period) and roster_entry(session, period, unit.id) is None:
            return NoRank.NOT_COMPETING
        if not has_roster(session, period) and not unit.competes:
            return NoRank.NOT_COMPETING
        return NoRank.NO_SHEET
    if any(row.vetoed for row in rows.values()):
        return NoRank.VETOED
    if scope not in rows:
        return NoRank.NOT_IN_SCOPE
    return None


def message(reason: NoRank | None) -> str:
    return str(MESSAGES[reason]) if reason is not None else ""
