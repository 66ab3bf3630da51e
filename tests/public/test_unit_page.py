"""Unit page: standings in every scope, group breakdown and rank history chart data."""

from __future__ import annotations

import html as htmllib
import json
import re

from emulation.campaigns.models import PeriodStatus
from emulation.leaderboards.models import ScopeType


def chart(html: str, element_id: str) -> dict:
    match = re.search(rf'id="{element_id}"[^>]*data-chart="([^"]*)"', html, re.S)
    assert match, element_id
    return json.loads(htmllib.unescape(match.group(1)))


def test_unit_page_shows_ranks_breakdown_and_history(client, make):
    w = make.leaderboard_world(status=PeriodStatus.PUBLISHED, official=True)
    unit = w.units[1]
    later = make.period(
        w.period.campaign,
        status=PeriodStatus.SCORING,
        code="2026",
        year=2026,
        name_vi="Năm 2026",
        name_en="Year 2026",
    )
    make.group(later, code="1", title_en="Dedicated", max_points=5000, position=1)
    make.group(later, code="2", title_en="Attached", max_points=5000, position=2)
    snap = make.snapshot(later)
    totals = {u: 9000 + 10 * i for i, u in enumerate(w.units)}  # order reversed
    make.rankings(
        snap,
        totals,
        previous={(ScopeType.NATIONAL, unit.code): 2},
        groups={unit.code: {"1": 4000, "2": 3500}},
    )

    # The latest official result is shown by default, with a link to the provisional one.
    default = client.get(f"/don-vi/{unit.code}?lang=en").get_data(as_text=True)
    assert "See the provisional results" in default and 'href="/bang-xep-hang/2026"' in default
    response = client.get(f"/don-vi/{unit.code}?lang=en&period=2026")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert unit.name in html and w.provinces[0].name in html and w.cluster.name in html
    assert "Provisional" in html
    breakdown = chart(html, "breakdown-chart")
    assert breakdown["values"] == [4000, 3500]
    assert breakdown["max"] == [5000, 5000]
    assert breakdown["labels"] == ["1. Dedicated", "2. Attached"]
    history = chart(html, "history-chart")
    n = len(w.units)
    assert history["labels"][-1] == "Year 2026"
    assert history["national"] == [2, n - 1]
    assert history["province"] == [2, 2]
    assert "<script>" not in html and "chart.umd.min.js" in html

    older = client.get(f"/don-vi/{unit.code}?period=2025&lang=en").get_data(as_text=True)
    assert "Official" in older


def test_unit_without_results_renders_empty_state(client, make):
    unit = make.unit(name="Xã Chưa Chấm")
    response = client.get(f"/unit/{unit.code}?lang=en")
    assert response.status_code == 200
    assert "This unit has no results yet." in response.get_data(as_text=True)
    assert client.get(f"/unit/{unit.code}?period=nope").status_code == 404
