"""Editing a criteria tree: add, edit, delete, reorder, the freeze, optimistic locking."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from emulation.audit.models import AuditEvent
from emulation.campaigns import criteria_sets, services
from emulation.campaigns.criteria import walk
from emulation.campaigns.models import Criterion, PeriodStatus
from emulation.campaigns.models import CriterionKind as K
from emulation.errors import Conflict, InvalidInput, InvalidState
from tests.campaigns.helpers import direct, valid_set


def codes(period) -> list[str]:
    return [c.code for c, _depth in walk(period)]


def test_add_appends_under_the_parent_and_audits(make, db_session):
    period = make.period()
    group = valid_set(make, period)
    admin = make.admin()
    added = services.add_criterion(
        db_session, period=period, data=direct("1.3"), parent=group, actor=admin
    )
    db_session.commit()
    assert codes(period) == ["1", "1.1", "1.2", "1.3", "B", "B1"]
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "criterion.created")
    ).one()
    assert event.after["code"] == "1.3" and event.after["parent"] == "1"
    assert event.object_id == str(added.id)


def test_add_refuses_a_duplicate_code_and_a_leaf_parent(make, db_session):
    period = make.period()
    valid_set(make, period)
    leaf = db_session.scalar(select(Criterion).where(Criterion.code == "1.1"))
    with pytest.raises(InvalidInput):
        services.add_criterion(db_session, period=period, data=direct("1.1"), actor=None)
    with pytest.raises(InvalidInput):
        services.add_criterion(db_session, period=period, data=direct("9"), parent=leaf, actor=None)


def test_add_refuses_what_the_node_rules_refuse(make, db_session):
    period = make.period()
    bad = dataclasses.replace(direct("Q"), kind=K.QUANTITATIVE, target=None)
    with pytest.raises(InvalidInput) as err:
        services.add_criterion(db_session, period=period, data=bad, actor=None)
    assert "target" in err.value.message
    assert period.criteria == []


def test_fields_the_kind_does_not_use_are_dropped(make, db_session):
    period = make.period()
    data = dataclasses.replace(direct("X"), points_per_item=300, target=500)
    criterion = services.add_criterion(db_session, period=period, data=data, actor=None)
    assert criterion.points_per_item is None and criterion.target is None


def test_update_changes_values_and_records_before_and_after(make, db_session):
    period = make.period()
    valid_set(make, period)
    criterion = db_session.scalar(select(Criterion).where(Criterion.code == "1.1"))
    data = dataclasses.replace(direct("1.1", 5500), title_vi="Mới")
    services.update_criterion(
        db_session,
        criterion=criterion,
        data=data,
        parent=criterion.parent,
        actor=None,
        expected_version=criterion.version,
    )
    db_session.commit()
    assert criterion.max_points == 5500 and criterion.title_vi == "Mới"
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "criterion.updated")
    ).one()
    assert event.before["max_points"] == 6000 and event.after["max_points"] == 5500


def test_update_with_a_stale_version_is_a_conflict_and_changes_nothing(make, db_session):
    period = make.period()
    valid_set(make, period)
    criterion = db_session.scalar(select(Criterion).where(Criterion.code == "1.1"))
    stale = criterion.version
    services.update_criterion(
        db_session,
        criterion=criterion,
        data=direct("1.1", 5000),
        parent=criterion.parent,
        actor=None,
        expected_version=stale,
    )
    db_session.commit()
    with pytest.raises(Conflict):
        services.update_criterion(
            db_session,
            criterion=criterion,
            data=direct("1.1", 1000),
            parent=criterion.parent,
            actor=None,
            expected_version=stale,
        )
    db_session.rollback()
    assert criterion.max_points == 5000


def test_a_group_cannot_go_inside_itself(make, db_session):
    period = make.period()
    outer = make.group(period=period, code="G", max_points=1000)
    inner = make.group(period=period, parent=outer, code="G1", max_points=1000)
    data = dataclasses.replace(direct("G"), kind=K.GROUP)
    with pytest.raises(InvalidInput):
        services.update_criterion(
            db_session,
            criterion=outer,
            data=data,
            parent=inner,
            actor=None,
            expected_version=outer.version,
        )


def test_delete_a_group_removes_its_subtree(make, db_session):
    period = make.period()
    group = valid_set(make, period)
    services.delete_criterion(db_session, criterion=group, actor=None)
    db_session.commit()
    assert codes(period) == ["B", "B1"]
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "criterion.deleted")
    ).one()
    assert [s["code"] for s in event.before["deleted"]] == ["1", "1.1", "1.2"]


def test_move_swaps_with_a_sibling_and_stops_at_the_ends(make, db_session):
    period = make.period()
    valid_set(make, period)
    second = db_session.scalar(select(Criterion).where(Criterion.code == "1.2"))
    services.move_criterion(db_session, criterion=second, direction="up", actor=None)
    db_session.commit()
    assert codes(period) == ["1", "1.2", "1.1", "B", "B1"]
    services.move_criterion(db_session, criterion=second, direction="up", actor=None)
    assert codes(period) == ["1", "1.2", "1.1", "B", "B1"]
    bonus = db_session.scalar(select(Criterion).where(Criterion.code == "B"))
    services.move_criterion(db_session, criterion=bonus, direction="up", actor=None)
    db_session.commit()
    assert codes(period) == ["B", "B1", "1", "1.2", "1.1"]


@pytest.mark.parametrize("status", [PeriodStatus.SELF_ASSESSMENT, PeriodStatus.SCORING])
def test_a_frozen_set_refuses_every_edit(make, db_session, status):
    period = make.period(status=status)
    group = valid_set(make, period)
    leaf = group.children[0]
    before = codes(period)
    attempts = [
        lambda: services.add_criterion(db_session, period=period, data=direct("9"), actor=None),
        lambda: services.update_criterion(
            db_session,
            criterion=leaf,
            data=direct(leaf.code, 100),
            parent=group,
            actor=None,
            expected_version=leaf.version,
        ),
        lambda: services.delete_criterion(db_session, criterion=leaf, actor=None),
        lambda: services.move_criterion(db_session, criterion=leaf, direction="down", actor=None),
        lambda: criteria_sets.copy_criteria(
            db_session, source=make.period(), target=period, actor=None, replace=True
        ),
        lambda: criteria_sets.import_criteria(
            db_session, period=period, rows=[], actor=None, replace=True
        ),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidState) as err:
            attempt()
        assert "frozen" in err.value.message
    db_session.rollback()
    assert codes(period) == before and leaf.max_points == 6000


def test_the_freeze_holds_even_if_the_status_was_moved_back(make, db_session):
    period = make.period(status=PeriodStatus.OPEN)
    valid_set(make, period)
    services.transition_period(
        db_session, period=period, to=PeriodStatus.SELF_ASSESSMENT, actor=None
    )
    db_session.commit()
    with pytest.raises(InvalidState):
        services.add_criterion(db_session, period=period, data=direct("9"), actor=None)
