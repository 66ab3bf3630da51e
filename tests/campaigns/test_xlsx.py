"""Criteria sets as spreadsheets: round trip and all-or-nothing import with row errors."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from emulation.campaigns import criteria_sets, xlsx
from emulation.campaigns.criteria import walk
from emulation.campaigns.models import CriterionKind as K
from emulation.errors import InvalidInput
from tests.campaigns.helpers import valid_set

FIELDS = (
    "code",
    "kind",
    "title_vi",
    "title_en",
    "guidance_vi",
    "guidance_en",
    "max_points",
    "min_points",
    "points_per_item",
    "target",
    "target_share_percent",
    "higher_is_better",
    "measure_unit",
    "evidence_required",
    "weight_percent",
)


def shape(period):
    return [
        (tuple(getattr(c, f) for f in FIELDS), c.parent.code if c.parent else None)
        for c, _depth in walk(period)
    ]


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(xlsx.COLUMNS))
    for row in rows:
        sheet.append([row.get(column) for column in xlsx.COLUMNS])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_export_then_import_round_trips_exactly(make, db_session):
    source = make.period()
    valid_set(make, source)
    make.criterion(
        period=source,
        code="Z",
        title_vi="Điểm lẻ",
        guidance_vi="Hướng dẫn\nnhiều dòng",
        max_points=125,
        min_points=5,
        weight_percent=50,
        evidence_required=True,
    )
    make.criterion(
        period=source,
        code="Q2",
        kind=K.QUANTITATIVE,
        max_points=350,
        target=7,
        target_share_percent=75,
        higher_is_better=False,
        measure_unit="vụ",
    )
    content = xlsx.export_criteria(source)
    target = make.period()
    rows = xlsx.parse_criteria(content)
    criteria_sets.import_criteria(db_session, period=target, rows=rows, actor=make.admin())
    db_session.commit()
    assert shape(target) == shape(source)
    assert xlsx.parse_criteria(xlsx.export_criteria(target)) == rows


def test_the_export_has_one_row_per_node_with_its_parent(make):
    period = make.period()
    valid_set(make, period)
    sheet = load_workbook(BytesIO(xlsx.export_criteria(period))).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][:3] == ("code", "parent_code", "kind")
    assert [(r[0], r[1]) for r in lines[1:]] == [
        ("1", None),
        ("1.1", "1"),
        ("1.2", "1"),
        ("B", None),
        ("B1", "B"),
    ]
    assert lines[2][7] == 60 and lines[5][9] == 3 and lines[5][10] is None


def test_bad_rows_are_all_reported_and_nothing_is_imported(make, db_session):
    period = make.period()
    content = workbook(
        [
            {"code": "1", "kind": "group", "title_vi": "Nhóm", "max_points": 10},
            {"code": "1.1", "parent_code": "1", "kind": "magic", "title_vi": "A", "max_points": 5},
            {
                "code": "1.2",
                "parent_code": "1",
                "kind": "direct",
                "title_vi": "B",
                "max_points": "năm",
            },
        ]
    )
    with pytest.raises(InvalidInput) as err:
        xlsx.parse_criteria(content)
    assert err.value.details == [
        "Row 3: unreadable value in kind.",
        "Row 4: unreadable value in max_points.",
    ]
    assert period.criteria == []


def test_rule_errors_name_their_rows(make, db_session):
    period = make.period()
    content = workbook(
        [
            {"code": "1", "kind": "group", "title_vi": "Nhóm", "max_points": 10},
            {"code": "1.1", "parent_code": "1", "kind": "direct", "title_vi": "A", "max_points": 6},
            {
                "code": "1.2",
                "parent_code": "1",
                "kind": "quantitative",
                "title_vi": "B",
                "max_points": 4,
                "target_share_percent": 80,
            },
            {"code": "1.3", "parent_code": "9", "kind": "direct", "title_vi": "C", "max_points": 1},
        ]
    )
    rows = xlsx.parse_criteria(content)
    with pytest.raises(InvalidInput) as err:
        criteria_sets.import_criteria(db_session, period=period, rows=rows, actor=None)
    details = err.value.details
    assert any(d.startswith("Row 4:") and "target" in d for d in details)
    assert any(d.startswith("Row 5:") and "9" in d for d in details)
    db_session.rollback()
    assert period.criteria == []


def test_row_errors_are_in_the_users_language(app, make, db_session):
    from flask_babel import force_locale

    content = workbook([{"code": "1", "kind": "nope", "title_vi": "Nhóm", "max_points": 10}])
    with force_locale("vi"), pytest.raises(InvalidInput) as err:
        xlsx.parse_criteria(content)
    assert err.value.details[0].startswith("Dòng 2")


def test_not_a_workbook_and_missing_columns(make):
    with pytest.raises(InvalidInput):
        xlsx.parse_criteria(b"not a spreadsheet")
    book = Workbook()
    book.active.append(["code", "kind"])
    out = BytesIO()
    book.save(out)
    with pytest.raises(InvalidInput) as err:
        xlsx.parse_criteria(out.getvalue())
    assert "title_vi" in err.value.message


def test_import_over_an_existing_set_needs_replace(make, db_session):
    period = make.period()
    valid_set(make, period)
    rows = xlsx.parse_criteria(xlsx.export_criteria(period))
    other = make.period()
    make.criterion(period=other, code="OLD")
    with pytest.raises(Exception) as err:
        criteria_sets.import_criteria(db_session, period=other, rows=rows, actor=None)
    assert "replace" in str(err.value)
    criteria_sets.import_criteria(db_session, period=other, rows=rows, actor=None, replace=True)
    db_session.commit()
    assert [c.code for c, _d in walk(other)] == ["1", "1.1", "1.2", "B", "B1"]
