"""The pictures of a leaderboard: histogram bars and bands, province shading (hand-computed)."""

from __future__ import annotations

from emulation.campaigns.models import PeriodStatus
from emulation.public.charts import Bar, ProvinceRow, band_of, histogram, with_levels

BANDS = (9000, 7000, 5000)


def test_bands_follow_the_periods_thresholds():
    assert band_of(9000, BANDS) == "excellent"
    assert band_of(8999, BANDS) == "good"
    assert band_of(5000, BANDS) == "completed"
    assert band_of(4999, BANDS) == "not_completed"


def test_histogram_has_two_point_bars_with_the_empty_ones_between():
    bars = histogram([9150, 9199, 8800, 9400], BANDS)
    assert bars == [
        Bar(8800, 1, "good"),
        Bar(9000, 2, "excellent"),
        Bar(9200, 0, "excellent"),
        Bar(9400, 1, "excellent"),
    ]
    assert histogram([], BANDS) == []


def test_province_shading_runs_from_the_lowest_to_the_highest():
    rows = [
        ProvinceRow("01", "A", 3, [1800, 1500], 8000),
        ProvinceRow("02", "B", 2, [1700, 1500], 7900),
        ProvinceRow("04", "C", 4, [1600, 1500], 7800),
    ]
    assert [row.levels for row in with_levels(rows)] == [(4, 2), (2, 2), (0, 2)]


def test_the_national_page_shows_both_pictures(client, make):
    period = make.period(status=PeriodStatus.SCORING, code="2026")
    snapshot = make.snapshot(period)
    make.standing(snapshot, make.unit(name="Xã A"), total=9150, rank=1)
    make.standing(snapshot, make.unit(name="Xã B"), total=7000, rank=2)
    html = client.get("/bang-xep-hang/2026").get_data(as_text=True)
    assert 'id="distribution-chart"' in html
    assert "Hoàn thành xuất sắc nhiệm vụ: 1" in html and "Hoàn thành tốt nhiệm vụ: 1" in html
    assert 'class="table table-sm heatmap' in html  # two provinces: one row each


def test_the_unit_page_points_out_the_unit(client, make):
    period = make.period(status=PeriodStatus.SCORING, code="2026")
    snapshot = make.snapshot(period)
    unit = make.unit(name="Phường Cửa Nam", code="00073")
    make.standing(snapshot, unit, total=9150, rank=1)
    html = client.get("/don-vi/00073").get_data(as_text=True)
    assert 'data-marker="9150"' in html
    assert "Đơn vị này: 91,50" in html
