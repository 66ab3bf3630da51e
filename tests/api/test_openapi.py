"""The OpenAPI document describes every API route, and real responses match its schemas."""

from __future__ import annotations

import re

import pytest

from emulation.campaigns.models import PeriodStatus
from tests.api.schema_check import errors


def api_paths(app) -> set[str]:
    return {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }


def test_every_route_is_documented_and_nothing_else(client, app):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == api_paths(app)
    for path, item in document["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        params = {p["name"] for p in item["get"]["parameters"] if p["in"] == "path"}
        assert names == params, path


def test_every_reference_resolves(client):
    document = client.get("/api/v1/openapi.json").get_json()
    text = str(document)
    for name in re.findall(r"#/components/schemas/(\w+)", text):
        assert name in document["components"]["schemas"]


def _schema_for(document, path: str, status: str) -> dict:
    return document["paths"][path]["get"]["responses"][status]["content"]["application/json"][
        "schema"
    ]


@pytest.fixture
def calls(make):
    w = make.leaderboard_world(extra_names=["Phường Cửa Nam"])
    make.period(w.period.campaign, status=PeriodStatus.OPEN, code="2026", year=2026)
    code = w.by_name["Phường Cửa Nam"].code
    province = w.provinces[0].code
    return [
        ("/api/v1/periods", "/api/v1/periods", 200),
        ("/api/v1/periods/{period}", "/api/v1/periods/2025", 200),
        ("/api/v1/periods/{period}", "/api/v1/periods/2026", 200),
        ("/api/v1/periods/{period}", "/api/v1/periods/nope", 404),
        ("/api/v1/periods/{period}/leaderboard", "/api/v1/periods/2025/leaderboard", 200),
        (
            "/api/v1/periods/{period}/leaderboard",
            f"/api/v1/periods/2025/leaderboard?scope=province&key={province}&per_page=2",
            200,
        ),
        ("/api/v1/periods/{period}/leaderboard", "/api/v1/periods/2026/leaderboard", 200),
        ("/api/v1/periods/{period}/leaderboard", "/api/v1/periods/2025/leaderboard?page=0", 422),
        ("/api/v1/units", "/api/v1/units?q=xa", 200),
        ("/api/v1/units", "/api/v1/units", 422),
        ("/api/v1/units/{code}", f"/api/v1/units/{code}", 200),
        ("/api/v1/units/{code}", "/api/v1/units/nope", 404),
        ("/api/v1/units/{code}/standings", f"/api/v1/units/{code}/standings", 200),
        ("/api/v1/openapi.json", "/api/v1/openapi.json", 200),
    ]


def test_real_responses_match_the_document(client, calls):
    document = client.get("/api/v1/openapi.json").get_json()
    for template, url, status in calls:
        response = client.get(url)
        assert response.status_code == status, url
        assert str(status) in document["paths"][template]["get"]["responses"], url
        schema = _schema_for(document, template, str(status))
        assert errors(response.get_json(), schema, document) == [], url


def test_checker_catches_a_wrong_shape(client):
    document = client.get("/api/v1/openapi.json").get_json()
    wrong = {"items": [{"code": 1}]}
    assert errors(wrong, {"$ref": "#/components/schemas/PeriodList"}, document)
