"""`flask backup create` → damage → `flask backup restore` → recompute gives the identical
snapshot: same inputs hash, same standings (issue 12, item 9). On SQLite (online backup API)
and on PostgreSQL (pg_dump / pg_restore)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select, update

from emulation.audit.services import record, verify_chain
from emulation.leaderboards.models import Snapshot, Standing
from emulation.leaderboards.recompute import inputs_hash, recompute_period
from emulation.scoring.models import BoardScore, ScoreSheet


def _standings(session, snapshot_id):
    rows = session.execute(
        select(Standing.scope_type, Standing.scope_key, Standing.unit_id, Standing.total)
        .add_columns(Standing.rank, Standing.classification)
        .where(Standing.snapshot_id == snapshot_id)
        .order_by(Standing.scope_type, Standing.scope_key, Standing.unit_id)
    )
    return [tuple(row) for row in rows]


def _cli(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    return result.output


@pytest.fixture
def scored(make, db_session):
    if db_session.get_bind().dialect.name != "sqlite" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    w = make.scoring_world().default_tree()
    units = [w.unit() for _ in range(3)]
    for unit, points in zip(units, (1500, 1200, 1200), strict=True):
        w.score(unit, {"1.1": points, "2.1": 800})
    record(db_session, None, "period.opened", w.period)
    snapshot = recompute_period(db_session, w.period)
    db_session.commit()
    return w, snapshot


def test_backup_restore_recompute_gives_the_identical_snapshot(app, db_session, scored, tmp_path):
    w, snapshot = scored
    period_id, first_id = w.period.id, snapshot.id
    digest, standings = snapshot.inputs_hash, _standings(db_session, snapshot.id)
    assert [s[4] for s in standings if s[0].value == "national"] == [1, 2, 2]  # hand-ranked
    target = tmp_path / "backup.bin"
    assert "backup written" in _cli(app, "backup", "create", "--output", str(target))

    # Damage after the backup: every score changes (a new sheet version), a new snapshot.
    db_session.execute(update(BoardScore).values(points=100))
    db_session.execute(update(ScoreSheet).values(version=ScoreSheet.version + 1))
    db_session.commit()
    assert recompute_period(db_session, w.period) is not None
    db_session.commit()

    output = _cli(app, "backup", "restore", str(target), "--yes")
    assert "audit chain: OK" in output
    snapshots = db_session.scalars(select(Snapshot).where(Snapshot.period_id == period_id)).all()
    assert [s.id for s in snapshots] == [first_id]
    period = snapshots[0].period
    assert inputs_hash(db_session, period) == digest
    assert recompute_period(db_session, period) is None  # inputs unchanged: nothing to write
    # A fresh computation from the restored inputs (the official one) is the same result.
    again = recompute_period(db_session, period, official=True)
    db_session.commit()
    assert again.inputs_hash == digest
    assert _standings(db_session, again.id) == standings
    assert verify_chain(db_session).ok


def test_restoring_a_file_that_is_not_a_backup_changes_nothing(app, db_session, scored, tmp_path):
    _w, snapshot = scored
    digest = snapshot.inputs_hash
    bogus = tmp_path / "bogus.bin"
    bogus.write_bytes(b"not a database at all" * 100)
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(bogus), "--yes"])
    assert result.exit_code != 0
    assert db_session.scalar(select(Snapshot.inputs_hash)) == digest


def test_a_restored_database_gets_a_new_render_cache_identity(app, db_session, scored, tmp_path):
    from emulation.public.render_cache import database_identity

    before = database_identity()
    target = tmp_path / "backup.bin"
    _cli(app, "backup", "create", "--output", str(target))
    _cli(app, "backup", "restore", str(target), "--yes")
    # The backup holds the same token, but snapshot ids after it may be reused: Redis pages
    # rendered before the restore must not be served for the restored database.
    assert database_identity() != before
