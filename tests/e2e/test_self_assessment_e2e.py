"""A unit head fills in the self-assessment on a phone, reloads mid-way, attaches evidence
and submits; nothing typed is lost."""

from sqlalchemy import select

from emulation.assessments import services
from emulation.assessments.models import AssessmentStatus, SelfAssessment
from tests.assessments.helpers import PDF, build, save
from tests.e2e.conftest import shot
from tests.factories import DEFAULT_PASSWORD


def _saved(page, criterion):
    page.locator(f'#st-{criterion.id}[data-state="saved"]').wait_for()


def test_fill_reload_attach_and_submit_on_a_phone(live_server, page, make, db_session, tmp_path):
    world = build(make)
    c = world.c
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/auth/login")
    page.fill("input[name=username]", world.head.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("button", name="Bắt đầu tự chấm điểm").click()
    page.locator("#sa").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.fill(f"#val-{c['1.1'].id}", "5,5")
    page.fill(f"#note-{c['1.1'].id}", "Theo báo cáo năm")  # leaving the value saves it
    _saved(page, c["1.1"])
    assert "5,5 điểm" in page.locator(f"#st-{c['1.1'].id}").inner_text()

    # Typed but not yet sent (no change event): a reload must not lose it.
    page.fill(f"#val-{c['1.2'].id}", "45")
    page.reload()
    assert page.input_value(f"#val-{c['1.2'].id}") == "45"
    _saved(page, c["1.2"])
    assert "2 điểm" in page.locator(f"#st-{c['1.2'].id}").inner_text()
    shot(page, "self-assessment-phone-restored")

    page.click(f"label[for=y-{c['1.3'].id}]")
    _saved(page, c["1.3"])
    page.fill(f"#note-{c['1.3'].id}", "Đạt theo biên bản kiểm tra")
    page.fill(f"#val-{c['B1'].id}", "1")  # leaving the note saves 1.3 again
    page.fill(f"#val-{c['P1'].id}", "1")
    page.click(f"label[for=n-{c['V1'].id}]")
    for code in ("B1", "P1", "V1"):
        _saved(page, c[code])
    assert "-2 điểm" in page.locator(f"#st-{c['P1'].id}").inner_text().replace("−", "-")

    evidence = tmp_path / "quyet-dinh.pdf"
    evidence.write_bytes(PDF)
    page.set_input_files(f"#ev-{c['P1'].id} input[name=file]", str(evidence))
    page.locator(f"#ev-{c['P1'].id} a", has_text="quyet-dinh.pdf").wait_for()
    assert page.locator("#sa-stats").inner_text().startswith("6/6")
    shot(page, "self-assessment-phone-filled")

    page.get_by_role("link", name="Xem lại và nộp").click()
    total = page.locator("#sa-confirm-total").inner_text()
    assert total == "12,5"  # base 5,5 + 2 + 4, bonus +3, penalty −2
    shot(page, "self-assessment-phone-confirm")
    page.click("#sa-confirm-submit")
    page.get_by_text("Giờ chỉ có thể xem").wait_for()
    assessment = db_session.scalar(
        select(SelfAssessment).where(SelfAssessment.unit_id == world.unit.id)
    )
    assert assessment.status is AssessmentStatus.SUBMITTED
    codes = {s.criterion.code: (s.measured, s.points, s.note) for s in assessment.scores}
    assert codes["1.1"] == (550, 550, "Theo báo cáo năm")
    assert codes["1.2"] == (4500, 200, "")
    assert codes["1.3"] == (1, 400, "Đạt theo biên bản kiểm tra")
    assert codes["P1"] == (1, -200, "")
    assert [e.original_name for e in assessment.evidence] == ["quyet-dinh.pdf"]
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('sa:')).length") == 0


def test_a_conflict_shows_both_values_and_lets_the_user_choose(
    live_server, browser, make, db_session
):
    world = build(make)
    draft = world.draft(make)
    c = world.c["1.1"]
    # Own page: the browser logs the expected 409 answer as a console error.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server + "/auth/login")
    page.fill("input[name=username]", world.head.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/my-unit/assessments/{draft.id}")
    # Meanwhile another device saves 4 points.
    save(db_session, world, draft, "1.1", 400, note="Máy tính bảng", version=0)
    db_session.commit()
    # This phone still believes nothing was saved: it sends 5 points with its own note.
    page.evaluate(
        "([v, n]) => { document.querySelector(v).value = '5';"
        " document.querySelector(n).value = 'Điện thoại'; }",
        [f"#val-{c.id}", f"#note-{c.id}"],
    )
    page.dispatch_event(f"#val-{c.id}", "change")
    box = page.locator(f"#st-{c.id} .sa-conflict")
    box.wait_for()
    assert "Máy tính bảng" in box.inner_text() and "Điện thoại" in box.inner_text()
    shot(page, "self-assessment-phone-conflict")
    box.get_by_role("button", name="Dùng giá trị đã lưu").click()
    _saved(page, c)
    assert page.input_value(f"#val-{c.id}") == "4"
    assert page.input_value(f"#note-{c.id}") == "Máy tính bảng"
    db_session.expire_all()
    assert services.score_of(draft, c.id).measured == 400
    context.close()
    assert [e for e in errors if "409" not in e] == []
