"""Board scoring pages over HTTP: queue, sheet, COI refusal, evidence, chair, explanation."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from emulation.accounts.models import Role, RoleGrant
from emulation.campaigns.models import PeriodStatus
from emulation.db import utcnow
from emulation.scoring.models import Explanation, ScoreSheet
from tests.scoring.helpers import build, score_all


@pytest.fixture
def world(make):
    return build(make)


def _save_url(world, criterion, unit=None):
    unit = unit or world.units[0]
    return url_for(
        "sheets.save", period_id=world.period.id, unit_id=unit.id, criterion_id=criterion.id
    )


def test_members_land_on_their_queue_and_search_without_diacritics(client, login_as, world):
    response = login_as(world.members[0])
    assert response.headers["Location"] == url_for("sheets.queue")
    page = client.get(url_for("sheets.queue")).get_data(as_text=True)
    assert "Phường Cửa Nam" in page and "Xã Đông Anh" in page
    page = client.get(url_for("sheets.queue", q="cua nam")).get_data(as_text=True)
    assert "Phường Cửa Nam" in page and "Xã Đông Anh" not in page
    page = client.get(url_for("sheets.queue", status="submitted")).get_data(as_text=True)
    assert "Phường Cửa Nam" not in page


def test_queue_shows_status_and_progress(client, login_as, db_session, world):
    score_all(db_session, world, world.members[0], world.units[0], (800, 1, 0, 0))
    login_as(world.members[0])
    page = client.get(url_for("sheets.queue")).get_data(as_text=True)
    assert 'value="1" max="2"' in page  # my sheets: 1 of 2
    assert 'value="1" max="4"' in page  # the board: 1 of 4
    assert "Đã nộp" in page or "Submitted" in page


def test_a_sheet_being_scored_reads_as_being_scored_not_as_an_open_period(
    client, login_as, db_session, world
):
    score_all(db_session, world, world.members[0], world.units[1], (800, 1, 0, 0), submit=False)
    login_as(world.members[0])
    page = client.get(url_for("sheets.queue")).get_data(as_text=True)
    assert page.count("Đang chấm") == 2  # the unit's badge and the status filter's choice
    assert "Đang diễn ra" not in page  # a period's word, not a sheet's


def test_htmx_save_answers_the_new_version_and_a_conflict_shows_both_values(
    client, login_as, world
):
    login_as(world.members[0])
    response = client.post(_save_url(world, world.direct), data={"value": "8", "version": ""})
    assert response.status_code == 200 and response.headers["X-Sheet-Version"] == "1"
    response = client.post(
        _save_url(world, world.direct), data={"value": "9,5", "comment": "Tốt", "version": "1"}
    )
    assert response.headers["X-Sheet-Version"] == "2"
    stale = client.post(
        _save_url(world, world.direct), data={"value": "6", "comment": "Tab cũ", "version": "1"}
    )
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "9,5" in body and "6" in body and 'data-version="2"' in body


def test_htmx_save_reports_a_missing_comment(client, login_as, world):
    login_as(world.members[0])
    response = client.post(_save_url(world, world.direct), data={"value": "5", "version": ""})
    assert response.status_code == 422
    assert "save-error" in response.get_data(as_text=True)


def test_conflict_of_interest_refusal_says_why(client, login_as, db_session, world):
    member = world.members[0]
    member.grants.append(RoleGrant(role=Role.UNIT_HEAD, scope_unit=world.units[0]))
    db_session.commit()
    login_as(member)
    response = client.get(
        url_for("sheets.sheet", period_id=world.period.id, unit_id=world.units[0].id)
    )
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert "Bạn không thể chấm Phường Cửa Nam" in body and "xung đột lợi ích" in body
    saved = client.post(_save_url(world, world.direct), data={"value": "8", "version": ""})
    assert saved.status_code == 403
    assert db_session.scalar(select(ScoreSheet)) is None


def test_sheet_page_and_submit_then_read_only(client, login_as, db_session, world):
    score_all(db_session, world, world.members[0], world.units[0], (800, 1, 0, 0), submit=False)
    login_as(world.members[0])
    url = url_for("sheets.sheet", period_id=world.period.id, unit_id=world.units[0].id)
    page = client.get(url).get_data(as_text=True)
    assert 'hx-post="' in page and "Đạt chỉ tiêu" in page  # the self-score's note
    sheet = db_session.scalar(select(ScoreSheet))
    response = client.post(
        url_for("sheets.submit", period_id=world.period.id, unit_id=world.units[0].id),
        data={"version": sheet.version, "next": world.units[1].id},
    )
    assert response.headers["Location"].endswith(
        url_for("sheets.sheet", period_id=world.period.id, unit_id=world.units[1].id)
    )
    page = client.get(url).get_data(as_text=True)
    assert 'hx-post="' not in page and "disabled" in page


def test_members_of_another_province_see_nothing(client, login_as, world, make):
    login_as(make.board_member(scope=make.province()))
    url = url_for("sheets.sheet", period_id=world.period.id, unit_id=world.units[0].id)
    assert client.get(url).status_code == 404


def test_evidence_is_shown_to_the_board_only(client, login_as, app, world, make):
    from emulation.assessments.evidence import stored_path

    item = make.evidence(assessment=world.assessments[0], mime="image/png", criterion=world.direct)
    path = stored_path(app.config["EVIDENCE_DIR"], item.stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\nrest")
    login_as(world.members[1])
    response = client.get(url_for("sheets.evidence", evidence_id=item.id))
    assert response.status_code == 200 and response.data == b"\x89PNG\r\n\x1a\nrest"
    assert response.headers["Content-Disposition"].startswith("inline")
    download = client.get(url_for("sheets.evidence", evidence_id=item.id, download=1))
    assert download.headers["Content-Disposition"].startswith("attachment")
    client.post("/auth/logout")
    login_as(make.board_member(scope=world.province))  # a scorer of the province, on no board
    assert client.get(url_for("sheets.evidence", evidence_id=item.id)).status_code == 404


def test_the_chair_sees_the_board_and_others_do_not(client, login_as, db_session, world, make):
    score_all(db_session, world, world.members[0], world.units[0], (600, 1, 0, 0))
    score_all(db_session, world, world.members[1], world.units[0], (900, 0, 0, 0))
    login_as(world.chair)
    page = client.get(url_for("chair.board", board_id=world.board.id)).get_data(as_text=True)
    # Member 1 against the board's mean on 1.1, 1.2, T, V: (-1.5 + 2.5 + 0 + 0) / 4 = +0.25.
    assert "Thành viên 1" in page and "+0,25" in page
    unit_page = client.get(
        url_for("chair.unit", board_id=world.board.id, unit_id=world.units[0].id)
    ).get_data(as_text=True)
    assert "Khác tự chấm" in unit_page
    client.post("/auth/logout")
    login_as(world.members[0])
    assert client.get(url_for("chair.board", board_id=world.board.id)).status_code == 403
    assert client.post(url_for("chair.finalise", board_id=world.board.id)).status_code == 403


def test_a_deviation_that_rounds_to_zero_shows_zero(client, login_as, db_session, world):
    score_all(db_session, world, world.members[0], world.units[0], (601, 1, 0, 0))
    score_all(db_session, world, world.members[1], world.units[0], (600, 1, 0, 0))
    login_as(world.chair)
    page = client.get(url_for("chair.board", board_id=world.board.id)).get_data(as_text=True)
    # Member 1 against the board's mean on 1.1, 1.2, T, V: (+0.005 + 0 + 0 + 0) / 4, which
    # is 0.125 hundredths: shown as 0 points with no sign (member 2 likewise below).
    shown = re.findall(r"Thành viên (\d)</td>\s*<td class=\"num\">([^<]*)</td>", page)
    assert shown == [("1", "0"), ("2", "0")]


def test_explanation_through_the_pages(client, login_as, db_session, world, make):
    score_all(db_session, world, world.members[0], world.units[0], (600, 1, 0, 0))
    login_as(world.chair)
    deadline = (date.today() + timedelta(days=5)).isoformat()
    client.post(
        url_for("chair.request_explanation", board_id=world.board.id, unit_id=world.units[0].id),
        data={"deadline": deadline, "message": "Giải trình tiêu chí 1.1"},
    )
    explanation = db_session.scalar(select(Explanation))
    assert explanation is not None and explanation.deadline > utcnow()
    client.post("/auth/logout")
    head = make.unit_head(unit=world.units[0])
    login_as(head)
    home = client.get(url_for("assessments.my_unit")).get_data(as_text=True)
    assert url_for("appraisal.explanation", explanation_id=explanation.id) in home
    url = url_for("appraisal.explanation", explanation_id=explanation.id)
    page = client.get(url).get_data(as_text=True)
    assert "Giải trình tiêu chí 1.1" in page and "Khác tự chấm" in page
    response = client.post(
        url, data={f"answer-{world.direct.id}": "Đã bổ sung biên bản", "version": "1"}
    )
    assert response.status_code == 302
    db_session.refresh(explanation)
    assert [a.text for a in explanation.answers] == ["Đã bổ sung biên bản"]
    client.post("/auth/logout")
    login_as(make.unit_head(unit=world.units[1]))
    assert client.get(url).status_code == 404


def test_publish_page_refuses_with_the_list_then_publishes(
    client, login_as, db_session, world, make
):
    admin = make.admin()
    login_as(admin)
    url = url_for("chair.publish_period", period_id=world.period.id)
    client.post(url)
    page = client.get(url_for("chair.publish_page", period_id=world.period.id))
    assert "Hội đồng thẩm định thử" in page.get_data(as_text=True)
    db_session.refresh(world.period)
    assert world.period.status is PeriodStatus.SCORING
    world.board.finalised_at = utcnow()
    db_session.commit()
    client.post(url)
    db_session.refresh(world.period)
    assert world.period.status is PeriodStatus.PUBLISHED
