"""The unit head's pages: My unit, the form, save on change, conflicts, submit."""

from datetime import timedelta

from sqlalchemy import select

from emulation.accounts.models import Role
from emulation.assessments import services
from emulation.assessments.models import AssessmentStatus, SelfAssessment
from emulation.campaigns.models import PeriodStatus
from emulation.db import utcnow
from tests.assessments.helpers import build, fill_complete, save
from tests.campaigns.helpers import speak_english


def _url(draft, criterion):
    return f"/my-unit/assessments/{draft.id}/criteria/{criterion.id}"


def test_sign_in_lands_a_unit_head_on_my_unit(client, make, login_as):
    world = build(make)
    response = login_as(world.head)
    speak_english(client)
    assert response.headers["Location"].endswith("/my-unit/")
    page = client.get("/my-unit/").get_data(as_text=True)
    assert world.unit.name in page and "Start the self-assessment" in page
    assert "days" in page and "hours left" in page  # the countdown to the deadline


def test_start_then_fill_in_through_the_form(client, make, login_as, db_session):
    world = build(make)
    login_as(world.head)
    speak_english(client)
    response = client.post(f"/my-unit/{world.unit.id}/periods/{world.period.id}/start")
    draft = db_session.scalar(select(SelfAssessment).where(SelfAssessment.unit_id == world.unit.id))
    assert response.headers["Location"].endswith(f"/my-unit/assessments/{draft.id}")
    page = client.get(f"/my-unit/assessments/{draft.id}").get_data(as_text=True)
    assert 'inputmode="decimal"' in page and 'inputmode="numeric"' in page
    assert "Target 90 % gives 80% of 5 points" in page

    saved = client.post(_url(draft, world.c["1.2"]), data={"value": "45", "note": "", "version": 0})
    assert saved.status_code == 200
    body = saved.get_data(as_text=True)
    assert "2 points" in body and "provisional" in body and "Saved" in body
    assert f'id="v-{world.c["1.2"].id}" value="1"' in body  # the new version, out of band
    assert 'id="sa-stats"' in body and "1/6 criteria" in body
    assert services.score_of(draft, world.c["1.2"].id).measured == 4500


def test_bad_input_is_answered_beside_the_field_and_saves_nothing(client, make, login_as):
    world = build(make)
    draft = world.draft(make)
    login_as(world.head)
    speak_english(client)
    for text, message in [
        ("abc", "Enter a number"),
        ("-3", "cannot be negative"),
        ("7", "at most 6"),
        ("1" + "0" * 30, "far too large"),
        ("١٢", "Enter a number"),
    ]:
        response = client.post(_url(draft, world.c["1.1"]), data={"value": text, "version": 0})
        assert response.status_code == 422
        body = response.get_data(as_text=True)
        assert f'id="err-{world.c["1.1"].id}"' in body and message in body
    assert draft.scores == []


def test_vietnamese_messages_for_vietnamese_users(client, make, login_as):
    world = build(make)
    draft = world.draft(make)
    login_as(world.head)
    speak_english(client)
    with client.session_transaction() as session:
        session["lang"] = "vi"
    response = client.post(_url(draft, world.c["B1"]), data={"value": "1,5", "version": 0})
    assert "Hãy nhập số lượng là số nguyên." in response.get_data(as_text=True)


