"""What makes a recompute happen, and the planner's statistics it depends on."""

import pytest
from sqlalchemy import text, update

from emulation.leaderboards.inputs import note_scores_changed, refresh_statistics
from emulation.leaderboards.recompute import recompute_period
from emulation.scoring.models import BoardScore


def compute(world):
    snapshot = recompute_period(world.session, world.period)
    world.session.commit()
    return snapshot


def _edit_in_place(world, sheet, points):
    """Change a score row without touching its sheet (no version bump, no updated_at)."""
    world.session.execute(
        update(BoardScore).where(BoardScore.sheet_id == sheet.id).values(points=points)
    )


def test_a_score_edited_in_place_is_recomputed_once_noted(make):
    w = make.scoring_world().default_tree()
    unit = w.unit()
    sheet = w.score(unit, {"1.1": 500})
    assert compute(w) is not None
    _edit_in_place(w, sheet, 800)
    note_scores_changed(w.session, w.period.id)
    w.session.commit()
    snapshot = compute(w)
    assert snapshot is not None
    assert [row.total for row in w.board(snapshot)] == [800]


def test_each_note_is_a_change_even_after_a_recompute(make):
    w = make.scoring_world().default_tree()
    sheet = w.score(w.unit(), {"1.1": 500})
    compute(w)
    for points in (600, 700):
        _edit_in_place(w, sheet, points)
        note_scores_changed(w.session, w.period.id)
        w.session.commit()
        assert compute(w) is not None
    assert compute(w) is None  # nothing noted since: nothing written


def test_notes_of_another_period_change_nothing_here(make):
    w = make.scoring_world().default_tree()
    w.score(w.unit(), {"1.1": 500})
    compute(w)
    other = make.period(code="other")
    note_scores_changed(w.session, other.id)
    w.session.commit()
    assert compute(w) is None


def test_refresh_statistics_gives_the_planner_row_counts(make, db_session):
    w = make.scoring_world().default_tree()
    w.score(w.unit(), {"1.1": 500})
    refresh_statistics(db_session)
    db_session.commit()
    if db_session.get_bind().dialect.name == "postgresql":
        analysed = db_session.scalar(
            text("SELECT reltuples FROM pg_class WHERE relname = 'board_score'")
        )
        assert analysed == 1
    else:
        stats = db_session.execute(text("SELECT tbl FROM sqlite_stat1")).scalars().all()
        assert "board_score" in stats


@pytest.mark.postgres
def test_the_recompute_runs_without_jit_on_postgresql(make, db_session):
    if db_session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    w = make.scoring_world().default_tree()
    w.score(w.unit(), {"1.1": 500})
    recompute_period(db_session, w.period)
    assert db_session.scalar(text("SHOW jit")) == "off"  # for this transaction only
    db_session.commit()


def _board_score_analysed(session) -> bool:
    if session.get_bind().dialect.name == "postgresql":
        return session.scalar(
            text(
                "SELECT COALESCE(last_analyze, last_autoanalyze) IS NOT NULL "
                "FROM pg_stat_user_tables WHERE relname = 'board_score'"
            )
        )
    found = session.execute(text("SELECT tbl FROM sqlite_stat1")).scalars().all()
    return "board_score" in found


def test_a_recompute_gives_board_score_statistics_when_it_has_none(make, db_session):
    # Keeping criterion_result fresh reads the changed units' scores by index; without
    # statistics PostgreSQL scans every score row instead (docs/PERFORMANCE.md).
    w = make.scoring_world().default_tree()
    w.score(w.unit(), {"1.1": 500})
    if db_session.get_bind().dialect.name == "postgresql":
        db_session.execute(
            text("SELECT pg_stat_reset_single_table_counters('board_score'::regclass)")
        )
    else:  # as after 5,000 saves on a database never analysed
        db_session.execute(update(BoardScore).values(id=BoardScore.id + 5000))
        db_session.execute(text("ANALYZE sqlite_schema"))  # creates sqlite_stat1, empty
        db_session.execute(text("DELETE FROM sqlite_stat1"))
    db_session.commit()
    assert not _board_score_analysed(db_session)
    recompute_period(db_session, w.period)
    db_session.commit()
    assert _board_score_analysed(db_session)
