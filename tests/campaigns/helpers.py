"""Small builders shared by the campaigns tests."""

from __future__ import annotations

from emulation.campaigns.criteria import CriterionInput
from emulation.campaigns.models import CriterionKind as K
from emulation.campaigns.models import Period


def valid_set(make, period: Period):
    """A minimal valid set: group 1 (100) = 1.1 (60) + 1.2 (40), bonus group B (10)."""
    group = make.group(period=period, code="1", max_points=10000, position=0)
    make.criterion(period=period, parent=group, code="1.1", max_points=6000, position=0)
    make.criterion(
        period=period,
        parent=group,
        code="1.2",
        kind=K.QUANTITATIVE,
        max_points=4000,
        target=7000,
        target_share_percent=80,
        measure_unit="%",
        evidence_required=True,
        position=1,
    )
    bonus = make.group(period=period, code="B", max_points=1000, position=1)
    make.criterion(
        period=period,
        parent=bonus,
        code="B1",
        kind=K.BONUS,
        max_points=600,
        points_per_item=300,
        position=0,
    )
    period.tie_break = ["total", "group:1", "fewer_penalties", "bonus"]
    make.session.commit()
    return group


def direct(code: str, points: int = 500, **kw) -> CriterionInput:
    return CriterionInput(
        code=code, kind=K.DIRECT, title_vi=f"Tiêu chí {code}", max_points=points, **kw
    )


def speak_english(client) -> None:
    """Pages in English for this client (the login clears the session, so call it after)."""
    with client.session_transaction() as session:
        session["lang"] = "en"
