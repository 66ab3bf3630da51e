"""The OpenAPI 3.1 document of `/api/v1`. A test checks that every API route is described
here (and nothing else), and that real responses validate against these schemas."""

from __future__ import annotations

from emulation.campaigns.models import Classification, PeriodKind, PeriodStatus
from emulation.leaderboards.models import ScopeType
from emulation.leaderboards.queries import MAX_PER_PAGE
from emulation.org.models import UnitKind

POINTS = {
    "type": "string",
    "pattern": r"^-?\d+\.\d{2}$",
    "description": 'Exact points as a decimal string with two decimals, e.g. "95.50".',
}
NULLABLE_POINTS = {**POINTS, "type": ["string", "null"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(name: str) -> dict:
    return {"anyOf": [_ref(name), {"type": "null"}]}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


def _enum(values) -> dict:
    return {"type": "string", "enum": [v.value for v in values]}


STRING = {"type": "string"}
INT = {"type": "integer"}
NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_STRING = {"type": ["string", "null"]}

PERIOD_PROPS = {
    "code": STRING,
    "name_vi": STRING,
    "name_en": STRING,
    "kind": _enum(PeriodKind),
    "status": _enum(PeriodStatus),
    "starts_on": {**STRING, "format": "date"},
    "ends_on": {**STRING, "format": "date"},
    "campaign": _ref("Campaign"),
    "snapshot": _nullable("Snapshot"),
}

SCHEMAS = {
    "Error": _object({"error": STRING, "message": STRING, "status": INT}),
    "Snapshot": _object(
        {
            "id": INT,
            "computed_at": {**STRING, "format": "date-time"},
            "official": {"type": "boolean"},
        }
    ),
    "Campaign": _object({"slug": STRING, "name_vi": STRING, "name_en": STRING}),
    "Period": _object(PERIOD_PROPS),
    "Group": _object(
        {"code": STRING, "title_vi": STRING, "title_en": STRING, "max_points": POINTS}
    ),
    "Rules": _object(
        {
            "band_excellent": POINTS,
            "band_good": POINTS,
            "band_completed": POINTS,
            "excellent_cap_percent": NULLABLE_INT,
            "tie_break": {"type": "array", "items": STRING},
        }
    ),
    "Scope": _object(
        {"type": _enum(ScopeType), "key": STRING, "name": NULLABLE_STRING}, ["type", "key"]
    ),
    "PeriodDetail": _object(
        {
            **PERIOD_PROPS,
            "groups": {"type": "array", "items": _ref("Group")},
            "rules": _ref("Rules"),
            "scopes": {"type": "array", "items": _ref("Scope")},
        }
    ),
    "UnitRef": _object({"code": STRING, "name": STRING, "kind": _enum(UnitKind)}),
    "Unit": _object(
        {
            "code": STRING,
            "name": STRING,
            "kind": _enum(UnitKind),
            "active": {"type": "boolean"},
            "province": NULLABLE_STRING,
            "cluster": {"anyOf": [_object({"code": STRING, "name": STRING}), {"type": "null"}]},
        }
    ),
    "Standing": _object(
        {
            "rank": NULLABLE_INT,
            "previous_rank": NULLABLE_INT,
            "ranked": {"type": "boolean"},
            "under_review": {"type": "boolean"},
            "unit": _ref("UnitRef"),
            "province": NULLABLE_STRING,
            "total": POINTS,
            "base": POINTS,
            "bonus": POINTS,
            "penalty": POINTS,
            "group_subtotals": {"type": "object", "additionalProperties": NULLABLE_POINTS},
            "classification": _enum(Classification),
            "vetoed": {"type": "boolean"},
        }
    ),
    "Rank": _object(
        {
            "scope_key": STRING,
            "rank": NULLABLE_INT,
            "previous_rank": NULLABLE_INT,
            "total": POINTS,
            "classification": _enum(Classification),
        }
    ),
    "HistoryPoint": _object(
        {
            "period": STRING,
            "snapshot_id": INT,
            "national": _nullable("Rank"),
            "province": _nullable("Rank"),
        }
    ),
}

PAGING = {"page": INT, "per_page": INT, "total": INT, "pages": INT}

RESPONSES = {
    "PeriodList": _object({"items": {"type": "array", "items": _ref("Period")}}),
    "Leaderboard": _object(
        {
            "period": STRING,
            "snapshot": _nullable("Snapshot"),
            "scope": _object({"type": _enum(ScopeType), "key": STRING}),
            **PAGING,
            "items": {"type": "array", "items": _ref("Standing")},
        }
    ),
    "UnitList": _object({**PAGING, "items": {"type": "array", "items": _ref("Unit")}}),
    "UnitHistory": _object(
        {"unit": _ref("Unit"), "items": {"type": "array", "items": _ref("HistoryPoint")}}
    ),
}


def _param(name: str, where: str, schema: dict, description: str, required=False) -> dict:
    return {
        "name": name,
        "in": where,
        "required": required or where == "path",
        "description": description,
        "schema": schema,
    }


PERIOD = _param("period", "path", STRING, "Period code, e.g. 2025-year.")
CODE = _param("code", "path", STRING, "Official unit code.")
PAGE = _param("page", "query", {"type": "integer", "minimum": 1, "default": 1}, "Page number.")
PER_PAGE = _param(
    "per_page",
    "query",
    {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 50},
    f"Rows per page, at most {MAX_PER_PAGE}.",
)
CACHE_HEADERS = {
    "ETag": {"schema": STRING, "description": "Changes only with a new snapshot."},
    "Last-Modified": {"schema": STRING, "description": "When the snapshot was computed."},
}


def _ok(schema: dict, description: str) -> dict:
    return {
        "description": description,
        "headers": CACHE_HEADERS,
        "content": {"application/json": {"schema": schema}},
    }


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


NOT_MODIFIED = {"description": "Not modified (If-None-Match / If-Modified-Since)."}


def _get(summary: str, op_id: str, params: list, ok: dict, *errors: int) -> dict:
    responses = {"200": ok, "304": NOT_MODIFIED}
    texts = {404: "Not found.", 422: "Invalid parameter."}
    for status in errors:
        responses[str(status)] = _error(texts[status])
    return {
        "get": {
            "summary": summary,
            "operationId": op_id,
            "parameters": params,
            "responses": responses,
        }
    }


def openapi_document() -> dict:
    """The whole document (a fresh dict each call)."""
    scope = _param("scope", "query", {**_enum(ScopeType), "default": "national"}, "Scope type.")
    key = _param(
        "key",
        "query",
        STRING,
        "Scope key: province unit code, cluster code or unit kind (not for national).",
    )
    query = _param("q", "query", STRING, "Name (diacritics optional) or code.", required=True)
    paths = {
        "/api/v1/periods": _get(
            "Public evaluation periods, newest first",
            "listPeriods",
            [],
            _ok(_ref("PeriodList"), "Periods."),
        ),
        "/api/v1/periods/{period}": _get(
            "One period with its groups, rules and scopes",
            "getPeriod",
            [PERIOD],
            _ok(_ref("PeriodDetail"), "The period."),
            404,
        ),
        "/api/v1/periods/{period}/leaderboard": _get(
            "A page of the period's leaderboard in one scope",
            "getLeaderboard",
            [PERIOD, scope, key, PAGE, PER_PAGE],
            _ok(_ref("Leaderboard"), "Standings in rank order."),
            404,
            422,
        ),
        "/api/v1/periods/{period}/leaderboard/{code}/explain": _get(
            "How one unit's rank in one leaderboard was built (exact figures)",
            "explainRank",
            [PERIOD, CODE, scope, key],
            _ok({"type": "object"}, "The breakdown; board members anonymised."),
            404,
            422,
        ),
        "/api/v1/units": _get(
            "Search units by name or code",
            "searchUnits",
            [query, PAGE, PER_PAGE],
            _ok(_ref("UnitList"), "Matching units."),
            422,
        ),
        "/api/v1/units/{code}": _get(
            "One unit", "getUnit", [CODE], _ok(_ref("Unit"), "The unit."), 404
        ),
        "/api/v1/units/{code}/standings": _get(
            "The unit's national and province rank in every period",
            "getUnitStandings",
            [CODE],
            _ok(_ref("UnitHistory"), "Rank history, oldest period first."),
            404,
        ),
        "/api/v1/openapi.json": _get(
            "This document",
            "getOpenApi",
            [],
            _ok({"type": "object"}, "The OpenAPI 3.1 document."),
        ),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Emulation leaderboards API",
            "version": "1.0.0",
            "description": (
                "Read-only public results of the grassroots police emulation movement. "
                "Points are exact decimal strings; timestamps are UTC (ISO 8601)."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": {**SCHEMAS, **RESPONSES}},
    }
