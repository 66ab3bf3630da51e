"""The harness of the generated bad-input tests: strategies of bad values, the table's entry
and the worlds entries start from. The table itself is in form_table.py (+ form_table_admin.py).

An entry names the form classes it covers, who posts it (`setup` makes the world and returns
the signed-in user and the ids the URL needs), the URL, a valid-looking base submission and,
per field, a strategy of values that must be refused. `test_fuzz_every_form.py` runs every
entry; its meta-test fails when a FlaskForm subclass of `emulation/` is in no entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from hypothesis import strategies as st

from emulation.accounts.models import Role
from emulation.campaigns.models import CriterionKind, PeriodStatus
from emulation.db import utcnow

MISSING = object()  # the field is left out of the submission

# --- values that must be refused ------------------------------------------------------------
blank = st.sampled_from(["", " ", "\t", "\u00a0", MISSING])
control = st.sampled_from(["\x00", "Tên\x00lỗi", "\x07", "\x1b[31m", "a\x0bb", "\x7f"])
broken_utf8 = st.sampled_from([b"\xff\xfe", b"T\xc3n", b"\xed\xa0\x80", b"\xc0\xaf"])
nan_inf = st.sampled_from(["NaN", "nan", "inf", "-inf", "Infinity", "1e400", "-1e400", "1e5"])
not_a_number = st.one_of(
    nan_inf,
    st.text(st.characters(categories=("L", "P", "S", "Zs")), min_size=1, max_size=30).filter(
        lambda t: t.strip() and not any(ch.isdigit() for ch in t)
    ),
)
huge = st.one_of(
    st.integers(min_value=10**12, max_value=10**40).map(str),
    st.integers(max_value=-(10**12), min_value=-(10**40)).map(str),
    st.just("9" * 5000),
)
bad_date = st.one_of(
    st.sampled_from(["31/02/2026", "00/01/2026", "2026-01-01", "1/13/2026", "99/99/9999", "x"]),
    st.sampled_from(["01/01/0000", "32/12/2026", "12/31/2026", "01/01/99999"]),
)
bad_datetime = st.one_of(bad_date, st.sampled_from(["01/01/2026 25:00", "01/01/2026 10:61"]))
bad_version = st.sampled_from([MISSING, "", "abc", "-1", "0", "99999", "1e3", "9" * 40])


def too_long(limit: int) -> st.SearchStrategy:
    return st.integers(min_value=limit + 1, max_value=limit + 3000).map(lambda n: "Đ" * n)


def bad_text(limit: int) -> st.SearchStrategy:
    """A required text field: blank, over-long, with control characters. (Bytes that are not
    UTF-8 reach the app as their literal %XX text, which is acceptable free text; they are
    generated for codes, numbers, dates and choices, where that text is invalid.)"""
    return st.one_of(blank, too_long(limit), control)


def bad_code(limit: int) -> st.SearchStrategy:
    return st.one_of(bad_text(limit), broken_utf8)


def garbage_choice() -> st.SearchStrategy:
    return st.one_of(not_a_number, huge, control, broken_utf8, st.just("999999"))


@dataclass
class Entry:
    name: str
    forms: tuple[str, ...]  # "module.Class" of the FlaskForm subclasses it covers
    setup: Callable  # (make, db_session) -> dict with "user" and the ids the URL needs
    url: Callable[[dict], str]
    base: Callable[[dict], dict]
    bad: dict[str, st.SearchStrategy]
    method: str = "POST"
    # Tables whose rows a refusal may add by design (failed sign-ins are audited).
    may_change: tuple[str, ...] = ()
    files: Callable[[dict], dict] | None = None
    signed_in: bool = True
    extra: dict = field(default_factory=dict)


# --- worlds --------------------------------------------------------------------------------
def _admin(make, db_session) -> dict:
    province = make.province("Tỉnh Thử", code="PT")
    unit = make.unit("Phường Cửa Nam", parent=province, code="PT01")
    other = make.unit("Xã Đông Anh", parent=province, code="PT02")
    admin = make.admin(username="quantri")
    return {"user": admin, "province": province, "unit": unit, "other": other}


def _cluster(make, db_session) -> dict:
    ctx = _admin(make, db_session)
    return ctx | {"cluster": make.cluster(units=[ctx["other"]], owner=ctx["province"])}


def _period(make, db_session) -> dict:
    ctx = _admin(make, db_session)
    period = make.period(code="2031", status=PeriodStatus.DRAFT)
    group = make.group(period=period, code="1", max_points=2000)
    criterion = make.criterion(period=period, parent=group, code="1.1", max_points=1000)
    return ctx | {"period": period, "campaign": period.campaign, "criterion": criterion}


def _scoring(make, db_session) -> dict:
    """A board world in scoring (tests/scoring/helpers.build): its chair, a submitted sheet."""
    from tests.scoring.helpers import build, score_all

    world = build(make)
    sheet = score_all(db_session, world, world.members[0], world.units[0], (800, 1, 0, 0))
    admin = make.admin(username="quantri")
    return {
        "user": world.chair,
        "admin": admin,
        "world": world,
        "sheet": sheet,
        "period": world.period,
        "board": world.board,
        "unit": world.units[0],
    }


def _self_assessment(make, db_session) -> dict:
    now = utcnow()
    period = make.period(
        status=PeriodStatus.SELF_ASSESSMENT,
        self_assessment_opens_at=now - timedelta(days=1),
        self_assessment_closes_at=now + timedelta(days=5),
        scoring_opens_at=now + timedelta(days=5),
        scoring_closes_at=now + timedelta(days=20),
    )
    group = make.group(period=period, code="1", max_points=2000)
    direct = make.criterion(period=period, parent=group, code="1.1", max_points=1000)
    count = make.criterion(
        period=period, parent=group, code="1.2", kind=CriterionKind.BONUS, max_points=600,
        points_per_item=300,
    )  # fmt: skip
    unit = make.unit("Phường Cửa Nam")
    head = make.unit_head(unit=unit, username="truongdonvi")
    assessment = make.assessment(unit=unit, period=period)
    score = make.self_score(assessment, direct, points=500, measured=500)
    admin = make.admin(username="quantri")
    return {
        "user": head,
        "admin": admin,
        "period": period,
        "unit": unit,
        "assessment": assessment,
        "direct": direct,
        "count": count,
        "score": score,
    }


def as_admin(setup: Callable) -> Callable:
    def _setup(make, db_session) -> dict:
        ctx = setup(make, db_session)
        return ctx | {"user": ctx["admin"]}

    return _setup


def _board_admin(make, db_session) -> dict:
    ctx = _scoring(make, db_session)
    return ctx | {"user": ctx["admin"]}


def _explanation(make, db_session) -> dict:
    from emulation.scoring.models import Explanation

    ctx = _scoring(make, db_session)
    world = ctx["world"]
    head = make.unit_head(unit=world.units[0], username="truongdonvi")
    explanation = make._save(
        Explanation(
            board=world.board,
            unit=world.units[0],
            requested_by=world.chair,
            message="Giải trình tiêu chí 1.1",
            deadline=utcnow() + timedelta(days=3),
        )
    )
    return ctx | {"user": head, "explanation": explanation}


def _member_user(make, db_session) -> dict:
    user = make.viewer(username="canbo")
    return {"user": user}


def _enrolling(make, db_session) -> dict:
    make.role_policy(Role.VIEWER, require_totp=False)
    return {"user": make.viewer(username="canbo")}


def _prelude_password(client, ctx) -> None:
    """Half-way through sign-in: the password is right, the second factor is asked."""
    from tests.factories import DEFAULT_PASSWORD

    answer = client.post(
        "/auth/login", data={"username": ctx["user"].username, "password": DEFAULT_PASSWORD}
    )
    assert answer.headers["Location"].endswith("/auth/two-factor"), answer.status_code


def _totp_user(make, db_session) -> dict:
    import pyotp

    user = make.admin(username="quantri2fa", totp_secret=pyotp.random_base32(), totp_enabled=True)
    return {"user": user}


def _login(make, db_session) -> dict:
    return {"user": make.viewer(username="canbo")}


def _sheet_draft(make, db_session) -> dict:
    """The second member's draft sheet of the second unit (one criterion scored)."""
    from emulation.scoring import sheets

    ctx = _scoring(make, db_session)
    world, member = ctx["world"], ctx["world"].members[1]
    draft = sheets.save_score(
        db_session, user=member, period=world.period, unit=world.units[1],
        data=sheets.ScoreInput(world.penalty.id, 0, ""), expected_version=None,
    )  # fmt: skip
    db_session.commit()
    return ctx | {"user": member, "draft": draft}
