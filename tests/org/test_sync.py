"""Import/sync of the unit list: diff preview classification and all-or-nothing apply."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from emulation.audit.models import AuditEvent
from emulation.demo import load_units
from emulation.errors import Conflict, InvalidInput
from emulation.org.models import Unit, UnitKind
from emulation.org.sheets import parse_units
from emulation.org.sync import apply_sync, plan_sync
from tests.org.helpers import sheet_of

TODAY = date(2025, 7, 1)


@pytest.fixture(autouse=True)
def english(app):
    """Messages are asserted in English here; the Vietnamese ones in the last test."""
    with force_locale("en"):
        yield


@pytest.fixture
def tree(make):
    p, q = make.province(code="P1"), make.province(code="Q1")
    units = {
        "A": make.unit("Xã An", parent=p, code="A"),
        "B": make.unit("Phường Bình", parent=p, code="B", kind=UnitKind.WARD),
        "C": make.unit("Xã Cát", parent=p, code="C"),
        "D": make.unit("Xã Đông", parent=q, code="D"),
    }
    return {"BCA": make.ministry(), "P1": p, "Q1": q, **units}


def base_rows():
    return [
        ["BCA", "Bộ Công an", "ministry", ""],
        ["P1", "Tỉnh Một", "province", "BCA"],
        ["Q1", "Tỉnh Hai", "province", "BCA"],
        ["A", "Xã An", "commune", "P1"],
        ["B", "Phường Bình", "ward", "P1"],
        ["C", "Xã Cát", "commune", "P1"],
        ["D", "Xã Đông", "commune", "Q1"],
    ]


def _plan(db_session, rows, scope, allowed=("/",), fmt="csv"):
    sheet = sheet_of(rows, fmt=fmt)
    return sheet, plan_sync(db_session, sheet=sheet, scope=scope, allowed_paths=list(allowed))


def _fix_names(tree, rows):
    for row in rows:
        row[1] = tree[row[0]].name
    return rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_preview_classifies_added_renamed_moved_retired_unchanged(db_session, tree, fmt):
    rows = _fix_names(tree, base_rows())
    rows[3][1] = "Phường An Mới"  # A renamed
    rows[4][3] = "Q1"  # B moved
    del rows[5]  # C retired
    rows.append(["E", "Đặc khu Mới", "đặc khu", "P1"])  # added, Vietnamese kind word
    _, plan = _plan(db_session, rows, tree["BCA"], fmt=fmt)
    assert plan.errors == []
    assert [c.code for c in plan.added] == ["E"]
    assert plan.added[0].after["kind"] == "special_zone"
    assert [c.code for c in plan.renamed] == ["A"]
    assert [(c.code, c.before, c.after) for c in plan.moved] == [
        ("B", {"parent": "P1"}, {"parent": "Q1"})
    ]
    assert [c.code for c in plan.retired] == ["C"]
    assert plan.unchanged == 4  # BCA, P1, Q1, D
    assert plan.change_count == 4


def test_apply_writes_every_change_and_audits(db_session, tree):
    rows = _fix_names(tree, base_rows())
    rows[3][1] = "Phường An Mới"
    rows[4][3] = "Q1"
    del rows[5]
    rows.append(["E", "Xã Én", "xã", "P1"])
    sheet, plan = _plan(db_session, rows, tree["BCA"])
    apply_sync(
        db_session,
        sheet=sheet,
        scope=tree["BCA"],
        allowed_paths=["/"],
        expected_fingerprint=plan.fingerprint(),
        actor=None,
        today=TODAY,
    )
    db_session.commit()
    by_code = {u.code: u for u in db_session.scalars(select(Unit))}
    assert by_code["A"].name_folded == "phuong an moi"
    assert by_code["B"].path == "/BCA/Q1/B/" and by_code["B"].parent.code == "Q1"
    assert by_code["C"].active is False and by_code["C"].retired_on == TODAY
    assert by_code["E"].path == "/BCA/P1/E/" and by_code["E"].depth == 2
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "units.imported"))
    assert event.before["changes"]["A"] == {"name": "Xã An"}
    assert event.after["changes"]["B"] == {"parent": "Q1"}
    assert event.after["counts"]["retired"] == 1


def test_apply_is_all_or_nothing_with_per_row_errors(db_session, tree):
    rows = _fix_names(tree, base_rows())
    rows[3][1] = "Renamed but never saved"
    rows += [
        ["F", "Xã Lạc", "commune", "ZZZ"],  # unknown parent
        ["D", "Xã Đông lặp", "commune", "Q1"],  # duplicate code
    ]
    rows[1][3] = "A"  # P1 under A, which is under P1: a cycle
    sheet = sheet_of(rows)
    with pytest.raises(InvalidInput) as err:
        apply_sync(
            db_session,
            sheet=sheet,
            scope=tree["BCA"],
            allowed_paths=["/"],
            expected_fingerprint=None,
            actor=None,
            today=TODAY,
        )
    details = "\n".join(err.value.details)
    assert "Row 9 (F): unknown parent ZZZ" in details
    assert "Row 10: the code D is already on row 8" in details
    assert "Row 3 (P1): this parent makes the unit its own ancestor" in details
    db_session.rollback()
    assert db_session.scalar(select(Unit.name).where(Unit.code == "A")) == "Xã An"
    assert db_session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_bad_kind_is_a_row_error(app):
    with pytest.raises(InvalidInput) as err:
        sheet_of([["X", "Xã X", "village", "P1"]])
    assert err.value.details == ["Row 2 (X): unknown kind “village”."]


def test_errors_are_in_the_users_language(app, db_session, tree):
    with force_locale("vi"):
        _, plan = _plan(db_session, [["F", "Xã Lạc", "xã", "ZZZ"]], tree["P1"])
    assert plan.errors == ["Dòng 2 (F): không có đơn vị cấp trên ZZZ."]


def test_move_updates_the_whole_subtree(db_session, make, tree):
    district = make.unit("Huyện Cũ", parent=tree["P1"], code="H1", kind=UnitKind.DISTRICT)
    make.unit("Xã Con", parent=district, code="H1X")
    rows = [
        *_fix_names(tree, base_rows()),
        ["H1", "Huyện Cũ", "district", "Q1"],
        ["H1X", "Xã Con", "commune", "H1"],
    ]
    sheet, plan = _plan(db_session, rows, tree["BCA"])
    assert [c.code for c in plan.moved] == ["H1"]
    apply_sync(
        db_session,
        sheet=sheet,
        scope=tree["BCA"],
        allowed_paths=["/"],
        expected_fingerprint=plan.fingerprint(),
        actor=None,
        today=TODAY,
    )
    child = db_session.scalar(select(Unit).where(Unit.code == "H1X"))
    assert (child.path, child.depth) == ("/BCA/Q1/H1/H1X/", 3)


def test_apply_refuses_when_the_data_changed_since_preview(db_session, tree):
    rows = _fix_names(tree, base_rows())
    rows[3][1] = "Xã An Mới"
    sheet, plan = _plan(db_session, rows, tree["BCA"])
    tree["A"].rename("Xã An Khác")  # someone renamed it meanwhile
    db_session.commit()
    with pytest.raises(Conflict):
        apply_sync(
            db_session,
            sheet=sheet,
            scope=tree["BCA"],
            allowed_paths=["/"],
            expected_fingerprint=plan.fingerprint(),
            actor=None,
            today=TODAY,
        )


def test_retired_only_within_the_imported_scope(db_session, tree):
    rows = [["A", tree["A"].name, "commune", "P1"]]
    _, plan = _plan(db_session, rows, tree["P1"], allowed=["/BCA/P1/"])
    assert plan.errors == []
    assert sorted(c.code for c in plan.retired) == ["B", "C"]  # not D (other province), not P1


def test_rows_outside_the_admins_scope_are_errors(db_session, tree):
    rows = [["A", tree["A"].name, "commune", "Q1"]]  # moving into another province
    _, plan = _plan(db_session, rows, tree["P1"], allowed=["/BCA/P1/"])
    assert any("outside" in e for e in plan.errors)


def test_retired_unit_in_the_file_is_reactivated(db_session, tree):
    tree["C"].active = False
    db_session.commit()
    _, plan = _plan(db_session, _fix_names(tree, base_rows()), tree["BCA"])
    assert [c.code for c in plan.reactivated] == ["C"]


def test_cluster_code_column_assigns_and_checks_owner(db_session, make, tree):
    cluster = make.cluster(owner=tree["P1"], code="CP1")
    header = ["code", "name", "kind", "parent_code", "cluster_code"]
    rows = [[*row, ""] for row in _fix_names(tree, base_rows())]
    rows[3][4] = rows[6][4] = "CP1"  # A (in P1) fits; D (in Q1) does not
    plan = plan_sync(
        db_session, sheet=sheet_of(rows, header), scope=tree["BCA"], allowed_paths=["/"]
    )
    assert plan.errors == ["Row 8 (D): cluster CP1 belongs to another unit."]
    sheet = sheet_of([rows[3]], header=header)
    plan = plan_sync(db_session, sheet=sheet, scope=tree["P1"], allowed_paths=["/"])
    apply_sync(
        db_session,
        sheet=sheet,
        scope=tree["P1"],
        allowed_paths=["/"],
        expected_fingerprint=plan.fingerprint(),
        actor=None,
        today=TODAY,
    )
    assert db_session.get(Unit, tree["A"].id).cluster_id == cluster.id


def test_official_list_reimport_is_a_no_op(db_session):
    load_units(db_session, legacy=False, provinces=0, echo=lambda _m: None)
    db_session.commit()
    data = resources.files("emulation.data").joinpath("units_2025.csv").read_bytes()
    sheet = parse_units("units_2025.csv", data)
    assert len(sheet.rows) == 3356
    ministry = db_session.scalar(select(Unit).where(Unit.code == "BCA"))
    plan = plan_sync(db_session, sheet=sheet, scope=ministry, allowed_paths=["/"])
    assert plan.errors == []
    assert plan.change_count == 0 and plan.unchanged == 3356
