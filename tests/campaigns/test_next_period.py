"""Preparing next year's period from this year's: the proposal (pure) and the prefilled form."""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for

from emulation.campaigns.models import PeriodKind, PeriodStatus
from emulation.campaigns.next_period import (
    PeriodLike,
    next_year_text,
    one_year_later,
    propose_next_year,
)
from tests.campaigns.helpers import speak_english


def test_years_in_codes_and_names_move_on_by_one():
    assert next_year_text("Tổng kết năm 2026") == "Tổng kết năm 2027"
    assert next_year_text("Sơ kết 6 tháng đầu (06–11/2021)") == "Sơ kết 6 tháng đầu (06–11/2022)"
    assert next_year_text("2025-2026 H1") == "2026-2027 H1"
    assert next_year_text("120260") == "120260"  # digits inside a longer number are no year


def test_the_29th_of_february_becomes_the_28th():
    assert one_year_later(date(2028, 2, 29)) == date(2029, 2, 28)
    assert one_year_later(datetime(2026, 11, 1, 1, 0)) == datetime(2027, 11, 1, 1, 0)
    assert one_year_later(None) is None


def test_the_proposal_moves_every_date_and_window_one_year_on():
    source = PeriodLike(
        code="2026",
        name_vi="Tổng kết năm 2026",
        name_en="Year 2026",
        kind=PeriodKind.YEAR,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        self_assessment_opens_at=datetime(2026, 10, 31, 17, 0),
        self_assessment_closes_at=datetime(2026, 11, 20, 17, 0),
        scoring_opens_at=None,
        scoring_closes_at=datetime(2026, 12, 10, 17, 0),
    )
    proposal = propose_next_year(source)
    assert (proposal.code, proposal.name_vi, proposal.name_en) == (
        "2027",
        "Tổng kết năm 2027",
        "Year 2027",
    )
    assert (proposal.starts_on, proposal.ends_on) == (date(2027, 1, 1), date(2027, 12, 31))
    assert proposal.self_assessment_opens_at == datetime(2027, 10, 31, 17, 0)
    assert proposal.self_assessment_closes_at == datetime(2027, 11, 20, 17, 0)
    assert proposal.scoring_opens_at is None
    assert proposal.scoring_closes_at == datetime(2027, 12, 10, 17, 0)
    assert proposal.kind is PeriodKind.YEAR


def test_a_code_without_a_year_is_left_for_the_admin_to_type():
    source = PeriodLike(
        "dot-mot", "Đợt một", "Round one", PeriodKind.STAGE, date(2026, 1, 1),
        date(2026, 6, 30), None, None, None, None,
    )  # fmt: skip
    assert propose_next_year(source).code == ""


def test_the_new_period_form_comes_prefilled_from_the_source(client, make, login_as):
    login_as(make.admin())
    speak_english(client)
    source = make.period(
        status=PeriodStatus.SCORING,
        code="2026",
        name_vi="Tổng kết năm 2026",
        name_en="Year 2026",
        self_assessment_opens_at=datetime(2026, 11, 1, 1, 0),  # 08:00 in Hanoi
    )
    page = client.get(
        url_for("campaigns.new_period", campaign_id=source.campaign_id, **{"from": source.id})
    ).get_data(as_text=True)
    assert 'value="2027"' in page
    assert 'value="Tổng kết năm 2027"' in page
    assert 'value="01/01/2027"' in page and 'value="31/12/2027"' in page
    assert 'value="01/11/2027 08:00"' in page
    assert f'<option selected value="{source.id}">' in page
    assert "Prepared from Year 2026" in page


def test_a_period_of_another_campaign_prefills_nothing(client, make, login_as):
    login_as(make.admin())
    speak_english(client)
    other = make.period(code="2026")
    campaign = make.campaign()
    page = client.get(
        url_for("campaigns.new_period", campaign_id=campaign.id, **{"from": other.id})
    ).get_data(as_text=True)
    assert 'value="2027"' not in page and "Prepared from" not in page
