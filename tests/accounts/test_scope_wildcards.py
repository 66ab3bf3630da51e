"""Unit codes may contain `_` and `%`: in a scope filter they match only themselves.

Regression: the user list once filtered with an unescaped LIKE prefix, so an admin scoped to
`P_1` also saw the accounts of `PX1` (and one scoped to `P%` those of every `P…` province)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.extensions import db
from emulation.org.models import Unit, UnitKind
from tests.accounts.helpers import sign_in


@pytest.mark.parametrize(
    ("scope_code", "other_code"),
    [("P_1", "PX1"), ("P%", "PQ7")],
)
def test_user_list_of_an_admin_scoped_to_a_wildcard_code(app, client, make, scope_code, other_code):
    mine = make.province(code=scope_code)
    other = make.province(code=other_code)
    sign_in(app, client, make.admin(scope=mine))
    own = make.user(home_unit=make.unit(parent=mine), username="own.clerk")
    foreign = make.user(home_unit=make.unit(parent=other), username="foreign.clerk")
    granted = make.viewer(scope=make.unit(parent=other), username="foreign.viewer")

    listing = client.get("/admin/users/").get_data(as_text=True)

    assert own.username in listing
    assert foreign.username not in listing
    assert granted.username not in listing


def test_scope_filter_escapes_like_wildcards(app, make):
    ministry = make.ministry()
    underscore = make.province(code="A_1")
    percent = make.province(code="B%")
    lookalikes = [make.province(code="AX1"), make.province(code="BZZ"), make.province(code="A_10")]
    inside = make.unit(parent=underscore, code="A_1-01", kind=UnitKind.WARD)
    admin = make.user(roles=[(Role.ADMIN, underscore), (Role.ADMIN, percent)])

    seen = db.session.scalars(
        select(Unit.code).where(authz.scope_filter(admin, [Role.ADMIN])).order_by(Unit.code)
    ).all()

    assert seen == ["A_1", "A_1-01", "B%"]
    assert ministry.code not in seen and not {u.code for u in lookalikes} & set(seen)
    assert inside.code in seen
