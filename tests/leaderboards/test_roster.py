"""The period roster and the quantitative leader, through the SQL recompute."""

from sqlalchemy import select

from emulation.campaigns import services
from emulation.campaigns.models import CriterionKind, PeriodStatus
from emulation.leaderboards.models import RosterEntry, ScopeType
from emulation.leaderboards.recompute import recompute_period
from emulation.org.models import UnitKind

K = CriterionKind


def compute(world, **kw):
    snapshot = recompute_period(world.session, world.period, **kw)
    world.session.commit()
    return snapshot


def test_opening_board_scoring_records_the_roster(make, db_session):
    province = make.province()
    commune = make.unit(parent=province)
    ward = make.unit(parent=province, kind=UnitKind.WARD)
    cluster = make.cluster(units=[ward])
    make.unit(parent=province, active=False)
    make.unit(parent=province, kind=UnitKind.DISTRICT)
    period = make.period(status=PeriodStatus.SELF_ASSESSMENT)
    services.transition_period(db_session, period=period, to=PeriodStatus.SCORING, actor=None)
    db_session.commit()
    entries = db_session.scalars(
        select(RosterEntry).where(RosterEntry.period_id == period.id).order_by(RosterEntry.id)
    ).all()
    got = {(e.unit_id, e.kind, e.province_code, e.cluster_code) for e in entries}
    assert (commune.id, UnitKind.COMMUNE, province.code, None) in got
    assert (ward.id, UnitKind.WARD, province.code, cluster.code) in got
    assert all(e.unit.competes for e in entries)


def test_retiring_or_moving_a_unit_does_not_change_the_periods_results(make):
    w = make.scoring_world().default_tree()
    north, south = make.province(), make.province()
    a, b = w.unit(parent=north), w.unit(parent=north)
    cluster, other = make.cluster(units=[a, b]), make.cluster()
    w.score(a, {"1.1": 900})
    w.score(b, {"1.1": 500})
    w.roster()
    first = compute(w)
    a.active = False
    b.cluster = other
    b.place_under(south)
    w.score(w.unit(parent=north), {"1.1": 2000})  # not on the roster: not ranked
    w.session.commit()
    again = recompute_period(w.session, w.period, official=True)
    w.session.commit()
    for snapshot in (first, again):
        assert w.ranks(snapshot) == {a.code: 1, b.code: 2}
        assert w.ranks(snapshot, ScopeType.CLUSTER, cluster.code) == {a.code: 1, b.code: 2}
        assert w.ranks(snapshot, ScopeType.PROVINCE, north.code) == {a.code: 1, b.code: 2}
        assert w.ranks(snapshot, ScopeType.CLUSTER, other.code) == {}


def test_the_cluster_leader_gets_full_marks_and_others_are_interpolated(make):
    w = make.scoring_world().default_tree()
    quant = w.leaf(
        "Q", None, kind=K.QUANTITATIVE, max_points=1000, target=8000, target_share_percent=80
    )
    assert quant.code == "Q"
    province = make.province()
    a, b, c, d = (w.unit(parent=province) for _ in range(4))
    make.cluster(units=[a, b, c])
    measured = {a: 9000, b: 10000, c: 8000, d: 9000}
    for unit, value in measured.items():
        w.score(unit, {"Q": 0}, measured={"Q": value})
    rows = {r.unit_id: r.total for r in w.board(compute(w))}
    # Cluster: leader b 100 -> 10; a 90 -> 8 + 2 × 10 / 20 = 9; c at target 80 -> 8.
    # d has no cluster: its province (a, b, c, d) is led by b too -> 9.
    assert rows == {a.id: 900, b.id: 1000, c.id: 800, d.id: 900}


def test_reopening_scoring_after_closing_keeps_the_roster(make, db_session):
    province = make.province()
    first = make.unit(parent=province)
    period = make.period(status=PeriodStatus.SELF_ASSESSMENT)
    services.transition_period(db_session, period=period, to=PeriodStatus.SCORING, actor=None)
    services.transition_period(db_session, period=period, to=PeriodStatus.CLOSED, actor=None)
    later = make.unit(parent=province)
    services.transition_period(
        db_session, period=period, to=PeriodStatus.SCORING, actor=None, reason="Sửa phiếu"
    )
    db_session.commit()
    units = set(
        db_session.scalars(select(RosterEntry.unit_id).where(RosterEntry.period_id == period.id))
    )
    assert first.id in units and later.id not in units
