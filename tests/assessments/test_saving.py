"""Saving one criterion: points per kind, bounds, conflicts between devices, audit."""

import pytest
from sqlalchemy import select

from emulation.assessments import services
from emulation.assessments.summary import summarise
from emulation.audit.models import AuditEvent
from emulation.campaigns.models import Classification
from emulation.errors import Conflict, InvalidInput
from tests.assessments.helpers import build, fill_complete, save


def test_each_kind_stores_measured_and_points(make, db_session):
    world = build(make)
    draft = world.draft(make)
    expected = {  # code: (value, points) — hand-computed from the criteria in helpers.build
        "1.1": (550, 550),
        "1.2": (4500, 200),  # 45 % of a 90 % target: half of the 4-point target share
        "1.3": (1, 400),
        "B1": (2, 600),
        "P1": (1, -200),
        "V1": (0, 0),
    }
    for code, (value, _points) in expected.items():
        save(db_session, world, draft, code, value)
    stored = {s.criterion.code: (s.measured, s.points) for s in draft.scores}
    assert stored == expected


def test_summary_applies_group_caps_and_bands(make, db_session):
    world = build(make)
    draft = world.draft(make)
    fill_complete(db_session, world, draft)
    result = summarise(world.period, draft.scores)
    # base 5,5 + 4 + 4 = 13,5; bonus 3; penalty 0 → 16,5 → below 50: not completed
    assert (result.base, result.bonus, result.penalty, result.total) == (1350, 300, 0, 1650)
    assert [g.subtotal for g in result.groups] == [1350, 300, 0, 0]
    assert (result.answered, result.count) == (6, 6)
    assert result.classification is Classification.NOT_COMPLETED
    save(db_session, world, draft, "V1", 1, note="Có cán bộ bị giáng chức")
    assert summarise(world.period, draft.scores).vetoed


@pytest.mark.parametrize("value", [-1, 601, 10**30])
def test_out_of_bounds_changes_nothing(make, db_session, value):
    world = build(make)
    draft = world.draft(make)
    save(db_session, world, draft, "1.1", 300)
    db_session.commit()
    with pytest.raises(InvalidInput) as info:
        save(db_session, world, draft, "1.1", value)
    assert info.value.details == {"field": "value"}
    db_session.rollback()
    assert [(s.measured, s.points) for s in draft.scores] == [(300, 300)]


def test_empty_value_keeps_the_justification_and_counts_as_unanswered(make, db_session):
    world = build(make)
    draft = world.draft(make)
    score = save(db_session, world, draft, "1.3", None, note="Sẽ bổ sung")
    assert score.measured is None and score.points == 0 and score.note == "Sẽ bổ sung"
    assert summarise(world.period, draft.scores).answered == 0


def test_a_second_device_gets_a_conflict_with_both_values(make, db_session):
    world = build(make)
    draft = world.draft(make)
    save(db_session, world, draft, "1.1", 400, version=0)  # phone
    db_session.commit()
    with pytest.raises(Conflict) as info:  # the laptop still believes nothing was saved
        save(db_session, world, draft, "1.1", 500, version=0)
    assert info.value.details["theirs"] == {"measured": 400, "points": 400, "note": ""}
    assert info.value.details["version"] == 1
    db_session.rollback()
    assert services.score_of(draft, world.c["1.1"].id).measured == 400
    # Choosing "keep mine" sends the version the conflict showed.
    assert save(db_session, world, draft, "1.1", 500, version=1).measured == 500


def test_a_retried_save_of_the_same_value_is_not_a_conflict(make, db_session):
    world = build(make)
    draft = world.draft(make)
    save(db_session, world, draft, "B1", 1, version=0)
    again = save(db_session, world, draft, "B1", 1, version=0)  # the answer was lost
    assert again.version == 1


def test_saves_are_audited_with_before_and_after(make, db_session):
    world = build(make)
    draft = world.draft(make)
    save(db_session, world, draft, "1.1", 200)
    save(db_session, world, draft, "1.1", 300, note="Theo báo cáo")
    db_session.commit()
    events = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "self_score.saved").order_by(AuditEvent.id)
    ).all()
    assert [e.actor_id for e in events] == [world.head.id] * 2
    assert events[1].before == {"measured": 200, "points": 200, "note": ""}
    assert events[1].after == {
        "measured": 300,
        "points": 300,
        "note": "Theo báo cáo",
        "criterion": "1.1",
    }
    assert events[1].scope_path == world.unit.path


def test_a_group_or_foreign_criterion_is_refused(make, db_session):
    world = build(make)
    draft = world.draft(make)
    other = make.criterion()  # another period's
    for criterion_id in (world.c["1.1"].parent_id, other.id):
        with pytest.raises(InvalidInput):
            services.save_self_score(
                db_session,
                assessment=draft,
                actor=world.head,
                data=services.ScoreInput(criterion_id, 100),
                expected_version=0,
            )
