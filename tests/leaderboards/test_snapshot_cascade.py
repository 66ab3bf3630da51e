"""A deleted snapshot takes its standings with it (a trigger, not a per-row foreign key)."""

from sqlalchemy import delete, func, select

from emulation.campaigns.models import Period
from emulation.leaderboards.inputs import note_scores_changed
from emulation.leaderboards.models import Snapshot, Standing
from emulation.leaderboards.recompute import recompute_period


def _standings(session, snapshot_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(Standing).where(Standing.snapshot_id == snapshot_id)
    )


def _two_snapshots(make, db_session):
    w = make.scoring_world().default_tree()
    w.score(w.unit(), {"1.1": 500})
    first = recompute_period(db_session, w.period)
    note_scores_changed(db_session, w.period.id)
    second = recompute_period(db_session, w.period)
    db_session.commit()
    assert _standings(db_session, first.id) > 0 and _standings(db_session, second.id) > 0
    return w, first.id, second.id


def test_deleting_a_snapshot_deletes_its_standings_only(make, db_session):
    _w, first, second = _two_snapshots(make, db_session)
    db_session.execute(delete(Snapshot).where(Snapshot.id == first))
    db_session.commit()
    assert _standings(db_session, first) == 0
    assert _standings(db_session, second) > 0


def test_deleting_a_period_deletes_its_snapshots_standings(make, db_session):
    w, first, second = _two_snapshots(make, db_session)
    other = make.scoring_world().default_tree()
    other.score(other.unit(), {"1.1": 700})
    kept = recompute_period(db_session, other.period).id
    db_session.commit()
    db_session.execute(delete(Period).where(Period.id == w.period.id))
    db_session.commit()
    assert _standings(db_session, first) == 0 and _standings(db_session, second) == 0
    assert _standings(db_session, kept) > 0
