"""The table of the generated bad-input tests: one entry per form of the app.

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


# --- the table -----------------------------------------------------------------------------
U, P, C = "emulation.org.forms", "emulation.campaigns.forms", "emulation.accounts.forms"
S, R, A = "emulation.scoring.forms", "emulation.scoring.review_forms", "emulation.assessments.forms"
ACCEPTED_PERIOD = {"code": "2032", "name_vi": "Năm 2032", "name_en": "Year 2032", "kind": "year"}

ENTRIES: list[Entry] = [
    # --- units and clusters ---------------------------------------------------------------
    Entry(
        "unit rename",
        (f"{U}.RenameUnitForm",),
        _admin,
        lambda c: f"/admin/units/{c['unit'].id}/rename",
        lambda c: {"name": "Phường Mới"},
        {"name": bad_text(200)},
    ),
    Entry(
        "unit move",
        (f"{U}.MoveUnitForm",),
        _admin,
        lambda c: f"/admin/units/{c['unit'].id}/move",
        lambda c: {"parent_code": "PT"},
        {
            "parent_code": st.one_of(
                blank,
                control,
                broken_utf8,
                too_long(20),
                st.sampled_from(["NOPE", "PT01", "%", "PT*"]),
            )
        },
    ),
    Entry(
        "unit retire",
        (f"{U}.RetireUnitForm",),
        _admin,
        lambda c: f"/admin/units/{c['unit'].id}/retire",
        lambda c: {"on": "01/06/2026"},
        {"on": st.one_of(bad_date, control, broken_utf8)},
    ),
    Entry(
        "new unit",
        (f"{U}.NewUnitForm",),
        _admin,
        lambda c: f"/admin/units/{c['province'].id}/children",
        lambda c: {"code": "PT09", "name": "Xã Mới", "kind": "commune"},
        {
            "code": st.one_of(bad_code(20), st.sampled_from(["PT01", "A B", "<svg>", "Đ1"])),
            "name": bad_text(200),
            "kind": st.one_of(blank, garbage_choice(), st.just("ministry")),
        },
    ),
    Entry(
        "merge units",
        (f"{U}.MergeUnitsForm",),
        _admin,
        lambda c: "/admin/units/merge",
        lambda c: {
            "sources": "PT02",
            "target_code": "PT01",
            "on": "01/06/2026",
            "new_name": "",
            "new_kind": "commune",
            "new_parent_code": "",
        },
        {
            "sources": st.one_of(blank, control, broken_utf8, st.sampled_from(["NOPE", ", ;"])),
            "target_code": st.one_of(bad_code(20), st.sampled_from(["PT02"])),
            "on": st.one_of(bad_date, control),
            "new_kind": st.one_of(garbage_choice()),
        },
    ),
    Entry(
        "new cluster",
        (f"{U}.ClusterForm",),
        _admin,
        lambda c: "/admin/clusters/new",
        lambda c: {"code": "CUM-1", "name": "Cụm 1", "owner": ""},
        {"code": bad_code(40), "name": bad_text(200), "owner": garbage_choice()},
    ),
    Entry(
        "cluster members",
        (f"{U}.ClusterMembersForm",),
        _cluster,
        lambda c: f"/admin/clusters/{c['cluster'].id}/members",
        lambda c: {"units": str(c["unit"].id)},
        {"units": st.one_of(garbage_choice(), st.sampled_from(["0", "-1", "2147483648"]))},
    ),
    Entry(
        "apply unit import",
        (f"{U}.ApplyImportForm", f"{U}.ImportUnitsForm"),
        _admin,
        lambda c: "/admin/units/import/apply",
        lambda c: {"token": "a" * 32, "fingerprint": "b" * 64, "confirm_retirements": ""},
        {
            "token": st.one_of(
                blank,
                control,
                broken_utf8,
                too_long(200),
                st.sampled_from(["../../etc/passwd", "..", "/", "a/../../b"]),
            ),
            "fingerprint": st.one_of(blank, control, too_long(200)),
            "confirm_retirements": st.one_of(not_a_number, huge, control),
        },
        extra={"allow": (404,)},  # no import staged under that token: "not found"
    ),
    Entry(
        "unit search",
        (f"{U}.SearchForm",),
        _admin,
        lambda c: "/admin/units/",
        lambda c: {},
        {"q": st.one_of(too_long(100), control, broken_utf8, st.sampled_from(["%", "_", "\\"]))},
        method="GET",
    ),
    # --- campaigns, periods, criteria, rules ------------------------------------------------
    Entry(
        "new campaign",
        (f"{P}.CampaignForm",),
        _admin,
        lambda c: "/admin/campaigns/new",
        lambda c: {
            "slug": "thi-dua-moi",
            "name_vi": "Thi đua mới",
            "name_en": "New",
            "starts_on": "01/01/2027",
        },
        {
            "slug": st.one_of(bad_code(80), st.sampled_from(["Có Dấu", "-x", "a b", "A"])),
            "name_vi": bad_text(300),
            "starts_on": st.one_of(bad_date, blank),
        },
    ),
    Entry(
        "edit campaign",
        (f"{P}.CampaignForm",),
        _period,
        lambda c: f"/admin/campaigns/{c['campaign'].id}/edit",
        lambda c: {
            "slug": c["campaign"].slug,
            "name_vi": "Thi đua",
            "name_en": "Emulation",
            "starts_on": "01/06/2021",
            "version": str(c["campaign"].version),
        },
        {"version": bad_version, "name_en": bad_text(300)},
    ),
    Entry(
        "new period",
        (f"{P}.PeriodForm",),
        _period,
        lambda c: f"/admin/campaigns/{c['campaign'].id}/periods/new",
        lambda c: (
            ACCEPTED_PERIOD | {"starts_on": "01/01/2032", "ends_on": "31/12/2032", "based_on": ""}
        ),
        {
            "code": st.one_of(bad_code(40), st.sampled_from(["2031", "a b", "-x"])),
            "kind": st.one_of(blank, garbage_choice()),
            "starts_on": st.one_of(bad_date, blank),
            "self_assessment_opens_at": st.one_of(bad_datetime, control),
            "based_on": garbage_choice(),
        },
    ),
    Entry(
        "edit period",
        (f"{P}.PeriodForm",),
        _period,
        lambda c: f"/admin/periods/{c['period'].id}/edit",
        lambda c: {
            "code": "2031",
            "name_vi": "Năm",
            "name_en": "Year",
            "kind": "year",
            "starts_on": "01/01/2031",
            "ends_on": "31/12/2031",
            "version": str(c["period"].version),
        },
        {
            "version": bad_version,
            "ends_on": st.one_of(bad_date, st.just("01/01/2020")),
            "scoring_closes_at": bad_datetime,
        },
    ),
    Entry(
        "period transition",
        (f"{P}.TransitionForm",),
        _period,
        lambda c: f"/admin/periods/{c['period'].id}/transition",
        lambda c: {"to": "open", "reason": "", "version": str(c["period"].version)},
        {
            "to": st.one_of(blank, garbage_choice(), st.sampled_from(["published", "closed"])),
            "reason": st.one_of(too_long(1000), control),
            "version": bad_version,
        },
    ),
    Entry(
        "extend a window",
        (f"{P}.ExtendWindowForm",),
        _period,
        lambda c: f"/admin/periods/{c['period'].id}/windows",
        lambda c: {
            "window": "scoring_closes_at",
            "new_value": "01/12/2031 10:00",
            "reason": "Lý do gia hạn",
            "version": str(c["period"].version),
        },
        {
            "window": garbage_choice(),
            "new_value": st.one_of(bad_datetime, blank),
            "reason": bad_text(1000),
            "version": bad_version,
        },
    ),
    Entry(
        "new criterion",
        (f"{P}.CriterionForm",),
        _period,
        lambda c: f"/admin/periods/{c['period'].id}/criteria/new",
        lambda c: {
            "code": "Z9",
            "parent": "",
            "kind": "direct",
            "title_vi": "Tiêu chí",
            "max_points": "10",
            "weight_percent": "100",
        },
        {
            "max_points": st.one_of(not_a_number, huge, st.just("12,345")),
            "min_points": st.one_of(not_a_number, huge),
            "weight_percent": st.one_of(not_a_number, huge, st.integers(-(10**6), 0).map(str)),
            "target_share_percent": st.one_of(st.integers(101, 10**9).map(str), nan_inf),
            "parent": garbage_choice(),
            "kind": st.one_of(blank, garbage_choice()),
            "title_vi": bad_text(500),
            "measure_unit": st.one_of(too_long(40), control),
        },
    ),
    Entry(
        "edit criterion",
        (f"{P}.CriterionForm",),
        _period,
        lambda c: f"/admin/criteria/{c['criterion'].id}/edit",
        lambda c: {
            "code": "1.1",
            "parent": str(c["criterion"].parent_id),
            "kind": "direct",
            "title_vi": "Tiêu chí",
            "max_points": "10",
            "weight_percent": "100",
            "version": str(c["criterion"].version),
        },
        {"version": bad_version, "points_per_item": st.one_of(not_a_number, huge)},
    ),
    Entry(
        "copy criteria",
        (f"{P}.CopyCriteriaForm", f"{P}.ImportCriteriaForm"),
        _period,
        lambda c: f"/admin/periods/{c['period'].id}/criteria/copy",
        lambda c: {"source": ""},
        {"source": st.one_of(blank, garbage_choice(), st.just("0"))},
    ),
    Entry(
        "classification rules",
        (f"{P}.RulesForm",),
        _period,
        lambda c: f"/admin/periods/{c['period'].id}/rules",
        lambda c: {
            "band_excellent": "90",
            "band_good": "80",
            "band_completed": "50",
            "excellent_cap_percent": "",
            "aggregation": "mean",
            "version": str(c["period"].version),
        },
        {
            "band_excellent": st.one_of(blank, not_a_number, huge),
            "band_good": st.one_of(not_a_number, huge, st.just("95")),
            "excellent_cap_percent": st.one_of(not_a_number, huge, st.just("-5"), st.just("101")),
            "aggregation": st.one_of(blank, garbage_choice()),
            "version": bad_version,
        },
    ),
    # --- accounts ---------------------------------------------------------------------------
    Entry(
        "new user",
        (f"{C}.UserForm", f"{C}.ImportForm"),
        _admin,
        lambda c: "/admin/users/new",
        lambda c: {
            "username": "nguoi.moi",
            "full_name": "Người Mới",
            "unit_code": "PT01",
            "role": "viewer",
            "email": "",
            "password": "",
        },
        {
            "username": st.one_of(
                bad_code(80), st.sampled_from(["ab", "<svg onload=alert(3)>", "quantri", "có.dấu"])
            ),
            "full_name": bad_text(200),
            "email": st.one_of(st.sampled_from(["not-an-email", "a@", "@b"]), too_long(200)),
            "unit_code": st.one_of(bad_code(20), st.just("NOPE")),
            "role": garbage_choice(),
            "password": st.sampled_from(["aaaaaaaa", "12345678", "password", "x"]),
        },
    ),
    Entry(
        "grant a role",
        (f"{C}.GrantForm",),
        lambda m, s: _admin(m, s) | {"target": m.viewer(username="canbo")},
        lambda c: f"/admin/users/{c['target'].id}/grants",
        lambda c: {"role": "viewer", "unit_code": "PT01"},
        {
            "role": st.one_of(blank, garbage_choice()),
            "unit_code": st.one_of(bad_code(20), st.just("NOPE")),
        },
    ),
    Entry(
        "change password",
        (f"{C}.ChangePasswordForm",),
        _login,
        lambda c: "/auth/password",
        lambda c: {
            "current": "Mật-khẩu-thử-2026!",
            "new": "Một câu mật khẩu mới dài 2026",
            "confirm": "Một câu mật khẩu mới dài 2026",
        },
        {
            "current": st.one_of(blank, too_long(1000), st.just("sai mật khẩu")),
            "new": st.one_of(blank, too_long(1000), st.sampled_from(["aaaaaaaa", "12345678"])),
            "confirm": st.one_of(blank, st.just("khác hẳn")),
        },
        may_change=("audit_event", "audit_head"),
    ),
    Entry(
        "sign in",
        (f"{C}.LoginForm",),
        _login,
        lambda c: "/auth/login",
        lambda c: {"username": "canbo", "password": "Mật-khẩu-thử-2026!"},
        {
            "username": st.one_of(bad_text(80), st.just("khongco")),
            "password": st.one_of(blank, too_long(1000), st.just("sai")),
        },
        signed_in=False,
        may_change=("audit_event", "audit_head"),
        extra={"allow": (401,)},
    ),
    Entry(
        "second factor",
        (f"{C}.SecondFactorForm",),
        _totp_user,
        lambda c: "/auth/two-factor",
        lambda c: {"code": "000000"},
        {"code": st.one_of(bad_text(20), not_a_number, st.sampled_from(["000000", "1" * 19]))},
        signed_in=False,
        may_change=("audit_event", "audit_head"),
        extra={"prelude": _prelude_password, "allow": (401,)},
    ),
    Entry(
        "enrol a second factor",
        (f"{C}.TotpConfirmForm",),
        _enrolling,
        lambda c: "/auth/two-factor/setup",
        lambda c: {"code": "000000"},
        {"code": st.one_of(bad_text(10), not_a_number, st.sampled_from(["000000", "12345"]))},
        may_change=("audit_event", "audit_head"),
    ),
    # --- boards -----------------------------------------------------------------------------
    Entry(
        "new board",
        (f"{S}.BoardForm",),
        _board_admin,
        lambda c: "/admin/boards/new",
        lambda c: {
            "period": str(c["period"].id),
            "name": "Hội đồng mới",
            "scope": f"u{c['world'].province.id}",
        },
        {
            "period": st.one_of(blank, garbage_choice()),
            "name": bad_text(200),
            "scope": st.one_of(blank, garbage_choice(), st.sampled_from(["u0", "c0", "u", "x1"])),
        },
    ),
    Entry(
        "board member",
        (f"{S}.MemberForm",),
        _board_admin,
        lambda c: f"/admin/boards/{c['board'].id}/members",
        lambda c: {"user": str(c["admin"].id)},
        {"user": st.one_of(blank, garbage_choice(), st.just("0"))},
    ),
    Entry(
        "assignment",
        (f"{S}.AssignForm",),
        _board_admin,
        lambda c: f"/admin/boards/{c['board'].id}/assign",
        lambda c: {"mode": "balanced", "scorers_per_unit": "1"},
        {
            "mode": st.one_of(garbage_choice()),
            "scorers_per_unit": st.one_of(not_a_number, huge, st.sampled_from(["0", "51", "-1"])),
        },
    ),
    Entry(
        "conflict override",
        (f"{S}.OverrideForm",),
        _board_admin,
        lambda c: (
            f"/admin/boards/{c['board'].id}/members/{c['world'].seats[0].id}"
            f"/units/{c['unit'].id}/override"
        ),
        lambda c: {"reason": "Không còn ai khác trong cụm"},
        {"reason": st.one_of(bad_text(1000), st.just("ngắn"))},
    ),
    # --- the chair ---------------------------------------------------------------------------
    Entry(
        "reopen a sheet",
        (f"{R}.ReasonForm",),
        _scoring,
        lambda c: f"/scoring/boards/{c['board'].id}/sheets/{c['sheet'].id}/reopen",
        lambda c: {"reason": "Cần chấm lại tiêu chí 1.1"},
        {"reason": st.one_of(bad_text(2000), st.just("abc"))},
    ),
    Entry(
        "return a self-assessment",
        (f"{R}.ReasonForm",),
        _scoring,
        lambda c: f"/scoring/boards/{c['board'].id}/units/{c['unit'].id}/return",
        lambda c: {"reason": "Thiếu minh chứng tiêu chí 1.1"},
        {"reason": st.one_of(bad_text(2000), st.just("abc"))},
    ),
    Entry(
        "request an explanation",
        (f"{R}.ExplanationForm",),
        _scoring,
        lambda c: f"/scoring/boards/{c['board'].id}/units/{c['unit'].id}/explanation",
        lambda c: {
            "deadline": (utcnow() + timedelta(days=3)).strftime("%Y-%m-%d"),
            "message": "Giải trình",
        },
        {
            "deadline": st.one_of(blank, bad_date, control, st.just("2000-01-01")),
            "message": st.one_of(too_long(2000), control),
        },
    ),
    Entry(
        "veto decision",
        (f"{R}.VetoForm",),
        _scoring,
        lambda c: (
            f"/scoring/boards/{c['board'].id}/units/{c['unit'].id}"
            f"/criteria/{c['world'].veto.id}/veto"
        ),
        lambda c: {"vetoed": "1", "reason": "Vi phạm nghiêm trọng đã xác minh"},
        {
            "vetoed": st.one_of(blank, garbage_choice(), st.just("2")),
            "reason": st.one_of(bad_text(2000), st.just("ngắn")),
        },
    ),
    Entry(
        "comment threshold",
        (f"{R}.ThresholdForm",),
        _board_admin,
        lambda c: f"/scoring/periods/{c['period'].id}/settings",
        lambda c: {"comment_threshold_percent": "20"},
        {
            "comment_threshold_percent": st.one_of(
                blank, not_a_number, huge, st.sampled_from(["-1", "101", "2.5"])
            )
        },
    ),
    Entry(
        "answer an explanation",
        (f"{R}.AnswerForm",),
        _explanation,
        lambda c: f"/scoring/unit/explanations/{c['explanation'].id}",
        lambda c: {
            "version": str(c["explanation"].version),
            f"answer-{c['world'].direct.id}": "Đã bổ sung",
        },
        {"version": bad_version, "answer-{direct}": st.one_of(too_long(4000), control)},
    ),
    Entry(
        "score sheet save",
        ("sheets.save",),
        _sheet_draft,
        lambda c: (
            f"/scoring/periods/{c['period'].id}/units/{c['world'].units[1].id}"
            f"/criteria/{c['world'].direct.id}"
        ),
        lambda c: {"value": "7,5", "comment": "Khác tự chấm", "version": str(c["draft"].version)},
        {
            "value": st.one_of(
                blank,
                not_a_number,
                huge,
                control,
                broken_utf8,
                st.sampled_from(["-1", "10,01", "1,234", "0x10", "1_000"]),
            ),
            "comment": st.one_of(too_long(4000), control),
            "version": bad_version,
        },
    ),
    # --- self-assessment ----------------------------------------------------------------------
    Entry(
        "self-score save",
        (f"{A}.ScoreForm",),
        _self_assessment,
        lambda c: f"/my-unit/assessments/{c['assessment'].id}/criteria/{c['direct'].id}",
        lambda c: {"value": "7", "note": "", "version": str(c["score"].version)},
        {
            "value": st.one_of(
                not_a_number,
                huge,
                control,
                broken_utf8,
                st.sampled_from(["-1", "10,01", "1,234", "0x10", "1_000", "½"]),
            ),
            "note": st.one_of(too_long(4000), control),
            "version": bad_version,
        },
    ),
    Entry(
        "self-assessment submit",
        (f"{A}.SubmitForm",),
        _self_assessment,
        lambda c: f"/my-unit/assessments/{c['assessment'].id}/submit",
        lambda c: {"version": str(c["assessment"].version), "explanation": ""},
        {"version": bad_version, "explanation": st.one_of(too_long(4000), control)},
    ),
    Entry(
        "evidence upload",
        (f"{A}.UploadForm",),
        _self_assessment,
        lambda c: f"/my-unit/assessments/{c['assessment'].id}/criteria/{c['direct'].id}/evidence",
        lambda c: {},
        {"file": st.sampled_from(["empty", "exe", "fake-pdf", "html", "svg", "none", "bad-name"])},
        extra={"files": True},
    ),
    Entry(
        "deadline extension",
        (f"{A}.ExtendForm",),
        as_admin(_self_assessment),
        lambda c: f"/admin/self-assessments/{c['period'].id}/units/{c['unit'].id}/extend",
        lambda c: {"until": "01/01/2099 10:00", "reason": "Mất điện"},
        {
            "until": st.one_of(blank, bad_datetime, st.just("01/01/2000 10:00")),
            "reason": bad_text(2000),
        },
    ),
    Entry(
        "self-assessment overview filter",
        (f"{A}.PeriodFilterForm",),
        as_admin(_self_assessment),
        lambda c: "/admin/self-assessments/",
        lambda c: {},
        {"period": garbage_choice(), "q": st.one_of(too_long(100), control, broken_utf8)},
        method="GET",
    ),
    Entry(
        "audit filter",
        ("emulation.audit.forms.AuditFilterForm",),
        _admin,
        lambda c: "/admin/audit/",
        lambda c: {},
        {
            "since": st.one_of(bad_date, control),
            "until": st.one_of(bad_date, broken_utf8),
            "period": garbage_choice(),
            "unit": st.one_of(too_long(40), st.just("NOPE")),
            "user": too_long(80),
        },
        method="GET",
    ),
]


# Forms with no field to fuzz: only the CSRF token (tests/accounts/test_csrf.py).
FIELDLESS = {"emulation.forms.ConfirmForm", "emulation.scoring.review_forms.ConfirmForm"}
