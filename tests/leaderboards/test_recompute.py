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


def test_units_equal_on_the_whole_chain_share_the_rank(make):
    # An old chain ending in the unit code: the code is ignored, the tie stays.
    w = make.scoring_world(tie_break=["total", "unit_code"]).default_tree()
    second, first = w.unit(code="Zb-2"), w.unit(code="ZB-1")
    w.score(second, {"1.1": 800})
    w.score(first, {"1.1": 800})
    assert w.ranks(compute(w)) == {first.code: 1, second.code: 1}


def test_points_exact_mean_caps_and_subtotals(make):
    w = make.scoring_world().default_tree()
    unit = w.unit()
    w.score(unit, {"1.1": 1500, "1.2": 1001, "B1": 600, "P1": -1000}, scorer=0)
    w.score(unit, {"1.1": 1500, "1.2": 1000, "B1": 300, "P1": -1001}, scorer=1)
    snapshot = compute(w)
    [row] = w.board(snapshot)
    # 1.2: 1000.5 exactly; group 1: 2500.5 capped at 2000; bonus 450 (cap 500);
    # penalty −1000.5 capped at −800.
    assert (row.base, row.bonus, row.penalty, row.total) == (2000, 450, -800, 1650)
    assert row.group_subtotals == {"1": 2000, "2": 0, "B": 450, "P": -800}
    assert row.exact_total == 1650 * snapshot.scale


def test_exact_totals_rank_and_round_once_for_display(make):
    w = make.scoring_world().default_tree()
    one, two = w.unit(), w.unit()
    w.score(one, {"1.1": 1001, "2.1": 1000})  # 20.01
    w.score(two, {"1.1": 1000, "2.1": 1000}, scorer=0)
    w.score(two, {"1.1": 1001, "2.1": 1000}, scorer=1)  # 10.005 + 10 = 20.005
    snapshot = compute(w)
    rows = {r.unit_id: r for r in w.board(snapshot)}
    assert (rows[one.id].rank, rows[two.id].rank) == (1, 2)
    assert rows[two.id].total == 2001  # 20.005 shown as 20.01, still below 20.01 exactly
    assert snapshot.scale == 200  # lcm(1, 2) × 100
    assert (rows[one.id].exact_total, rows[two.id].exact_total) == (400200, 400100)


def test_median_and_trimmed_mean(make):
    w = make.scoring_world(aggregation="median").default_tree()
    w.scorers += [make.board_member() for _ in range(2)]
    unit = w.unit()
    for scorer, points in enumerate((100, 900, 1000, 1200, 1500)):
        w.score(unit, {"2.1": points}, scorer=scorer)
    [row] = w.board(compute(w))
    assert row.total == 1000  # the middle of five
    w.period.aggregation = "trimmed_mean"
    w.session.commit()
    [row] = w.board(compute(w))
    assert row.total == 1033  # (900 + 1000 + 1200) / 3 = 1033.33…
    w.period.aggregation = "mean"
    w.session.commit()
    [row] = w.board(compute(w))
    assert row.total == 940  # 4700 / 5


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
    w.score(vetoed, top, scorer=1, measured={"V1": 0})
    w.decide(vetoed, vetoed=True, reason="Cán bộ bị giáng chức")
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
    assert rows[vetoed.id].rank == 7 and rows[vetoed.id].shown_rank is None  # after 6 ranked
    assert rows[units[0].id].rank == 1

    w.period.excellent_cap_percent = 50  # 4 good or better -> 2 excellent
    w.session.commit()
    rows = {r.unit_id: r for r in w.board(compute(w))}
    assert [rows[u.id].classification for u in units[:4]] == [
        C.EXCELLENT,
        C.EXCELLENT,
        C.GOOD,
        C.GOOD,
    ]


def test_a_flag_is_under_review_until_the_chair_decides(make):
    w = make.scoring_world().default_tree()
    unit, other = w.unit(), w.unit()
    w.score(unit, {"1.1": 500}, measured={"V1": 1})
    w.score(other, {"1.1": 400})
    [row, _other] = w.board(compute(w))
    assert not row.vetoed and row.under_review and row.rank == 1
    w.decide(unit, vetoed=False, reason="Không có căn cứ")
    [row, _other] = w.board(compute(w))
    assert not row.vetoed and not row.under_review and row.rank == 1


def test_a_vetoed_unit_is_listed_after_the_ranked_ones_in_every_scope(make):
    w = make.scoring_world().default_tree()
    province = make.province()
    best, second = w.unit(parent=province), w.unit(parent=province)
    cluster = make.cluster(units=[best, second])
    w.score(best, {"1.1": 1500}, measured={"V1": 1})
    w.score(second, {"1.1": 500})
    w.decide(best)
    snapshot = compute(w)
    for scope, key in (
        (ScopeType.NATIONAL, "all"),
        (ScopeType.PROVINCE, province.code),
        (ScopeType.CLUSTER, cluster.code),
        (ScopeType.KIND, "commune"),
    ):
        rows = w.board(snapshot, scope, key)
        assert [(r.unit_id, r.rank, r.vetoed) for r in rows] == [
            (second.id, 1, False),
            (best.id, 2, True),
        ]


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


def test_previous_rank_is_always_the_previous_periods_official_result(make):
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
    later.roster()  # scoring reopened with c on the roster
    second = compute(later)
    moves = {c.id: (1, None), b.id: (2, 2), a.id: (3, 1)}  # not against `first`
    assert {r.unit_id: (r.rank, r.previous_rank) for r in later.board(second)} == moves
    official = compute(later, official=True)
    assert {r.unit_id: (r.rank, r.previous_rank) for r in later.board(official)} == moves


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
