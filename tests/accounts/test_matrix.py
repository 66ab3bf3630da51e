"""The authorization matrix: every registered route x every kind of user.

Generic on purpose: routes are read from `app.url_map`, the expected answer is derived from
the view's `access_rule` and, for URLs naming objects, from the object's unit (everything in
the fixture world lives in province A). A new route needs no edit here unless it uses a URL
parameter name this file does not know, and then the test says which one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from emulation.access import AccessRule
from emulation.accounts import authz
from emulation.org.models import Unit
from tests.accounts.helpers import ROLE_NAMES, World, build_world, sign_in

METHODS = ("GET", "POST")


def _routes(app: Flask) -> Iterator[tuple[str, str, object]]:
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in METHODS:
            if method in rule.methods:
                yield rule.endpoint, method, rule


def _all_routes() -> list[tuple[str, str]]:
    from config import TestingConfig
    from emulation import create_app

    app = create_app(TestingConfig)
    return sorted({(endpoint, method) for endpoint, method, _rule in _routes(app)})


ROUTES = _all_routes()
POST_ROUTES = [r for r in ROUTES if r[1] == "POST"]


def test_every_endpoint_declares_an_access_rule(app):
    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not isinstance(getattr(view, "access_rule", None), AccessRule)
    ]
    assert missing == [], f"views without @access.public/signed_in/roles: {missing}"


def url_for_rule(rule, world: World) -> str:
    unknown = sorted(set(rule.arguments) - set(world.values))
    if unknown:
        pytest.fail(
            f"{rule.endpoint} uses URL parameter(s) {unknown} unknown to the authorization "
            "matrix: use a name from the brief or add it to tests/accounts/helpers.py"
        )
    return rule.build({name: world.values[name] for name in rule.arguments})[1]


def scope_unit(rule, world: World) -> Unit | None:
    """The most specific unit among the objects the URL names (None: only national ones)."""
    units = [authz.unit_of(world.objects[name]) for name in rule.arguments if name in world.objects]
    for name in rule.arguments:
        obj = world.objects.get(name)
        if obj is not None and hasattr(obj, "scope_units"):  # a user account: its home unit
            units.append(obj.home_unit)
    units = [u for u in units if u is not None]
    return max(units, key=lambda u: u.depth) if units else None


def expectation(rule_: AccessRule, user, unit: Unit | None) -> str:
    if rule_.kind == "public":
        return "not_denied"
    if user is None:
        return "login"
    roles = rule_.roles if rule_.kind == "roles" else None
    if roles is not None and not authz.has_role(user, roles):
        return "forbidden"
    wanted = roles if roles is not None else list(authz.ACTION_ROLES["view"])
    if unit is not None:
        return "allowed" if authz.has_role(user, wanted, unit) else "hidden"
    if roles is None or authz.is_national(user, roles):
        return "allowed"
    return "allowed_or_forbidden"  # national objects: scoped role holders may be read-only


def check(expect: str, response, after_success: bool) -> bool:
    status = response.status_code
    location = response.headers.get("Location", "")
    to_login = status in (301, 302, 303) and "/auth/login" in location
    if status >= 500:
        return False
    if expect == "not_denied":
        return status not in (401, 403)
    if expect == "login":
        return to_login
    if expect == "forbidden":
        return status == 403
    if expect == "hidden":
        return status == 404
    allowed = status not in (401, 403, 404) and not to_login
    if expect == "allowed_or_forbidden":
        return allowed or status == 403
    # A POST by an earlier role may already have deleted or moved the object.
    return allowed or (after_success and status == 404)


def _walk(app, make, routes, world: World | None = None) -> list[str]:
    world = world or build_world(make)
    problems: list[str] = []
    for endpoint, method in routes:
        rule = next(
            r for r in app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods
        )
        url = url_for_rule(rule, world)
        unit = scope_unit(rule, world)
        access_rule = app.view_functions[endpoint].access_rule
        plan = [(name, expectation(access_rule, world.users[name], unit)) for name in ROLE_NAMES]
        # Roles expected to be refused go first: they must not change anything.
        plan.sort(key=lambda item: item[1] == "allowed")
        succeeded = False
        for name, expect in plan:
            client = app.test_client()
            if world.users[name] is not None:
                sign_in(app, client, world.users[name])
            try:
                response = client.open(url, method=method, data={})
            except Exception as exc:  # report every broken route, not just the first
                problems.append(f"{method} {url} ({endpoint}) as {name}: raised {exc!r:.200}")
                continue
            if not check(expect, response, succeeded):
                problems.append(
                    f"{method} {url} ({endpoint}) as {name}: expected {expect}, "
                    f"got {response.status_code} {response.headers.get('Location', '')}"
                )
            succeeded = succeeded or (expect == "allowed" and response.status_code < 400)
            response.close()  # a streamed file (evidence) is closed like a server would
    return problems


def test_matrix_every_get_route(app, client, make):
    """All GET routes x all roles against one fixture world (GET changes nothing)."""
    problems = _walk(app, make, [r for r in ROUTES if r[1] == "GET"])
    assert problems == [], "\n".join(problems)


def test_matrix_every_post_route(app, client, make):
    """Each POST route x all roles, each route on a fresh world (a POST may change it)."""
    problems: list[str] = []
    for route in POST_ROUTES:
        problems += _walk(app, make, [route])
    assert problems == [], "\n".join(problems)


def test_matrix_knows_every_url_parameter(app, make):
    world = build_world(make)
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            url_for_rule(rule, world)
