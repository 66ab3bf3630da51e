"""Export files are named in the interface's language (plain ASCII, so every system keeps it)."""

from __future__ import annotations

from emulation.campaigns.models import PeriodStatus


def _world(make):
    period = make.period(status=PeriodStatus.SCORING, code="2026")
    make.standing(make.snapshot(period), make.unit(name="Xã A"), total=9000, rank=1)


def _filename(response) -> str:
    return response.headers["Content-Disposition"].split('filename="')[1].rstrip('"')


def test_vietnamese_names(client, make):
    _world(make)
    assert _filename(client.get("/bang-xep-hang/2026/xuat.xlsx")) == (
        "bang-xep-hang-2026-toan-quoc.xlsx"
    )


def test_english_names(client, make):
    _world(make)
    client.get("/?lang=en")
    assert _filename(client.get("/leaderboard/2026/export.csv")) == (
        "leaderboard-2026-national.csv"
    )
