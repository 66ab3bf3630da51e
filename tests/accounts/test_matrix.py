"""The authorization matrix: every registered route x every kind of user, against a table.

The expected answer of each (endpoint, method) for each user of the fixture world is stated
here, by hand, from the access rules of DESIGN.md — never computed by `authz` — so a wrong
subtree check fails this test. Everything the URLs name lives in province A; `admin_b`
administers province B; `national` administers the ministry. A new route fails
`test_the_table_covers_every_route` until it has a row here.

Answers: OK (reached: not 401/403/404, not sent to sign in, no 5xx), LOGIN (sent to sign
in), FORBIDDEN (403) and HIDDEN (404: the object exists but the user may not see it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from emulation.access import AccessRule
from tests.accounts.helpers import ROLE_NAMES, sign_in
from tests.worlds import AccessWorld

OK, LOGIN, FORBIDDEN, HIDDEN = "ok", "login", "403", "404"


def _row(anonymous, head_a, head_b, member_in, member_out, admin_b, national) -> dict:
    return dict(
        zip(
            ROLE_NAMES,
            (anonymous, head_a, head_b, member_in, member_out, admin_b, national),
            strict=True,
        )
    )


# Who gets what, by kind of page (the columns follow ROLE_NAMES).
PUBLIC = _row(OK, OK, OK, OK, OK, OK, OK)
SIGNED_IN = _row(LOGIN, OK, OK, OK, OK, OK, OK)
# Admin pages naming no unit's object (lists filtered to the admin's scope, forms to create
# in one's scope) and read-only views of national objects (campaigns, periods, criteria).
ANY_ADMIN = _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
# Changing national objects: national administrators only; a provincial admin sees but
# may not change (403).
NATIONAL_ADMIN = _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
# Objects of province A (units, clusters, boards, accounts): province B's admin must not
# even learn they exist (404).
ADMIN_OF_A = _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN, OK)

# The second sign-in step without a pending first step: back to the sign-in page.
SECOND_STEP = _row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)

G, P = "GET", "POST"
EXPECTED: dict[tuple[str, str], dict] = {
    ("accounts.account", G): SIGNED_IN,
    ("accounts.change_password", G): SIGNED_IN,
    ("accounts.change_password", P): SIGNED_IN,
    ("accounts.end_sessions", P): ADMIN_OF_A,
    ("accounts.grant", P): ADMIN_OF_A,
    ("accounts.import_template", G): ANY_ADMIN,
    ("accounts.import_users", G): ANY_ADMIN,
    ("accounts.import_users", P): ANY_ADMIN,
    ("accounts.login", G): PUBLIC,
    ("accounts.login", P): PUBLIC,
    ("accounts.logout", P): SIGNED_IN,
    ("accounts.new_user", G): ANY_ADMIN,
    ("accounts.new_user", P): ANY_ADMIN,
    ("accounts.policies", G): ANY_ADMIN,
    ("accounts.policies", P): NATIONAL_ADMIN,
    ("accounts.reset_password", P): ADMIN_OF_A,
    ("accounts.reset_totp", P): ADMIN_OF_A,
    ("accounts.revoke", P): ADMIN_OF_A,
    ("accounts.set_active", P): ADMIN_OF_A,
    ("accounts.totp_setup", G): SIGNED_IN,
    ("accounts.totp_setup", P): SIGNED_IN,
    ("accounts.two_factor", G): SECOND_STEP,
    ("accounts.two_factor", P): SECOND_STEP,
    ("accounts.user", G): ADMIN_OF_A,
    ("accounts.users", G): ANY_ADMIN,
    ("admin.dashboard", G): ANY_ADMIN,
    ("api.leaderboard", G): PUBLIC,
    ("api.openapi", G): PUBLIC,
    ("api.period", G): PUBLIC,
    ("api.periods", G): PUBLIC,
    ("api.unit", G): PUBLIC,
    ("api.unit_standings", G): PUBLIC,
    ("api.units", G): PUBLIC,
    ("campaigns.copy_criteria", G): NATIONAL_ADMIN,
    ("campaigns.copy_criteria", P): NATIONAL_ADMIN,
    ("campaigns.criteria", G): ANY_ADMIN,
    ("campaigns.delete_criterion", P): NATIONAL_ADMIN,
    ("campaigns.edit_campaign", G): NATIONAL_ADMIN,
    ("campaigns.edit_campaign", P): NATIONAL_ADMIN,
    ("campaigns.edit_criterion", G): NATIONAL_ADMIN,
    ("campaigns.edit_criterion", P): NATIONAL_ADMIN,
    ("campaigns.edit_period", G): NATIONAL_ADMIN,
    ("campaigns.edit_period", P): NATIONAL_ADMIN,
    ("campaigns.export_criteria", G): ANY_ADMIN,
    ("campaigns.extend_window", G): NATIONAL_ADMIN,
    ("campaigns.extend_window", P): NATIONAL_ADMIN,
    ("campaigns.import_criteria", G): NATIONAL_ADMIN,
    ("campaigns.import_criteria", P): NATIONAL_ADMIN,
    ("campaigns.index", G): ANY_ADMIN,
    ("campaigns.move_criterion", P): NATIONAL_ADMIN,
    ("campaigns.new_campaign", G): NATIONAL_ADMIN,
    ("campaigns.new_campaign", P): NATIONAL_ADMIN,
    ("campaigns.new_criterion", G): NATIONAL_ADMIN,
    ("campaigns.new_criterion", P): NATIONAL_ADMIN,
    ("campaigns.new_period", G): NATIONAL_ADMIN,
    ("campaigns.new_period", P): NATIONAL_ADMIN,
    ("campaigns.period", G): ANY_ADMIN,
    ("campaigns.preview", G): ANY_ADMIN,
    ("campaigns.rules", G): ANY_ADMIN,
    ("campaigns.rules", P): NATIONAL_ADMIN,
    ("campaigns.transition", P): NATIONAL_ADMIN,
    ("org.apply_import", P): ANY_ADMIN,
    ("org.cluster", G): ADMIN_OF_A,
    ("org.clusters", G): ANY_ADMIN,
    ("org.create_cluster", P): ANY_ADMIN,
    ("org.create_unit", P): ADMIN_OF_A,
    ("org.delete_cluster", P): ADMIN_OF_A,
    ("org.import_preview", G): ANY_ADMIN,
    ("org.import_units", G): ANY_ADMIN,
    ("org.import_units", P): ANY_ADMIN,
    ("org.merge_units", G): ANY_ADMIN,
    ("org.merge_units", P): ANY_ADMIN,
    ("org.move_unit", P): ADMIN_OF_A,
    ("org.rename_unit", P): ADMIN_OF_A,
    ("org.retire_unit", P): ADMIN_OF_A,
    ("org.set_members", P): ADMIN_OF_A,
    ("org.unit", G): ADMIN_OF_A,
    ("org.unit_children", G): ADMIN_OF_A,
    ("org.units", G): ANY_ADMIN,
    ("org.update_cluster", P): ADMIN_OF_A,
    ("public.export", G): PUBLIC,
    ("public.healthz", G): PUBLIC,
    ("public.home", G): PUBLIC,
    ("public.leaderboard", G): PUBLIC,
    ("public.leaderboards", G): PUBLIC,
    ("public.print_results", G): PUBLIC,
    ("public.rules", G): PUBLIC,
    ("public.unit", G): PUBLIC,
    ("scoring.add_member", P): ADMIN_OF_A,
    ("scoring.assign", P): ADMIN_OF_A,
    ("scoring.board", G): ADMIN_OF_A,
    ("scoring.boards", G): ANY_ADMIN,
    ("scoring.create_board", P): ANY_ADMIN,
    ("scoring.override", P): ADMIN_OF_A,
    ("scoring.remove_member", P): ADMIN_OF_A,
    ("scoring.set_chair", P): ADMIN_OF_A,
}
METHODS = (G, P)
POST_ROUTES = sorted(route for route in EXPECTED if route[1] == P)


def _routes(app: Flask) -> Iterator[tuple[str, str]]:
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in METHODS:
            if method in rule.methods:
                yield rule.endpoint, method


def test_every_endpoint_declares_an_access_rule(app):
    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not isinstance(getattr(view, "access_rule", None), AccessRule)
    ]
    assert missing == [], f"views without @access.public/signed_in/roles: {missing}"


def test_the_table_covers_every_route(app):
    routes = set(_routes(app))
    assert sorted(routes - set(EXPECTED)) == [], "routes without a row in EXPECTED"
    assert sorted(set(EXPECTED) - routes) == [], "rows for routes that do not exist"


def url_for_rule(rule, world: AccessWorld) -> str:
    unknown = sorted(set(rule.arguments) - set(world.values))
    if unknown:
        pytest.fail(
            f"{rule.endpoint} uses URL parameter(s) {unknown} unknown to the authorization "
            "matrix: use a name from the brief or add it to tests/accounts/helpers.py"
        )
    return rule.build({name: world.values[name] for name in rule.arguments})[1]


def check(expect: str, response, after_success: bool) -> bool:
    status = response.status_code
    to_login = status in (301, 302, 303) and "/auth/login" in response.headers.get("Location", "")
    if status >= 500:
        return False
    if expect == LOGIN:
        return to_login
    if expect in (FORBIDDEN, HIDDEN):
        return status == int(expect)
    reached = status not in (401, 403, 404) and not to_login
    # A POST by an earlier user may already have deleted or moved the object.
    return reached or (after_success and status == 404)


def _walk(app, make, routes) -> list[str]:
    world = make.access_world()
    problems: list[str] = []
    for endpoint, method in routes:
        rule = next(
            r for r in app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods
        )
        url = url_for_rule(rule, world)
        # Users expected to be refused go first: they must not change anything.
        plan = sorted(EXPECTED[endpoint, method].items(), key=lambda item: item[1] == OK)
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
            if not check(expect, response, succeeded and method == P):
                problems.append(
                    f"{method} {url} ({endpoint}) as {name}: expected {expect}, "
                    f"got {response.status_code} {response.headers.get('Location', '')}"
                )
            succeeded = succeeded or (expect == OK and response.status_code < 400)
    return problems


def test_matrix_every_get_route(app, client, make):
    """All GET routes x all users against one fixture world (GET changes nothing)."""
    problems = _walk(app, make, sorted(r for r in EXPECTED if r[1] == G))
    assert problems == [], "\n".join(problems)


def test_matrix_every_post_route(app, client, make):
    """Each POST route x all users, each route on a fresh world (a POST may change it)."""
    problems: list[str] = []
    for route in POST_ROUTES:
        problems += _walk(app, make, [route])
    assert problems == [], "\n".join(problems)


def test_matrix_knows_every_url_parameter(app, make):
    world = make.access_world()
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            url_for_rule(rule, world)
