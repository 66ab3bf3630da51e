"""A new period based on an earlier one: deep copy of criteria and rules."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from emulation.audit.models import AuditEvent
from emulation.campaigns import criteria_sets, services
from emulation.campaigns.criteria import walk
from emulation.campaigns.models import PeriodKind, PeriodStatus
from emulation.errors import InvalidInput, InvalidState
from tests.campaigns.helpers import direct, valid_set

FIELDS = (
    "code",
    "kind",
    "title_vi",
    "title_en",
    "max_points",
    "min_points",
    "points_per_item",
    "target",
    "target_share_percent",
    "higher_is_better",
    "measure_unit",
    "evidence_required",
    "weight_percent",
    "position",
)


def shape(period):
    return [
        (tuple(getattr(c, f) for f in FIELDS), c.parent.code if c.parent else None, depth)
        for c, depth in walk(period)
    ]


def test_copy_is_deep_with_parent_links_and_new_ids(make, db_session):
    source = make.period(status=PeriodStatus.PUBLISHED)
    valid_set(make, source)
    target = make.period()
    created = criteria_sets.copy_criteria(
        db_session, source=source, target=target, actor=make.admin()
    )
    db_session.commit()
    assert shape(target) == shape(source)
    source_ids = {c.id for c in source.criteria}
    assert source_ids.isdisjoint({c.id for c in created})
    for copy in target.criteria:
        if copy.parent is not None:
            assert copy.parent.period_id == target.id
    assert target.copied_from_id == source.id
    # Independent: editing the copy leaves the source alone.
    leaf = next(c for c in target.criteria if c.code == "1.1")
    services.update_criterion(
        db_session,
        criterion=leaf,
        data=direct("1.1", 100),
        parent=leaf.parent,
        actor=None,
        expected_version=leaf.version,
    )
    db_session.commit()
    assert next(c for c in source.criteria if c.code == "1.1").max_points == 6000
    assert db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "criteria.copied")
    ).one()


def test_copy_refuses_a_target_with_criteria_unless_replacing(make, db_session):
    source = make.period()
    valid_set(make, source)
    target = make.period()
    make.criterion(period=target, code="OLD")
    with pytest.raises(InvalidState):
        criteria_sets.copy_criteria(db_session, source=source, target=target, actor=None)
    criteria_sets.copy_criteria(db_session, source=source, target=target, actor=None, replace=True)
    db_session.commit()
    assert "OLD" not in {c.code for c in target.criteria}
    assert len(target.criteria) == len(source.criteria)


def test_copy_onto_itself_is_refused(make, db_session):
    period = make.period()
    with pytest.raises(InvalidInput):
        criteria_sets.copy_criteria(db_session, source=period, target=period, actor=None)


def test_new_period_based_on_another_brings_criteria_and_rules(make, db_session):
    source = make.period(status=PeriodStatus.PUBLISHED, excellent_cap_percent=20)
    valid_set(make, source)
    source.band_excellent = 9200
    db_session.commit()
    data = services.PeriodInput(
        code="2027",
        name_vi="Năm 2027",
        name_en="Year 2027",
        kind=PeriodKind.YEAR,
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 12, 31),
    )
    period = services.create_period(
        db_session, campaign=source.campaign, data=data, actor=make.admin(), based_on=source
    )
    db_session.commit()
    assert period.status is PeriodStatus.DRAFT
    assert shape(period) == shape(source)
    assert period.band_excellent == 9200 and period.excellent_cap_percent == 20
    assert period.tie_break == source.tie_break


def test_new_period_can_start_empty_and_checks_its_dates(make, db_session):
    campaign = make.campaign()
    data = services.PeriodInput(
        code="E",
        name_vi="Trống",
        name_en="Empty",
        kind=PeriodKind.HALF_YEAR,
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 6, 30),
    )
    period = services.create_period(db_session, campaign=campaign, data=data, actor=None)
    assert period.criteria == []
    with pytest.raises(InvalidInput):  # same code again
        services.create_period(db_session, campaign=campaign, data=data, actor=None)
    backwards = services.PeriodInput(**{**vars(data), "code": "F", "ends_on": date(2026, 1, 1)})
    with pytest.raises(InvalidInput):
        services.create_period(db_session, campaign=campaign, data=backwards, actor=None)
