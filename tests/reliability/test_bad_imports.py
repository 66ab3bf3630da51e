"""Bad files, generated (issue 12, item 11): every import (units, criteria, users) answers
random bytes, broken encodings, unreadable cells, too many rows and zip bombs with a clear
Vietnamese error, and changes nothing (row counts and the audit head)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from emulation.accounts import importing
from emulation.campaigns import xlsx
from emulation.org.sheets import parse_kind
from tests import bombs
from tests.reliability.bad_input import FUZZ, state, vietnamese_error

NOISE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
BOMB = bombs.xlsx([["code"]], padding_mb=60)


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


garbage = st.one_of(
    st.binary(max_size=3000),
    NOISE.map(lambda t: ("Xã " + t).encode("utf-16")),  # not UTF-8
    NOISE.map(lambda t: ("Phường " + t).encode("cp1258", errors="replace")),
    st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),  # looks like a zip, is not
)


@pytest.fixture
def admin(make, login_as):
    province = make.province("Tỉnh Xanh", code="PX")
    make.unit("Phường Cửa Nam", parent=province, code="X1")
    user = make.admin()
    login_as(user)
    return user


def _post(client, url, data, filename, **fields):
    response = client.post(
        url,
        data={"file": (io.BytesIO(data), filename), **fields},
        content_type="multipart/form-data",
    )
    if response.status_code == 302 and "/preview" in response.headers["Location"]:
        response = client.get(response.headers["Location"])  # the unit import's preview
    return response


def _refused(response) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code in (404, 409, 422), (response.status_code, html[:500])
    assert vietnamese_error(html), html[-3000:]


bad_unit_rows = st.lists(
    st.tuples(NOISE, NOISE, NOISE.filter(lambda k: parse_kind(k) is None), NOISE),
    min_size=1,
    max_size=5,
)


@FUZZ
@given(
    data=st.one_of(
        garbage, bad_unit_rows.map(lambda r: _csv([["code", "name", "kind", "parent_code"], *r]))
    ),
    ext=st.sampled_from(["csv", "xlsx"]),
)
@example(data=BOMB, ext="xlsx")
@example(data=bombs.many_rows(["code", "name", "kind", "parent_code"], 0, width=120), ext="xlsx")
def test_unit_import_refuses_bad_files_and_changes_nothing(client, admin, app, tmp_path, data, ext):
    app.config["UNIT_IMPORT_DIR"] = str(tmp_path / "imports")
    before = state()
    _refused(_post(client, "/admin/units/import", data, f"units.{ext}", scope="BCA"))
    assert state() == before


def _criteria_book(cell: str, column: str) -> bytes:
    row = dict.fromkeys(xlsx.COLUMNS, "") | {"code": "A", "kind": "direct", "title_vi": "Tiêu chí"}
    row[column] = cell
    return bombs.xlsx([list(xlsx.COLUMNS), [row[c] for c in xlsx.COLUMNS]])


@FUZZ
@given(
    data=st.one_of(
        garbage,
        st.tuples(
            st.text(st.characters(categories=("L", "P", "Zs")), min_size=1, max_size=30).filter(
                lambda t: (
                    t.strip()
                    and not t.strip().lstrip("-").replace(",", "").replace(".", "").isdigit()
                )
            ),
            st.sampled_from(["max_points", "min_points", "target", "weight_percent", "kind"]),
        ).map(lambda pair: _criteria_book(*pair)),
    )
)
@example(data=BOMB)
@example(data=bombs.many_rows(list(xlsx.COLUMNS), xlsx.LIMITS.max_rows + 1))
def test_criteria_import_refuses_bad_files_and_changes_nothing(client, admin, make, data):
    period = make.period()
    before = state()
    _refused(_post(client, f"/admin/periods/{period.id}/criteria/import", data, "criteria.xlsx"))
    assert state() == before


bad_user_rows = st.lists(
    st.tuples(NOISE, NOISE, NOISE, NOISE.map(lambda r: "superuser" + r), NOISE),
    min_size=1,
    max_size=5,
)


@FUZZ
@given(
    data=st.one_of(
        garbage,
        bad_user_rows.map(
            lambda rows: _csv(
                [["username", "full_name", "email", "role", "scope_unit_code"], *rows]
            )
        ),
    ),
    ext=st.sampled_from(["csv", "xlsx"]),
)
@example(data=BOMB, ext="xlsx")
@example(data=bombs.many_rows(list(importing.COLUMNS), importing.MAX_ROWS + 1), ext="xlsx")
def test_user_import_refuses_bad_files_and_changes_nothing(client, admin, data, ext):
    before = state()
    _refused(_post(client, "/admin/users/import", data, f"users.{ext}"))
    assert state() == before
