"""`flask units import`: the same sync from the command line."""

from __future__ import annotations

from importlib import resources

from sqlalchemy import select

from emulation.demo import load_units
from emulation.org.models import Unit
from tests.org.helpers import csv_bytes


def test_official_list_over_the_demo_data_is_zero_changes(app, db_session):
    load_units(db_session, legacy=False, provinces=0, echo=lambda _m: None)
    db_session.commit()
    path = resources.files("emulation.data").joinpath("units_2025.csv")
    result = app.test_cli_runner().invoke(args=["units", "import", str(path), "--apply"])
    assert result.exit_code == 0, result.output
    assert "0 changes." in result.output and "unchanged: 3356" in result.output


def test_preview_then_apply(app, db_session, make, tmp_path):
    province = make.province(code="PC")
    make.unit("Xã Cũ", parent=province, code="C1")
    file = tmp_path / "units.csv"
    file.write_bytes(csv_bytes([["C1", "Xã Mới", "xã", "PC"]]))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["units", "import", str(file), "--scope", "PC"])
    assert result.exit_code == 0 and "renamed: 1" in result.output
    assert db_session.scalar(select(Unit.name).where(Unit.code == "C1")) == "Xã Cũ"
    result = runner.invoke(args=["units", "import", str(file), "--scope", "PC", "--apply"])
    assert result.exit_code == 0 and "Applied 1 changes." in result.output
    db_session.expire_all()
    assert db_session.scalar(select(Unit.name).where(Unit.code == "C1")) == "Xã Mới"


def test_errors_exit_nonzero_and_change_nothing(app, db_session, make, tmp_path):
    make.province(code="PD")
    file = tmp_path / "units.csv"
    file.write_bytes(csv_bytes([["D1", "Xã Lạ", "xã", "NOPE"]]))
    result = app.test_cli_runner().invoke(args=["units", "import", str(file), "--apply"])
    assert result.exit_code == 1
    assert db_session.scalar(select(Unit).where(Unit.code == "D1")) is None
