"""A unit head fills in the self-assessment on a phone, reloads mid-way, attaches evidence
and submits; nothing typed is lost."""

from sqlalchemy import select

from emulation.assessments.models import AssessmentStatus, SelfAssessment
from tests.assessments.helpers import PDF, build
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
