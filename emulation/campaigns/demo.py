"""The demo's campaign and its seven periods, each with the default criteria set. Part of
`flask demo load` (emulation/demo.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.campaigns.defaults import create_default_criteria
from emulation.campaigns.models import Campaign, Period, PeriodKind
from emulation.campaigns.models import PeriodStatus as PS

Echo = Callable[[str], None]
CAMPAIGN_SLUG = "tan-tuy-gan-bo-than-thien-an-toan-an-dan"
VN_OFFSET = timedelta(hours=7)  # windows are given in Vietnam time, stored in UTC


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    name_vi: str
    name_en: str
    kind: PeriodKind
    starts_on: date
    ends_on: date
    status: PS


def _year(year: int, status: PS, starts_on: date | None = None) -> PeriodSpec:
    """A yearly review period (Tổng kết năm), 1 January (or `starts_on`) to 31 December."""
    return PeriodSpec(
        str(year),
        f"Tổng kết năm {year}",
        f"Year {year}",
        PeriodKind.YEAR,
        starts_on or date(year, 1, 1),
        date(year, 12, 31),
        status,
    )


PERIODS = (
    PeriodSpec(
        "2021-6t",
        "Sơ kết 6 tháng đầu (06–11/2021)",
        "First six months (06–11/2021)",
        PeriodKind.HALF_YEAR,
        date(2021, 6, 1),
        date(2021, 11, 30),
        PS.PUBLISHED,
    ),
    _year(2021, PS.PUBLISHED, starts_on=date(2021, 6, 1)),  # the movement began 1 June 2021
    *(_year(year, PS.PUBLISHED) for year in range(2022, 2026)),
    _year(2026, PS.SCORING),
)


def load_campaign(session: Session, *, echo: Echo) -> Campaign:
    campaign = session.scalar(select(Campaign).where(Campaign.slug == CAMPAIGN_SLUG))
    if campaign is None:
        campaign = Campaign(
            slug=CAMPAIGN_SLUG,
            name_vi="Tận tụy, gắn bó, thân thiện, an toàn và an dân",
            name_en="Dedicated, attached, friendly, safe and people-securing",
            description_vi=(
                "Phong trào thi đua đặc biệt trong Công an cấp cơ sở, phát động tại Hội nghị "
                "trực tuyến ngày 31/5/2021 và triển khai từ ngày 01/6/2021."
            ),
            description_en=(
                "Special emulation movement among grassroots police, launched at the online "
                "conference of 31 May 2021 and running from 1 June 2021."
            ),
            starts_on=date(2021, 6, 1),
        )
        session.add(campaign)
        session.flush()
    have = {p.code for p in campaign.periods}
    previous = None
    for spec in PERIODS:
        if spec.code in have:
            previous = next(p for p in campaign.periods if p.code == spec.code)
            continue
        period = _new_period(spec, campaign, previous)
        session.add(period)
        session.flush()
        create_default_criteria(session, period)
        previous = period
        echo(f"Period {spec.code}: created with the default criteria set.")
    session.flush()
    session.refresh(campaign)
    return campaign


def _vn(day: date, hour: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour) - VN_OFFSET


def _new_period(spec: PeriodSpec, campaign: Campaign, previous: Period | None) -> Period:
    review = (
        spec.ends_on.replace(day=1) if spec.ends_on.month != 12 else date(spec.ends_on.year, 11, 1)
    )
    return Period(
        campaign=campaign,
        code=spec.code,
        name_vi=spec.name_vi,
        name_en=spec.name_en,
        kind=spec.kind,
        starts_on=spec.starts_on,
        ends_on=spec.ends_on,
        # The period under way starts in self-assessment; load_demo moves it to scoring.
        status=PS.SELF_ASSESSMENT if spec.status is PS.SCORING else spec.status,
        self_assessment_opens_at=_vn(review),
        self_assessment_closes_at=_vn(review + timedelta(days=20)),
        scoring_opens_at=_vn(review + timedelta(days=20)),
        scoring_closes_at=_vn(review + timedelta(days=40)),
        criteria_frozen_at=_vn(review),
        published_at=_vn(review + timedelta(days=45)) if spec.status is PS.PUBLISHED else None,
        copied_from=previous,
        excellent_cap_percent=20,
    )
