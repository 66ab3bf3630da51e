"""The per-(unit, criterion) aggregates the recompute reads: kept equal to a full rebuild
from the score sheets whatever path changed them."""

from sqlalchemy import delete, select, update

from emulation.campaigns.models import Aggregation, CriterionKind
from emulation.leaderboards.criterion_results import (
    rebuild_criterion_results,
    sync_criterion_results,
)
from emulation.leaderboards.inputs import note_scores_changed
from emulation.leaderboards.models import CriterionResult
from emulation.leaderboards.recompute import recompute_period
from emulation.scoring.models import BoardScore, ScoreSheet, SheetStatus


def _rows(session, period_id):
    return session.execute(
        select(CriterionResult)
        .where(CriterionResult.period_id == period_id)
        .order_by(CriterionResult.unit_id, CriterionResult.criterion_id)
    ).scalars()


def _table(session, period_id):
    columns = [c.name for c in CriterionResult.__table__.columns]
    return [tuple(getattr(row, c) for c in columns) for row in _rows(session, period_id)]


def _rebuilt(session, period_id):
    """The table as a full rebuild makes it (rolled back afterwards)."""
    nested = session.begin_nested()
    rebuild_criterion_results(session, period_id)
    expected = _table(session, period_id)
    nested.rollback()
    return expected


def _totals(w):
    snapshot = recompute_period(w.session, w.period)
    w.session.commit()
    return {row.unit.code: row.total for row in w.board(snapshot)}


def test_incremental_sync_matches_a_full_rebuild_after_sheet_changes(make):
    w = make.scoring_world().default_tree()
    a, b, c = w.unit(), w.unit(), w.unit()
    for scorer, points in enumerate((300, 800, 500, 1000)):
        w.score(a, {"1.1": points, "2.1": points // 2}, scorer=scorer)
    first = w.score(b, {"1.1": 700, "V1": 0}, measured={"V1": 1})
    w.score(c, {"1.1": 100}, scorer=1)
    sync_criterion_results(w.session, w.period.id)
    w.session.commit()
    # A new sheet, a reopened one (status and version move), a deleted one.
    w.score(b, {"1.1": 900}, scorer=2)
    first.status = SheetStatus.DRAFT
    w.session.execute(delete(ScoreSheet).where(ScoreSheet.unit_id == c.id))
    w.session.commit()
    assert sync_criterion_results(w.session, w.period.id) == 2  # b and c, not a
    assert _table(w.session, w.period.id) == _rebuilt(w.session, w.period.id)
    assert not [row for row in _rows(w.session, w.period.id) if row.unit_id == c.id]


def test_statistics_give_every_method_its_exact_value(make):
    w = make.scoring_world().default_tree()
    unit = w.unit()
    for scorer, points in enumerate((300, 800, 500, 1000)):
        w.score(unit, {"1.1": points}, scorer=scorer)
    sync_criterion_results(w.session, w.period.id)
    row = next(r for r in _rows(w.session, w.period.id) if r.criterion_id == w.criteria["1.1"].id)
    assert (row.n, row.psum, row.pmin, row.pmax, row.pmid) == (4, 2600, 300, 1000, 1300)
    w.session.rollback()
    assert _totals(w) == {unit.code: 650}  # mean
    w.period.aggregation = Aggregation.MEDIAN  # no rebuild needed: (500 + 800) / 2
    w.session.commit()
    assert _totals(w) == {unit.code: 650}
    w.period.aggregation = Aggregation.TRIMMED_MEAN  # under 5 scorers: the plain mean
    w.session.commit()
    assert _totals(w) == {unit.code: 650}


def test_a_named_unit_edited_in_place_is_rebuilt_alone(make):
    w = make.scoring_world().default_tree()
    a, b = w.unit(), w.unit()
    sheet_a = w.score(a, {"1.1": 500})
    sheet_b = w.score(b, {"1.1": 600})
    assert _totals(w) == {a.code: 500, b.code: 600}
    for sheet in (sheet_a, sheet_b):  # neither sheet row is touched
        w.session.execute(
            update(BoardScore).where(BoardScore.sheet_id == sheet.id).values(points=900)
        )
    note_scores_changed(w.session, w.period.id, [a.id])
    w.session.commit()
    # Only a was noted: b's edit (a writer that broke the contract) is not seen.
    assert _totals(w) == {a.code: 900, b.code: 600}
    note_scores_changed(w.session, w.period.id)  # no unit named: every unit is rebuilt
    w.session.commit()
    assert _totals(w) == {a.code: 900, b.code: 900}


def test_a_unit_whose_sheets_are_all_reopened_loses_its_quantitative_lead(make):
    w = make.scoring_world().default_tree()
    w.leaf(
        "Q",
        w.criteria["2"],
        kind=CriterionKind.QUANTITATIVE,
        max_points=1000,
        target=100,
        target_share_percent=50,
    )
    leader = w.unit()
    other = w.unit(parent=leader.parent)  # the same province: one peer group
    lead_sheet = w.score(leader, {"Q": 0}, measured={"Q": 400})
    w.score(other, {"Q": 0}, measured={"Q": 200})
    before = _totals(w)
    assert before[other.code] < before[leader.code]
    lead_sheet.status = SheetStatus.DRAFT
    w.session.commit()
    assert _totals(w) == {other.code: 1000}  # now the best of its peer group
