"""CSRF: every POST route refuses a request without a token, and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from emulation.extensions import db
from tests.accounts.helpers import build_world, sign_in
from tests.accounts.test_matrix import POST_ROUTES, url_for_rule
from tests.conftest import IsolatedClient


@pytest.fixture(scope="module")
def csrf_app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    app.test_client_class = IsolatedClient
    return app


def fingerprint() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


@pytest.mark.parametrize("endpoint", [e for e, _m in POST_ROUTES])
def test_post_without_token_is_rejected(app, make, csrf_app, endpoint):
    world = build_world(make)
    rule = next(r for r in csrf_app.url_map.iter_rules() if r.endpoint == endpoint)
    client = csrf_app.test_client()
    sign_in(csrf_app, client, world.users["national"])
    db.session.commit()
    before = fingerprint()
    response = client.post(url_for_rule(rule, world), data={"name": "x", "active": "0"})
    assert response.status_code == 400, endpoint
    db.session.expire_all()
    assert fingerprint() == before


def test_htmx_header_token_is_accepted(app, make, csrf_app):
    user = make.admin()
    client = csrf_app.test_client()
    sign_in(csrf_app, client, user)
    page = client.get("/auth/account")
    token = page.get_data(as_text=True).split('name="csrf-token" content="')[1].split('"')[0]
    response = client.post("/auth/logout", headers={"X-CSRFToken": token})
    assert response.status_code == 302
    assert client.get("/auth/account").status_code == 302  # signed out
