"""A unit import applies the rules of the "new unit" form: a row the form would refuse is
refused by the import too (and the whole file with it)."""

from __future__ import annotations

import pytest

from emulation.errors import InvalidInput
from emulation.org.models import UnitKind
from emulation.org.services import NewUnit, create_unit
from emulation.org.sheets import parse_units
from tests.org.helpers import csv_bytes, xlsx_bytes

BAD_CODES = ["A/B", "<svg onload=alert(3)>", "00 70", "x" * 21, "0007\t0"]
BAD_NAMES = ["Phường\x00Cửa Nam", "Xã\x1bĐồng Tâm", "y" * 201]


@pytest.mark.parametrize("code", BAD_CODES)
def test_the_form_and_the_import_refuse_the_same_codes(app, make, code):
    province = make.province(code="PX")
    with pytest.raises(InvalidInput):
        create_unit(
            make.session,
            data=NewUnit(code=code, name="Xã Mới", kind=UnitKind.COMMUNE, parent=province),
            actor=None,
        )
    for build, name in ((csv_bytes, "units.csv"), (xlsx_bytes, "units.xlsx")):
        with pytest.raises(InvalidInput):
            parse_units(name, build([[code, "Xã Mới", "xã", "PX"]]))


@pytest.mark.parametrize("name", BAD_NAMES)
def test_the_form_and_the_import_refuse_the_same_names(app, make, name):
    province = make.province(code="PX")
    with pytest.raises(InvalidInput):
        create_unit(
            make.session,
            data=NewUnit(code="X9", name=name, kind=UnitKind.COMMUNE, parent=province),
            actor=None,
        )
    with pytest.raises(InvalidInput):
        parse_units("units.csv", csv_bytes([["X9", name, "xã", "PX"]]))


def test_ordinary_rows_still_pass(app):
    sheet = parse_units("units.csv", csv_bytes([["00070", "Phường Hoàn Kiếm", "phường", "01"]]))
    assert [(r.code, r.name) for r in sheet.rows] == [("00070", "Phường Hoàn Kiếm")]
