"""Unit services: search, subtree moves, retirement, merges."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from emulation.audit.models import AuditEvent
from emulation.errors import InvalidInput, InvalidState
from emulation.org import services
from emulation.org.models import Unit, UnitKind


def test_search_ignores_diacritics_and_matches_codes(db_session, make):
    province = make.province("Thành phố Hà Nội", code="01", kind=UnitKind.CITY)
    ward = make.unit("Phường Cửa Nam", parent=province, code="00073", kind=UnitKind.WARD)
    make.unit("Phường Hoàn Kiếm", parent=province, code="00070", kind=UnitKind.WARD)
    found = services.search_units(db_session, text="cua nam", scope_paths=["/"])
    assert found == [ward]
    assert services.search_units(db_session, text="CỬA NAM", scope_paths=["/"]) == [ward]
    assert services.search_units(db_session, text="00073", scope_paths=["/"]) == [ward]


def test_search_is_limited_to_the_scope_and_hides_retired(db_session, make):
    here, there = make.province(), make.province()
    mine = make.unit("Xã Yên Hòa", parent=here)
    make.unit("Xã Yên Hòa", parent=there)
    gone = make.unit("Xã Yên Hòa Cũ", parent=here, active=False)
    assert services.search_units(db_session, text="yen hoa", scope_paths=[here.path]) == [mine]
    found = services.search_units(
        db_session, text="yen hoa", scope_paths=[here.path], include_retired=True
    )
    assert set(found) == {mine, gone}


def test_move_updates_path_and_depth_of_the_whole_subtree(db_session, make):
    a, b = make.province(code="PA"), make.province(code="PB")
    district = make.unit("Huyện", parent=a, code="D1", kind=UnitKind.DISTRICT)
    commune = make.unit("Xã", parent=district, code="X1")
    outsider = make.unit("Xã D1X", parent=a, code="D1X")  # shares the code prefix, not the path
    services.move_unit(db_session, unit=district, new_parent=b, actor=None)
    db_session.commit()
    assert db_session.get(Unit, district.id).path == "/BCA/PB/D1/"
    moved = db_session.get(Unit, commune.id)
    assert (moved.path, moved.depth, moved.parent.code) == ("/BCA/PB/D1/X1/", 3, "D1")
    assert db_session.get(Unit, outsider.id).path == "/BCA/PA/D1X/"
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.moved"))
    assert (event.before["parent"], event.after["parent"]) == ("PA", "PB")


def test_cannot_move_under_own_subtree(db_session, make):
    district = make.unit(kind=UnitKind.DISTRICT)
    child = make.unit(parent=district)
    with pytest.raises(InvalidInput):
        services.move_unit(db_session, unit=district, new_parent=child, actor=None)


def test_retire_keeps_the_unit_and_its_history(db_session, make):
    assessment = make.assessment()
    unit = assessment.unit
    services.retire_unit(db_session, unit=unit, on=date(2025, 7, 1), actor=None)
    db_session.commit()
    kept = db_session.get(Unit, unit.id)
    assert (kept.active, kept.retired_on) == (False, date(2025, 7, 1))
    assert kept.competes is False
    assert assessment.unit_id == kept.id
    with pytest.raises(InvalidState):
        services.retire_unit(db_session, unit=kept, on=date(2025, 7, 2), actor=None)


def test_retire_refuses_a_unit_with_active_children(db_session, make):
    district = make.unit(kind=UnitKind.DISTRICT)
    make.unit(parent=district)
    with pytest.raises(InvalidState):
        services.retire_unit(db_session, unit=district, on=date(2025, 7, 1), actor=None)


def test_merge_into_a_new_unit_records_the_mapping(db_session, make):
    province = make.province(code="PM")
    cluster = make.cluster(owner=province)
    olds = [make.unit(f"Xã Cũ {n}", parent=province) for n in range(3)]
    for unit in olds:
        unit.cluster = cluster
    db_session.commit()
    new = services.NewUnit(code="NEW1", name="Xã Mới", kind=UnitKind.COMMUNE, parent=province)
    target = services.merge_units(
        db_session, sources=olds, new=new, on=date(2025, 7, 1), actor=None
    )
    db_session.commit()
    assert target.path == "/BCA/PM/NEW1/" and target.cluster_id == cluster.id
    assert services.merged_sources(db_session, target) == sorted(olds, key=lambda u: u.code)
    for unit in olds:
        assert (unit.active, unit.merged_into_id, unit.retired_on) == (
            False,
            target.id,
            date(2025, 7, 1),
        )


def test_merge_moves_sub_units_to_the_target(db_session, make):
    old, new = make.province(code="OLDP"), make.province(code="NEWP")
    commune = make.unit(parent=old, code="C77")
    services.merge_units(db_session, sources=[old], target=new, on=date(2025, 7, 1), actor=None)
    db_session.commit()
    assert db_session.get(Unit, commune.id).path == "/BCA/NEWP/C77/"
    assert db_session.get(Unit, old.id).merged_into_id == new.id


def test_merge_rejects_target_among_sources(db_session, make):
    a = make.unit()
    with pytest.raises(InvalidInput):
        services.merge_units(db_session, sources=[a], target=a, on=date(2025, 7, 1), actor=None)
