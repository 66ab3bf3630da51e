"""Self-assessment on a phone: a conflict with another device shows both values. (The whole
journey, fill → reload → evidence → submit, runs on the demo server:
test_a_unit_and_board_journeys.)"""

from emulation.assessments import services
from tests.assessments.helpers import build, save
from tests.e2e.support import sign_in
from tests.factories import DEFAULT_PASSWORD


def _saved(page, criterion):
    page.locator(f'#st-{criterion.id}[data-state="saved"]').wait_for()


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
    sign_in(page, live_server, world.head.username, DEFAULT_PASSWORD)
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
    box.get_by_role("button", name="Dùng giá trị đã lưu").click()
    _saved(page, c)
    assert page.input_value(f"#val-{c.id}") == "4"
    assert page.input_value(f"#note-{c.id}") == "Máy tính bảng"
    db_session.expire_all()
    assert services.score_of(draft, c.id).measured == 400
    context.close()
    assert [e for e in errors if "409" not in e] == []
