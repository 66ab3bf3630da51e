"""An edit form posted without its `version` is refused, never saved unchecked: without the
version nobody can tell whether the editor saw the latest change."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from emulation.campaigns.models import Criterion, PeriodStatus
from tests.campaigns.helpers import speak_english, valid_set
from tests.campaigns.test_views import criterion_form


def _national(client, make, login_as):
    login_as(make.admin())
    speak_english(client)


def test_criterion_edit_without_version_is_refused(client, make, login_as, db_session):
    period = make.period()
    valid_set(make, period)
    _national(client, make, login_as)
    leaf = db_session.scalar(select(Criterion).where(Criterion.code == "1.1"))
    for version in (None, "", "abc"):
        data = criterion_form(code="1.1", parent=str(leaf.parent_id), max_points="1")
        if version is not None:
            data["version"] = version
        response = client.post(url_for("campaigns.edit_criterion", criterion_id=leaf.id), data=data)
        assert response.status_code == 409, version
        assert "Reload the page" in response.get_data(as_text=True)
    db_session.expire_all()
    assert leaf.max_points == 6000


def test_period_transition_without_version_is_refused(client, make, login_as, db_session):
    period = make.period()
    valid_set(make, period)
    _national(client, make, login_as)
    response = client.post(
        url_for("campaigns.transition", period_id=period.id), data={"to": "open"}
    )
    assert response.status_code in (302, 409)
    db_session.expire_all()
    assert period.status is PeriodStatus.DRAFT
