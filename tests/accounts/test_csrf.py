"""CSRF: every POST route refuses a request without a token, and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from emulation.extensions import db
from tests.accounts.helpers import dispose, sign_in
from tests.accounts.test_matrix import POST_ROUTES, url_for_rule
from tests.conftest import IsolatedClient


@pytest.fixture(scope="module")
def csrf_app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    app.test_client_class = IsolatedClient
    yield app
    dispose(app)


def fingerprint() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_every_post_without_token_is_rejected_and_changes_nothing(app, make, csrf_app):
    world = make.access_world()
    client = csrf_app.test_client()
    db.session.commit()
    before = fingerprint()
    wrong = []
    for endpoint, _method in POST_ROUTES:
        rule = next(r for r in csrf_app.url_map.iter_rules() if r.endpoint == endpoint)
        sign_in(csrf_app, client, world.users["national"])
        response = client.post(url_for_rule(rule, world), data={"name": "x", "active": "0"})
        if response.status_code != 400:
            wrong.append(f"{endpoint}: {response.status_code}")
    assert POST_ROUTES and wrong == []
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
