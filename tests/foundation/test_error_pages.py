"""Failures that escape a view still get a clear answer: a stale optimistic-lock write found
at any flush is the 409 conflict (never a 500); a lost database connection is a 503."""

from __future__ import annotations

from sqlalchemy import update

from emulation import access
from emulation.campaigns.models import Campaign
from emulation.extensions import db
from tests.accounts.helpers import dispose
from tests.conftest import IsolatedClient


def _app_with_route(make_app, view, **config):
    """A fresh app with one extra route (routes can only be added before the first request)."""
    app = make_app(**config)
    app.add_url_rule("/_test/fault", "test_fault", access.public(view), methods=["GET", "POST"])
    app.test_client_class = IsolatedClient
    return app


def test_stale_write_found_by_a_flush_outside_commit_is_a_409(app, make_app, make):
    campaign = make.campaign()
    campaign_id = campaign.id

    def rename_after_someone_else_did():
        mine = db.session.get(Campaign, campaign_id)
        with db.engine.begin() as other:  # another request saves first
            other.execute(
                update(Campaign)
                .where(Campaign.id == campaign_id)
                .values(name_en="Theirs", version=Campaign.version + 1)
            )
        mine.name_en = "Mine"
        db.session.flush()  # StaleDataError here, not in web.commit()
        return "saved"

    other = _app_with_route(make_app, rename_after_someone_else_did)
    try:
        response = other.test_client().post("/_test/fault?lang=en")
        assert response.status_code == 409
        assert "Someone else changed this" in response.get_data(as_text=True)
        json = other.test_client().post("/_test/fault", headers={"Accept": "application/json"})
        assert json.status_code == 409 and json.get_json()["status"] == 409
    finally:
        dispose(other)
    db.session.expire_all()
    assert db.session.get(Campaign, campaign_id).name_en == "Theirs"
