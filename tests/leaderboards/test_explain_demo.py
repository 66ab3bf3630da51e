"""Every unit of a demo period: the explanation's figures sum to the published total."""

from fractions import Fraction

from sqlalchemy import select

from emulation.campaigns.models import Period
from emulation.leaderboards import ranking
from emulation.leaderboards.explain import _nodes, explain, unit_outcome
from emulation.leaderboards.models import RosterEntry, ScopeType, Standing
from emulation.leaderboards.queries import latest_snapshot
from emulation.scoring.rules import round_half_away


# Two provinces: the first (Hà Nội) is the demo board's, scored in the browser in 2026.
def test_every_unit_of_the_demo_periods_is_explained_exactly(app, db_session):
    result = app.test_cli_runner().invoke(args=["demo", "load", "--provinces", "2"])
    assert result.exit_code == 0, result.output
    checked = vetoed = review = 0
    for code in ("2025", "2026"):
        period = db_session.scalar(select(Period).where(Period.code == code))
        snapshot = latest_snapshot(db_session, period)
        leaf_list = ranking.leaves(_nodes(period)[1])
        rows = db_session.scalars(
            select(Standing).where(
                Standing.snapshot_id == snapshot.id, Standing.scope_type == ScopeType.NATIONAL
            )
        ).all()
        entries = {
            e.unit_id: e
            for e in db_session.scalars(
                select(RosterEntry).where(RosterEntry.period_id == period.id)
            )
        }
        assert len(rows) > 50
        for row in rows:
            _lines, outcome, _sheets, _holders = unit_outcome(
                db_session, period, entries[row.unit_id], leaf_list
            )
            assert outcome.total == Fraction(row.exact_total, snapshot.scale), row.unit.code
            assert round_half_away(outcome.total) == row.total
            assert (outcome.vetoed, outcome.under_review) == (row.vetoed, row.under_review)
            checked += 1
            vetoed += row.vetoed
            review += row.under_review
        # The full page's explanation, for the first row and every vetoed or flagged one.
        for row in [rows[0], *(r for r in rows if r.vetoed or r.under_review)]:
            assert explain(db_session, snapshot, row).matches
    assert checked > 200
