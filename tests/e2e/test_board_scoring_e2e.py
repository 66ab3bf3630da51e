"""The score sheet and the queue fit a phone. (The board journey, keyboard scoring, conflict,
explanation, finalisation and publication, runs on the demo server:
test_a_unit_and_board_journeys.)"""

from __future__ import annotations

from tests.e2e.support import sign_in
from tests.factories import DEFAULT_PASSWORD
from tests.scoring.helpers import build


def test_the_sheet_on_a_phone(live_server, page, make):
    world = build(make)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, world.members[0].username, DEFAULT_PASSWORD)
    page.goto(live_server + f"/scoring/periods/{world.period.id}/units/{world.units[0].id}")
    page.locator("form.crit-row").first.wait_for()  # the sheet itself, not a login page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(live_server + "/scoring/")
    assert "/auth/login" not in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
