"""The table of the generated bad-input tests: one entry per form of the app (part 2 here:
boards, the chair, the unit's answers, score sheets, self-assessment, filters; part 1 in
form_table_admin.py). `test_fuzz_every_form.py` runs every entry; its meta-test fails when a
FlaskForm subclass of `emulation/` is in no entry."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from emulation.db import utcnow
from tests.reliability.form_fuzz import (
    Entry,
    _admin,
    _board_admin,
    _explanation,
    _scoring,
    _self_assessment,
    _sheet_draft,
    as_admin,
    bad_date,
    bad_datetime,
    bad_text,
    bad_version,
    blank,
    broken_utf8,
    control,
    garbage_choice,
    huge,
    not_a_number,
    too_long,
)  # fmt: skip
from tests.reliability.form_table_admin import ADMIN_ENTRIES, C, P, U

S, R, A = "emulation.scoring.forms", "emulation.scoring.review_forms", "emulation.assessments.forms"

WORK_ENTRIES: list[Entry] = [
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
        (),  # no FlaskForm: the view reads request.files itself; its bad files are fuzzed here
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
ENTRIES: list[Entry] = ADMIN_ENTRIES + WORK_ENTRIES


# Forms with no field to fuzz: only the CSRF token (tests/accounts/test_csrf.py).
FIELDLESS = {"emulation.forms.ConfirmForm", "emulation.scoring.review_forms.ConfirmForm"}
# The file uploads of the three imports: their generated bad files (random bytes, wrong
# encodings, fake zips, zip bombs, too many rows...) are in tests/reliability/test_bad_imports.py.
IMPORTS = {f"{U}.ImportUnitsForm", f"{C}.ImportForm", f"{P}.ImportCriteriaForm"}
