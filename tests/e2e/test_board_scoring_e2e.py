"""A board member scores a unit with the keyboard while a second tab edits the same
criterion and sees the conflict; the chair finalises, the admin publishes, and the public
leaderboard shows the official result."""

from __future__ import annotations

from emulation.leaderboards.recompute import recompute_due
from tests.e2e.conftest import shot
from tests.factories import DEFAULT_PASSWORD
from tests.scoring.helpers import build


def sign_in(page, base: str, user) -> None:
    page.goto(base + "/auth/login")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")


def saved(page, criterion) -> None:
    page.locator(f"#crit-{criterion.id} .save-ok").wait_for()


def test_keyboard_scoring_conflict_finalise_publish(live_server, page, browser, make, db_session):
    world = build(make)
    world.seats[1].assignments.clear()  # one scorer: members[0]
    db_session.commit()
    member, unit = world.members[0], world.units[0]
    only_unit = world.units[1]
    for assignment in list(world.seats[0].assignments):
        if assignment.unit_id == only_unit.id:
            db_session.delete(assignment)
    db_session.commit()

    sign_in(page, live_server, member)
    page.wait_for_url("**/scoring/")  # a board member lands on My queue
    page.get_by_role("link", name=unit.name).click()
    page.locator(f"#v-{world.direct.id}").focus()
    page.keyboard.type("7,5")
    page.keyboard.press("Enter")  # saves 1.1, moves to 1.2
    page.keyboard.press("=")  # copies the self-score (passed)
    page.keyboard.press("Enter")
    page.keyboard.type("0")
    page.keyboard.press("Enter")
    page.keyboard.press("=")  # veto: the self-assessment found none
    page.keyboard.press("Enter")
    for criterion in (world.direct, world.passed, world.penalty, world.veto):
        saved(page, criterion)
    assert page.evaluate("document.activeElement.id") == "submit-sheet"
    shot(page, "sheet-scored-desktop")

    # A second tab on the same sheet, opened now; the first tab then changes 1.1 again.
    other = page.context.new_page()
    other.goto(page.url)
    page.fill(f"#v-{world.direct.id}", "9")
    page.keyboard.press("Enter")
    page.locator(f"#crit-{world.direct.id} .save-ok").wait_for()
    other.fill(f"#v-{world.direct.id}", "6")
    other.keyboard.press("Enter")
    conflict = other.locator(f"#crit-{world.direct.id} .save-conflict")
    conflict.wait_for()
    assert conflict.locator(".theirs").inner_text() == "9"
    assert conflict.locator(".yours").inner_text() == "6"
    shot(other, "sheet-conflict")
    conflict.locator(".take-theirs").click()
    assert other.input_value(f"#v-{world.direct.id}") == "9"
    other.close()

    page.click("#submit-sheet")
    page.wait_for_url("**/scoring/")
    assert "alert-success" in page.content()

    chair_context = browser.new_context(viewport={"width": 1366, "height": 900})
    chair_page = chair_context.new_page()
    sign_in(chair_page, live_server, world.chair)
    chair_page.goto(live_server + f"/scoring/boards/{world.board.id}")
    shot(chair_page, "chair-board")
    chair_page.click("#finalise-board")
    chair_page.locator(".alert-success").wait_for()
    chair_context.close()

    admin = make.admin()
    admin_context = browser.new_context(viewport={"width": 1366, "height": 900})
    admin_page = admin_context.new_page()
    sign_in(admin_page, live_server, admin)
    admin_page.goto(live_server + f"/scoring/periods/{world.period.id}/publish")
    admin_page.click("#publish")
    admin_page.locator(".alert-success").first.wait_for()
    shot(admin_page, "published")
    admin_context.close()

    recompute_due(db_session)  # the scheduler's next run
    db_session.commit()
    page.goto(live_server + "/")
    assert "Chính thức" in page.locator("main").inner_text()
    shot(page, "home-official")


def test_the_sheet_on_a_phone(live_server, page, make):
    world = build(make)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, world.members[0])
    page.goto(live_server + f"/scoring/periods/{world.period.id}/units/{world.units[0].id}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "sheet-phone")
    page.goto(live_server + "/scoring/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "queue-phone")
