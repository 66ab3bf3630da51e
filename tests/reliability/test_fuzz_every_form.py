"""Bad input, generated, for every form of the app (issue 12, item 11).

Each entry of `form_table.ENTRIES` is posted as its signed-in role with one field replaced by
a generated bad value (wrong type, out of bounds, huge numbers, NaN/inf, over-long or blank
text, control characters, broken UTF-8, a missing field, a missing or stale version, a wrong
file). The answer must not be a 5xx, must show an error in Vietnamese (the default language)
without any English WTForms default, and must change nothing: the row count of every table
and the audit head are what they were. The meta-test fails when a FlaskForm subclass of
`emulation/` is in no entry, so a new form cannot be forgotten."""

from __future__ import annotations

import importlib
import pkgutil
from urllib.parse import quote_from_bytes, urlencode

import pytest
from flask_wtf import FlaskForm
from hypothesis import given, settings
from hypothesis import strategies as st

import emulation
from tests.assessments.helpers import EXE, PDF
from tests.reliability.bad_input import FUZZ, state, vietnamese_error
from tests.reliability.form_fuzz import MISSING, Entry
from tests.reliability.form_table import ENTRIES, FIELDLESS, IMPORTS

# WTForms' and Werkzeug's English texts that must never reach a Vietnamese page.
ENGLISH = (
    "This field is required",
    "Not a valid",
    "Invalid input",
    "Invalid Choice",
    "Field must be",
    "Field cannot be longer",
    "Number must be",
    "Invalid email address",
    "The CSRF token",
    "Bad Request",
    "Internal Server Error",
)


def _encode(data: dict) -> bytes:
    """A form body; bytes values go as they are (broken UTF-8 stays broken)."""
    parts = []
    for key, value in data.items():
        if isinstance(value, bytes):
            parts.append(f"{quote_from_bytes(key.encode())}={quote_from_bytes(value)}")
        else:
            parts.append(urlencode({key: value}))
    return "&".join(parts).encode()


FILES = {
    "empty": ("bien-ban.pdf", b""),
    "exe": ("bien-ban.pdf", EXE),
    "fake-pdf": ("bien-ban.pdf", b"%PDF" + b"\x00" * 10),
    "html": ("trang.html", b"<script>alert(1)</script>"),
    "svg": ("anh.svg", b"<svg onload=alert(1)></svg>"),
    "none": ("", PDF),
    "bad-name": ("../../\x00.pdf", b"MZ" + b"\x00" * 64),
}


def _send(client, entry: Entry, ctx: dict, field: str, value):
    url = entry.url(ctx)
    data = dict(entry.base(ctx))
    if value is MISSING:
        data.pop(field, None)
    else:
        data[field] = value
    if entry.method == "GET":
        body = _encode({k: v for k, v in data.items() if v is not MISSING})
        return client.get(f"{url}?{body.decode()}")
    if entry.extra.get("files"):
        import io

        name, content = FILES[value]
        return client.post(
            url, data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data"
        )
    return client.post(url, data=_encode(data), content_type="application/x-www-form-urlencoded")


def _page(client, response) -> str:
    if response.status_code in (301, 302, 303):
        follow = client.get(response.headers["Location"])
        assert follow.status_code < 500, follow.status_code
        return follow.get_data(as_text=True)
    return response.get_data(as_text=True)


def _ids(ctx: dict) -> dict:
    world = ctx.get("world")
    return {"direct": world.direct.id} if world is not None else {}


@pytest.fixture
def built() -> dict:
    return {}


def _world(client, make, db_session, login_as, entry: Entry, built: dict) -> dict:
    ctx = built["ctx"] = entry.setup(make, db_session)  # kept even if signing in fails
    db_session.commit()
    if entry.signed_in:
        login_as(ctx["user"])
    if prelude := entry.extra.get("prelude"):
        prelude(client, ctx)
    return ctx


def _counted(snapshot, entry: Entry):
    """The state minus the tables a refusal may write by design (audited failures)."""
    from emulation.extensions import db

    counts, head = snapshot
    if not entry.may_change:
        return snapshot
    keep = [i for i, t in enumerate(db.metadata.sorted_tables) if t.name not in entry.may_change]
    return tuple(counts[i] for i in keep), (None if "audit_head" in entry.may_change else head)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
@settings(FUZZ, max_examples=8)  # 43 forms: the module stays well under a minute
@given(data=st.data())
def test_bad_input_is_refused_in_vietnamese_and_changes_nothing(
    client, make, db_session, login_as, built, entry, data
):
    if "ctx" not in built:  # once per test: the examples share the world they cannot change
        _world(client, make, db_session, login_as, entry, built)
    ctx = built["ctx"]
    field = data.draw(st.sampled_from(sorted(entry.bad)), label="field")
    value = data.draw(entry.bad[field], label="value")
    field = field.format(**_ids(ctx))
    before = _counted(state(), entry)
    response = _send(client, entry, ctx, field, value)
    assert response.status_code < 500, (response.status_code, response.get_data(as_text=True))
    # The form was reached: a refusal of the page itself would test nothing.
    refused_page = {401, 403, 404, 405} - set(entry.extra.get("allow", ()))
    assert response.status_code not in refused_page, (entry.url(ctx), response.status_code)
    html = _page(client, response)
    if entry.method == "POST":
        assert vietnamese_error(html), html[-4000:]
    leaked = [text for text in ENGLISH if text in html]
    assert not leaked, (leaked, html[-4000:])
    assert _counted(state(), entry) == before


# --- every form is in the table --------------------------------------------------------------
def _form_classes() -> set[str]:
    for module in pkgutil.walk_packages(emulation.__path__, "emulation."):
        importlib.import_module(module.name)
    found, todo = set(), list(FlaskForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("emulation."):
            found.add(f"{cls.__module__}.{cls.__qualname__}")
    return found


def test_every_form_of_the_app_is_in_the_table():
    covered = {name for entry in ENTRIES for name in entry.forms} | FIELDLESS | IMPORTS
    missing = _form_classes() - covered
    assert not missing, f"add these forms to tests/reliability/form_table.py: {sorted(missing)}"
    assert len(_form_classes()) >= 40  # the walk found the app's forms
