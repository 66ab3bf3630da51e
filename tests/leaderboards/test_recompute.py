"""`recompute.recompute_period` / `recompute_due`: set-based SQL on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import func, select

from emulation.campaigns.models import Classification as C
from emulation.campaigns.models import PeriodStatus
from emulation.leaderboards import recompute as jobs_mod
from emulation.leaderboards.models import ScopeType, Snapshot, Standing
from emulation.leaderboards.recompute import recompute_due, recompute_period
from emulation.org.models import UnitKind
from emulation.scoring.models import SheetStatus


def compute(world, **kw):
    snapshot = recompute_period(world.session, world.period, **kw)
    world.session.commit()
    return snapshot


def test_equal_totals_share_a_rank_1_2_2_4(make):
    w = make.scoring_world().default_tree()
    a, b, c, d = (w.unit() for _ in range(4))
    for unit, points in ((a, 1500), (b, 1200), (c, 1200), (d, 1000)):
        w.score(unit, {"1.1": points})
    snapshot = compute(w)
    assert w.ranks(snapshot) == {a.code: 1, b.code: 2, c.code: 2, d.code: 4}
    assert snapshot.unit_count == 4


def test_the_periods_chain_breaks_ties(make):
    w = make.scoring_world(
        tie_break=["total", "group:2", "fewer_penalties", "unit_code"]
    ).default_tree()
    a, b, c, d = (w.unit() for _ in range(4))
    w.score(a, {"1.1": 1000, "2.1": 500})  # 15, group 2: 5
    w.score(b, {"1.1": 500, "2.1": 1000})  # 15, group 2: 10
    w.score(c, {"1.1": 1100, "2.1": 900, "P1": -500})  # 15, group 2: 9, penalty −5
    w.score(d, {"1.1": 1000, "2.1": 900, "P1": -400})  # 15, group 2: 9, penalty −4
    assert w.ranks(compute(w)) == {b.code: 1, d.code: 2, c.code: 3, a.code: 4}


def test_unit_code_is_the_last_resort_and_without_it_ties_stay(make):
    w = make.scoring_world(tie_break=["total", "unit_code"]).default_tree()
    second, first = w.unit(code="Zb-2"), w.unit(code="ZB-1")
    w.score(second, {"1.1": 800})
    w.score(first, {"1.1": 800})
    assert w.ranks(compute(w)) == {first.code: 1, second.code: 2}  # "B" < "b"
    w.period.tie_break = ["total", "bonus"]
    w.session.commit()
    assert w.ranks(compute(w)) == {first.code: 1, second.code: 1}


def test_points_mean_rounding_caps_and_subtotals(make):
    w = make.scoring_world().default_tree()
    unit = w.unit()
    w.score(unit, {"1.1": 1500, "1.2": 1001, "B1": 600, "P1": -1000}, scorer=0)
    w.score(unit, {"1.1": 1500, "1.2": 1000, "B1": 300, "P1": -1001}, scorer=1)
    [row] = w.board(compute(w))
    # 1.2: 1000.5 -> 1001; group 1: 2501 capped at 2000; bonus 450 (cap 500);
    # penalty −1000.5 -> −1001, capped at −800.
    assert (row.base, row.bonus, row.penalty, row.total) == (2000, 450, -800, 1650)
    assert row.group_subtotals == {"1": 2000, "2": 0, "B": 450, "P": -800}


def test_draft_sheets_inactive_and_non_competing_units_are_not_ranked(make):
    w = make.scoring_world().default_tree()
    ranked, draft_only, retired = w.unit(), w.unit(), w.unit(active=False)
    district = w.unit(kind=UnitKind.DISTRICT)
    w.score(ranked, {"1.1": 500})
    w.score(ranked, {"1.1": 9999}, scorer=1, status=SheetStatus.DRAFT)
    w.score(draft_only, {"1.1": 500}, status=SheetStatus.DRAFT)
    w.score(retired, {"1.1": 500})
    w.score(district, {"1.1": 500})
    [row] = w.board(compute(w))
    assert row.unit_id == ranked.id and row.total == 500


def test_every_scope_is_ranked(make):
    w = make.scoring_world().default_tree()
    north, south = make.province(), make.province()
    a, b = w.unit(parent=north), w.unit(parent=north, kind=UnitKind.WARD)
    c = w.unit(parent=south)
    cluster = make.cluster(units=[a, c])
    for unit, points in ((a, 500), (b, 900), (c, 700)):
        w.score(unit, {"1.1": points})
    snapshot = compute(w)
    assert w.ranks(snapshot) == {b.code: 1, c.code: 2, a.code: 3}
    assert w.ranks(snapshot, ScopeType.PROVINCE, north.code) == {b.code: 1, a.code: 2}
    assert w.ranks(snapshot, ScopeType.PROVINCE, south.code) == {c.code: 1}
    assert w.ranks(snapshot, ScopeType.CLUSTER, cluster.code) == {c.code: 1, a.code: 2}
    assert w.ranks(snapshot, ScopeType.KIND, "commune") == {c.code: 1, a.code: 2}
    assert w.ranks(snapshot, ScopeType.KIND, "ward") == {b.code: 1}


def test_classification_bands_veto_and_excellent_cap(make):
    w = make.scoring_world(band_excellent=3000, band_good=2000, band_completed=1000)
    w.default_tree()
    units = [w.unit() for _ in range(6)]
    for unit, points in zip(units, (3900, 3800, 3500, 2500, 1500, 500), strict=True):
        w.score(unit, {"1.1": points // 2, "2.1": points - points // 2})
    vetoed = w.unit()
    top = {"1.1": 1500, "1.2": 500, "2.1": 2000}  # 40 points
    w.score(vetoed, top, measured={"V1": 1})
    w.score(vetoed, top, scorer=1, measured={"V1": 1})
    w.score(vetoed, top, scorer=2, measured={"V1": 0})
    rows = {r.unit_id: r for r in w.board(compute(w))}
    assert [rows[u.id].classification for u in units] == [
        C.EXCELLENT,
        C.EXCELLENT,
        C.EXCELLENT,
        C.GOOD,
        C.COMPLETED,
        C.NOT_COMPLETED,
    ]
    assert rows[vetoed.id].vetoed and rows[vetoed.id].classification is C.NOT_COMPLETED
    assert rows[vetoed.id].rank == 1  # vetoed units still rank by points

    w.period.excellent_cap_percent = 50  # 4 good or better -> 2 excellent
    w.session.commit()
    rows = {r.unit_id: r for r in w.board(compute(w))}
    assert [rows[u.id].classification for u in units[:4]] == [
        C.EXCELLENT,
        C.EXCELLENT,
        C.GOOD,
        C.GOOD,
    ]


def test_a_minority_veto_does_not_count(make):
    w = make.scoring_world().default_tree()
    unit = w.unit()
    w.score(unit, {"1.1": 500}, measured={"V1": 1})
    w.score(unit, {"1.1": 500}, scorer=1, measured={"V1": 0})
    [row] = w.board(compute(w))
    assert not row.vetoed


def test_unchanged_inputs_write_nothing(make, db_session):
    w = make.scoring_world().default_tree()
    unit = w.unit()
    w.score(unit, {"1.1": 500})
    first = compute(w)
    assert first is not None
    assert compute(w) is None
    assert db_session.scalar(select(func.count()).select_from(Snapshot)) == 1
    w.score(w.unit(), {"1.1": 700})  # a new submitted sheet changes the inputs
    assert compute(w) is not None


def test_rule_changes_change_the_hash(make):
    w = make.scoring_world().default_tree()
    w.score(w.unit(), {"1.1": 500})
    compute(w)
    w.period.band_good = 400
    w.session.commit()
    assert compute(w) is not None


def test_official_snapshot_is_written_once_then_frozen(make):
    w = make.scoring_world().default_tree()
    w.score(w.unit(), {"1.1": 500})
    provisional = compute(w)
    official = compute(w, official=True)  # same inputs, but now official
    assert official is not None and official.official and not provisional.official
    w.score(w.unit(), {"1.1": 700})
    assert compute(w) is None and compute(w, official=True) is None


def test_previous_rank_from_the_last_snapshot_then_the_previous_periods_official(make):
    w = make.scoring_world().default_tree()
    a, b = w.unit(), w.unit()
    w.score(a, {"1.1": 900})
    w.score(b, {"1.1": 500})
    compute(w, official=True)
    w.period.status = PeriodStatus.PUBLISHED
    later = make.scoring_world(
        period=make.period(
            campaign=w.period.campaign, year=2027, status=PeriodStatus.SCORING, tie_break=["total"]
        ),
    )
    later.default_tree()
    later.score(a, {"1.1": 100})
    later.score(b, {"1.1": 800})
    first = compute(later)
    assert {r.unit_id: (r.rank, r.previous_rank) for r in later.board(first)} == {
        b.id: (1, 2),
        a.id: (2, 1),
    }
    c = later.unit()
    later.score(c, {"1.1": 2000})
    second = compute(later)
    assert {r.unit_id: (r.rank, r.previous_rank) for r in later.board(second)} == {
        c.id: (1, None),
        b.id: (2, 1),
        a.id: (3, 2),
    }


def test_recompute_due_covers_scoring_and_newly_published_periods(make):
    campaign = make.campaign()
    scoring = make.scoring_world(period=make.period(campaign=campaign, status=PeriodStatus.SCORING))
    published = make.scoring_world(
        period=make.period(campaign=campaign, status=PeriodStatus.PUBLISHED)
    )
    closed = make.scoring_world(period=make.period(campaign=campaign, status=PeriodStatus.CLOSED))
    for w in (scoring, published, closed):
        w.default_tree()
        w.score(w.unit(), {"1.1": 500})
    written = recompute_due(make.session)
    make.session.commit()
    assert {(s.period_id, s.official) for s in written} == {
        (scoring.period.id, False),
        (published.period.id, True),
    }
    assert recompute_due(make.session) == []


def test_a_crash_mid_run_leaves_the_last_snapshot(make, db_session, monkeypatch):
    w = make.scoring_world().default_tree()
    w.score(w.unit(), {"1.1": 500})
    kept = compute(w)
    w.score(w.unit(), {"1.1": 900})

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs_mod, "_ranked_count", crash)  # after the standings are inserted
    with pytest.raises(RuntimeError):
        recompute_period(db_session, w.period)
    db_session.rollback()
    assert [s.id for s in w.snapshots()] == [kept.id]
    assert db_session.scalar(select(func.count()).select_from(Standing)) == 3  # 3 scopes
