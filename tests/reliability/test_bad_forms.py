"""Bad form input, generated (issue 12, item 11): wrong types, out-of-range and huge numbers,
over-long and blank text, broken dates and control characters in the criterion, period, unit
and user forms each get a clear Vietnamese error and change nothing (row counts, audit head)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.reliability.bad_input import FUZZ, state, vietnamese_error

not_a_number = st.text(
    st.characters(categories=("L", "P", "S", "Zs", "Cc")), min_size=1, max_size=40
).filter(lambda t: t.strip() and not any(ch.isdigit() for ch in t))
huge = st.integers(min_value=10**12, max_value=10**40).map(str)
too_long = st.integers(min_value=501, max_value=5000).map(lambda n: "Đ" * n)
blank = st.sampled_from(["", " ", "\t", "\u00a0"])
bad_date = st.one_of(
    st.sampled_from(
        ["31/02/2026", "00/01/2026", "2026-01-01", "1/13/2026", "99/99/9999", "01/01/0000"]
    ),
    not_a_number,
)


@pytest.fixture
def admin(make, login_as):
    user = make.admin()
    login_as(user)
    return user


def _refused(client, url, data) -> None:
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    if response.status_code in (302, 303):  # a one-button form flashes, then redirects
        html = client.get(response.headers["Location"]).get_data(as_text=True)
    else:
        assert response.status_code in (409, 422), (response.status_code, html[:500])
    assert vietnamese_error(html), html[-3000:]


CRITERION = {
    "code": "Z9",
    "parent": "",
    "kind": "direct",
    "title_vi": "Tiêu chí thử",
    "title_en": "",
    "max_points": "10",
    "weight_percent": "100",
}


@FUZZ
@given(
    bad=st.one_of(
        st.tuples(st.just("max_points"), st.one_of(not_a_number, huge, st.just("12,345"))),
        st.tuples(
            st.just("weight_percent"),
            st.one_of(not_a_number, huge, st.integers(-(10**6), 0).map(str)),
        ),
        st.tuples(st.just("target_share_percent"), st.integers(101, 10**9).map(str)),
        st.tuples(st.just("title_vi"), st.one_of(too_long, blank)),
        st.tuples(
            st.just("code"), st.one_of(blank, st.just("A B"), st.just("<svg>"), st.just("X" * 21))
        ),
        st.tuples(st.just("kind"), not_a_number),
    )
)
@example(bad=("max_points", "9" * 400))
def test_criterion_form(client, admin, make, bad):
    period = make.period()
    before = state()
    _refused(client, f"/admin/periods/{period.id}/criteria/new", CRITERION | {bad[0]: bad[1]})
    assert state() == before


@FUZZ
@given(field=st.sampled_from(["starts_on", "ends_on"]), value=st.one_of(bad_date, blank))
def test_period_form_dates(client, admin, make, field, value):
    period = make.period()
    data = {
        "code": period.code,
        "name_vi": period.name_vi,
        "name_en": period.name_en,
        "kind": period.kind.value if hasattr(period.kind, "value") else str(period.kind),
        "starts_on": "01/01/2026",
        "ends_on": "31/12/2026",
        "version": str(period.version),
        field: value,
    }
    before = state()
    _refused(client, f"/admin/periods/{period.id}/edit", data)
    assert state() == before


@FUZZ
@given(name=st.one_of(blank, st.integers(201, 3000).map(lambda n: "Phường " + "ư" * n)))
def test_unit_rename(client, admin, make, name):
    unit = make.unit("Phường Cửa Nam")
    before = state()
    _refused(client, f"/admin/units/{unit.id}/rename", {"name": name})
    assert state() == before


@FUZZ
@given(
    bad=st.one_of(
        st.tuples(
            st.just("username"),
            st.one_of(blank, st.just("ab"), st.just("x" * 81), st.just("<svg onload=alert(3)>")),
        ),
        st.tuples(st.just("full_name"), st.one_of(blank, st.just("Đ" * 201))),
        st.tuples(st.just("unit_code"), st.one_of(blank, st.just("NOPE"), st.just("9" * 21))),
        st.tuples(st.just("role"), not_a_number),
    )
)
def test_new_user_form(client, admin, make, bad):
    unit = make.unit()
    data = {
        "username": "nguoi.moi",
        "full_name": "Người Mới",
        "unit_code": unit.code,
        "role": "viewer",
    }
    before = state()
    _refused(client, "/admin/users/new", data | {bad[0]: bad[1]})
    assert state() == before
