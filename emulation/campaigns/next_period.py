"""Propose the same period one year later: what an administrator would otherwise retype.

Pure: takes and returns plain values, so it is tested without an app."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from emulation.campaigns.services import WINDOW_FIELDS, PeriodInput

YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def next_year_text(text: str) -> str:
    """Every year 20xx written in `text`, one later ('Tổng kết năm 2026' → '… 2027')."""
    return YEAR.sub(lambda match: str(int(match.group(1)) + 1), text)


def one_year_later(day: date | datetime | None):
    """The same calendar day a year later; 29 February becomes 28 February."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@dataclass(frozen=True)
class PeriodLike:
    """What the proposal reads from a period (a `Period` has all of these)."""

    code: str
    name_vi: str
    name_en: str
    kind: object
    starts_on: date
    ends_on: date
    self_assessment_opens_at: datetime | None
    self_assessment_closes_at: datetime | None
    scoring_opens_at: datetime | None
    scoring_closes_at: datetime | None


def propose_next_year(period: PeriodLike) -> PeriodInput:
    """Code and names with their years moved on, dates and windows one year later."""
    code = next_year_text(period.code)
    return PeriodInput(
        code=code if code != period.code else "",
        name_vi=next_year_text(period.name_vi),
        name_en=next_year_text(period.name_en),
        kind=period.kind,
        starts_on=one_year_later(period.starts_on),
        ends_on=one_year_later(period.ends_on),
        **{name: one_year_later(getattr(period, name)) for name in WINDOW_FIELDS},
    )
