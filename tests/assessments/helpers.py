"""A small period with one criterion of every kind, and its unit, head and draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from emulation.assessments import services
from emulation.assessments.models import SelfAssessment
from emulation.campaigns.models import Criterion, Period, PeriodStatus
from emulation.campaigns.models import CriterionKind as K
from emulation.db import utcnow
from emulation.org.models import Unit

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@dataclass
class World:
    period: Period
    unit: Unit
    head: object
    c: dict[str, Criterion]  # by code

    def draft(self, make) -> SelfAssessment:
        return make.assessment(unit=self.unit, period=self.period)


def build(make, *, status=PeriodStatus.SELF_ASSESSMENT, closes_in=timedelta(days=5)) -> World:
    """Group 1 (cap 20): 1.1 direct /6, 1.2 quantitative /5 target 90 % share 80, 1.3 pass/fail
    /4 (justification required); group B (cap 10): B1 bonus 3 per item cap 6; group P (cap 5):
    P1 penalty 2 per item cap 5 (evidence required); group V: V1 veto."""
    now = utcnow()
    period = make.period(
        status=status,
        self_assessment_opens_at=now - timedelta(days=10),
        self_assessment_closes_at=now + closes_in,
        scoring_opens_at=now + closes_in,
        scoring_closes_at=now + closes_in + timedelta(days=20),
    )
    g1 = make.group(period=period, code="1", max_points=2000, position=1)
    c = {
        "1.1": make.criterion(period=period, parent=g1, code="1.1", max_points=600, position=1),
        "1.2": make.criterion(
            period=period,
            parent=g1,
            code="1.2",
            kind=K.QUANTITATIVE,
            max_points=500,
            target=9000,
            target_share_percent=80,
            measure_unit="%",
            position=2,
        ),
        "1.3": make.criterion(
            period=period,
            parent=g1,
            code="1.3",
            kind=K.PASS_FAIL,
            max_points=400,
            justification_required=True,
            position=3,
        ),
    }
    gb = make.group(period=period, code="B", max_points=1000, position=2)
    c["B1"] = make.criterion(
        period=period, parent=gb, code="B1", kind=K.BONUS, max_points=600, points_per_item=300
    )
    gp = make.group(period=period, code="P", max_points=500, position=3)
    c["P1"] = make.criterion(
        period=period,
        parent=gp,
        code="P1",
        kind=K.PENALTY,
        max_points=500,
        points_per_item=200,
        evidence_required=True,
    )
    gv = make.group(period=period, code="V", max_points=0, position=4)
    c["V1"] = make.criterion(period=period, parent=gv, code="V1", kind=K.VETO, max_points=0)
    unit = make.unit()
    return World(period, unit, make.unit_head(unit=unit), c)


def save(session, world: World, assessment, code: str, value, note: str = "", version=None):
    """Save one criterion as the unit head; `version` defaults to the current one."""
    criterion = world.c[code]
    if version is None:
        score = services.score_of(assessment, criterion.id)
        version = score.version if score is not None else 0
    return services.save_self_score(
        session,
        assessment=assessment,
        actor=world.head,
        data=services.ScoreInput(criterion.id, value, note),
        expected_version=version,
    )


def fill_complete(session, world: World, assessment) -> None:
    """A complete, submittable set of answers (no penalty, so no evidence needed)."""
    save(session, world, assessment, "1.1", 550)
    save(session, world, assessment, "1.2", 9000)
    save(session, world, assessment, "1.3", 1, note="Đạt theo biên bản kiểm tra")
    save(session, world, assessment, "B1", 1)
    save(session, world, assessment, "P1", 0)
    save(session, world, assessment, "V1", 0)
