"""`flask leaderboards recompute` by hand."""

from sqlalchemy import select

from emulation.leaderboards.models import JobRun, Snapshot


def test_recompute_due_then_nothing_to_write(app, make, db_session):
    w = make.scoring_world().default_tree()
    w.score(w.unit(), {"1.1": 500})
    runner = app.test_cli_runner()
    first = runner.invoke(args=["leaderboards", "recompute"])
    assert first.exit_code == 0, first.output
    assert f"Period {w.period.code}: provisional snapshot" in first.output
    second = runner.invoke(args=["leaderboards", "recompute"])
    assert "Nothing to write" in second.output
    assert len(list(db_session.scalars(select(Snapshot)))) == 1
    assert all(r.tick.startswith("manual-") for r in db_session.scalars(select(JobRun)))


def test_recompute_one_period_officially(app, make, db_session):
    w = make.scoring_world().default_tree()
    w.score(w.unit(), {"1.1": 500})
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["leaderboards", "recompute", "--period", w.period.code, "--official"]
    )
    assert result.exit_code == 0, result.output
    assert "official snapshot" in result.output
    [snapshot] = db_session.scalars(select(Snapshot))
    assert snapshot.official


def test_unknown_period_is_an_error(app):
    result = app.test_cli_runner().invoke(args=["leaderboards", "recompute", "--period", "nope"])
    assert result.exit_code != 0 and "no period" in result.output