def test_two_devices_see_a_conflict_with_both_values(client, make, login_as, db_session):
    world = build(make)
    draft = world.draft(make)
    save(db_session, world, draft, "1.1", 400, note="Điện thoại", version=0)
    login_as(world.head)
    speak_english(client)
    response = client.post(
        _url(draft, world.c["1.1"]), data={"value": "5", "note": "Máy tính", "version": 0}
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert 'data-version="1"' in body and 'data-value="4"' in body
    assert "Điện thoại" in body and "Máy tính" in body and "Keep mine" in body
    assert services.score_of(draft, world.c["1.1"].id).measured == 400


def test_submit_shows_the_total_then_makes_it_read_only(client, make, login_as, db_session):
    world = build(make)
    draft = world.draft(make)
    fill_complete(db_session, world, draft)
    db_session.commit()
    login_as(world.head)
    speak_english(client)
    page = client.get(f"/my-unit/assessments/{draft.id}/submit").get_data(as_text=True)
    assert "Submit with a total of 16.5 points" in page
    response = client.post(
        f"/my-unit/assessments/{draft.id}/submit", data={"version": draft.version}
    )
    assert response.status_code == 302
    db_session.refresh(draft)
    assert draft.status is AssessmentStatus.SUBMITTED
    page = client.get(f"/my-unit/assessments/{draft.id}").get_data(as_text=True)
    assert "read-only" in page and "<fieldset disabled>" in page
    again = client.post(_url(draft, world.c["1.1"]), data={"value": "1", "version": 1})
    assert again.status_code == 409


def test_submit_of_an_incomplete_one_lists_what_is_missing_with_links(client, make, login_as):
    world = build(make)
    draft = world.draft(make)
    login_as(world.head)
    speak_english(client)
    page = client.post(
        f"/my-unit/assessments/{draft.id}/submit", data={"version": draft.version}
    ).get_data(as_text=True)
    assert "6 item(s) missing" in page
    assert f'#c-{world.c["1.2"].id}"' in page
    assert draft.status is AssessmentStatus.DRAFT


def test_a_returned_assessment_shows_the_reason_on_my_unit(client, make, login_as, db_session):
    world = build(make)
    draft = world.draft(make)
    fill_complete(db_session, world, draft)
    services.submit_assessment(
        db_session, assessment=draft, actor=world.head, expected_version=draft.version
    )
    services.return_for_revision(
        db_session, assessment=draft, actor=make.admin(), reason="Bổ sung minh chứng tiêu chí 1.3"
    )
    db_session.commit()
    login_as(world.head)
    speak_english(client)
    page = client.get("/my-unit/").get_data(as_text=True)
    assert "Returned for revision" in page and "Bổ sung minh chứng tiêu chí 1.3" in page
    form = client.get(f"/my-unit/assessments/{draft.id}").get_data(as_text=True)
    assert "<fieldset >" in form or "<fieldset>" in form  # editable again


def test_another_units_head_cannot_see_or_save(client, make, login_as):
    world = build(make)
    draft = world.draft(make)
    login_as(make.unit_head())
    assert client.get(f"/my-unit/assessments/{draft.id}").status_code == 404
    response = client.post(_url(draft, world.c["1.1"]), data={"value": "1", "version": 0})
    assert response.status_code == 404
    assert draft.scores == []


def test_an_admin_extends_one_units_deadline_with_a_reason(client, make, login_as, db_session):
    from emulation.assessments.models import DeadlineExtension

    world = build(make)
    url = f"/admin/self-assessments/{world.period.id}/units/{world.unit.id}/extend"
    login_as(make.admin(scope=make.province()))  # another province's admin
    assert client.get(url).status_code == 404
    client.post("/auth/logout")
    login_as(make.admin(scope=world.unit.parent))
    speak_english(client)
    listing = client.get(f"/admin/self-assessments/?period={world.period.id}")
    assert world.unit.name in listing.get_data(as_text=True)
    refused = client.post(url, data={"until": "01/01/2020 08:00", "reason": "Bão"})
    assert refused.status_code == 422 and "must be later" in refused.get_data(as_text=True)
    closes = world.period.self_assessment_closes_at + timedelta(days=3, hours=7)  # Vietnam time
    response = client.post(
        url, data={"until": closes.strftime("%d/%m/%Y %H:%M"), "reason": "Mất điện do bão"}
    )
    assert response.status_code == 302
    extension = db_session.scalar(select(DeadlineExtension))
    assert extension.reason == "Mất điện do bão"
    assert extension.until == (closes - timedelta(hours=7)).replace(second=0, microsecond=0)


def test_after_the_deadline_the_form_says_so_with_the_dates(client, make, login_as):
    world = build(make, closes_in=-timedelta(hours=1))
    draft = world.draft(make)
    login_as(world.head)
    speak_english(client)
    page = client.get(f"/my-unit/assessments/{draft.id}").get_data(as_text=True)
    assert "Self-assessment is not open" in page and "<fieldset disabled>" in page
    closes = world.period.self_assessment_closes_at + timedelta(hours=7)
    assert closes.strftime("%d/%m/%Y %H:%M") in page


def test_my_unit_keeps_an_older_period_the_unit_still_has_work_in(
    client, make, login_as, db_session
):
    world = build(make, status=PeriodStatus.SCORING, closes_in=-timedelta(days=1))
    draft = world.draft(make)
    other = make.unit(parent=world.unit.parent)
    other_head = make.user(roles=[(Role.UNIT_HEAD, other)])
    services.extend_deadline(
        db_session,
        period=world.period,
        unit=world.unit,
        until=utcnow() + timedelta(days=2),
        reason="Mất điện kéo dài do bão",
        actor=make.admin(),
    )
    newer = make.period(
        campaign=world.period.campaign,
        status=PeriodStatus.SELF_ASSESSMENT,
        year=2027,
        name_en="Year 2027",
        self_assessment_opens_at=utcnow() - timedelta(days=1),
        self_assessment_closes_at=utcnow() + timedelta(days=30),
    )
    db_session.commit()
    login_as(world.head)
    speak_english(client)
    page = client.get("/my-unit/").get_data(as_text=True)
    # The newest period first, and the extended 2026 draft is still reachable from My unit.
    assert page.index("Year 2027") < page.index(world.period.name_en)
    assert f"/my-unit/assessments/{draft.id}" in page
    # A unit without an extension sees only the period under way.
    client.post("/auth/logout")
    login_as(other_head)
    page = client.get("/my-unit/").get_data(as_text=True)
    assert newer.name_en in page and world.period.name_en not in page
