"""Scores always show two decimals (98,80 above 98,86), in figures of equal width."""

from __future__ import annotations

from pathlib import Path

from emulation.campaigns.models import PeriodStatus
from emulation.db import format_score


def test_format_score_always_has_two_decimals():
    assert format_score(9880, "vi") == "98,80"
    assert format_score(9886, "vi") == "98,86"
    assert format_score(9900, "en") == "99.00"
    assert format_score(5, "vi") == "0,05"
    assert format_score(-300, "vi") == "−3,00"
    assert format_score(None) == "–"


def test_the_leaderboard_column_lines_up(client, make):
    period = make.period(status=PeriodStatus.SCORING, code="2026")
    snapshot = make.snapshot(period)
    make.standing(snapshot, make.unit(name="Xã A"), total=9886, rank=1)
    make.standing(snapshot, make.unit(name="Xã B"), total=9880, rank=2)
    make.standing(snapshot, make.unit(name="Xã C"), total=9000, rank=3)
    html = client.get("/bang-xep-hang/2026").get_data(as_text=True)
    assert ">98,86<" in html and ">98,80<" in html and ">90,00<" in html
    assert ">98,8<" not in html and ">90<" not in html


def test_score_cells_use_tabular_figures():
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "app.css").read_text()
    assert "font-variant-numeric: tabular-nums" in css
    assert '"Be Vietnam Pro"' in css
