"""The read-only JSON API: periods, leaderboards with paging, units, history, errors."""

from __future__ import annotations

from emulation.campaigns.models import PeriodStatus


def test_periods_list_hides_drafts_and_shows_snapshot(client, make):
    w = make.leaderboard_world()
    make.period(w.period.campaign, status=PeriodStatus.DRAFT, code="draft")
    data = client.get("/api/v1/periods").get_json()
    assert [p["code"] for p in data["items"]] == ["2025"]
    assert data["items"][0]["snapshot"]["id"] == w.snapshot.id
    assert data["items"][0]["snapshot"]["official"] is False


def test_period_detail_has_groups_rules_and_scopes(client, make):
    w = make.leaderboard_world()
    data = client.get("/api/v1/periods/2025").get_json()
    assert [g["code"] for g in data["groups"]] == ["1", "2"]
    assert data["rules"]["band_excellent"] == "90.00"
    assert {"type": "cluster", "key": w.cluster.code, "name": w.cluster.name} in data["scopes"]


def test_leaderboard_pages_and_scopes(client, make):
    period = make.period(status=PeriodStatus.SCORING, code="2025", year=2025)
    province = make.province()
    units = make.units_under(province, [f"Xã {n}" for n in range(130)])
    make.rankings(make.snapshot(period), {u: 9000 - n for n, u in enumerate(units)})

    first = client.get("/api/v1/periods/2025/leaderboard?per_page=100").get_json()
    assert len(first["items"]) == 100 and first["total"] == 130 and first["pages"] == 2
    assert first["items"][0]["unit"]["code"] == units[0].code
    assert first["items"][0]["total"] == "90.00"
    second = client.get("/api/v1/periods/2025/leaderboard?per_page=100&page=2").get_json()
    assert [r["unit"]["code"] for r in second["items"]] == [u.code for u in units[100:]]
    scoped = client.get(
        f"/api/v1/periods/2025/leaderboard?scope=province&key={province.code}&per_page=5"
    ).get_json()
    assert scoped["scope"] == {"type": "province", "key": province.code}
    assert len(scoped["items"]) == 5


def test_bad_parameters_are_json_errors(client, make):
    make.leaderboard_world()
    too_many = client.get("/api/v1/periods/2025/leaderboard?per_page=101")
    assert too_many.status_code == 422
    assert too_many.is_json and "per_page" in too_many.get_json()["message"]
    assert client.get("/api/v1/periods/2025/leaderboard?page=abc").status_code == 422
    assert client.get("/api/v1/periods/2025/leaderboard?scope=moon").status_code == 422
    missing = client.get("/api/v1/periods/2025/leaderboard?scope=cluster&key=NOPE")
    assert missing.status_code == 404 and missing.get_json()["status"] == 404
    assert client.get("/api/v1/periods/nope").get_json()["status"] == 404
    assert client.get("/api/v1/units/nope").status_code == 404
    assert client.get("/api/v1/units").status_code == 422
    assert client.get("/api/v1/nothing-here").is_json


def test_unit_search_and_history(client, make):
    w = make.leaderboard_world(extra_names=["Phường Cửa Nam"])
    target = w.by_name["Phường Cửa Nam"]
    found = client.get("/api/v1/units?q=cua nam").get_json()
    assert [u["code"] for u in found["items"]] == [target.code]
    assert found["items"][0]["province"] == w.provinces[0].name
    unit = client.get(f"/api/v1/units/{target.code}").get_json()
    assert unit["name"] == "Phường Cửa Nam" and unit["kind"] == "commune"
    history = client.get(f"/api/v1/units/{target.code}/standings").get_json()
    assert history["items"][0]["period"] == "2025"
    assert history["items"][0]["national"]["rank"] == w.units.index(target) + 1
    assert history["items"][0]["province"]["scope_key"] == w.provinces[0].code
