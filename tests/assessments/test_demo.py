"""Demo self-assessments go through the services; the README names the demo heads' units."""

import random
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from emulation.accounts.models import Role
from emulation.assessments import demo, services
from emulation.assessments.models import AssessmentStatus, Evidence, SelfAssessment
from emulation.assessments.summary import layout
from emulation.assessments.windows import window_for
from emulation.audit.models import AuditEvent
from emulation.campaigns.defaults import create_default_criteria
from emulation.campaigns.models import PeriodStatus
from emulation.db import utcnow
from emulation.demo import read_official_units

ROOT = Path(__file__).resolve().parents[2]
COMPETING = {"commune", "ward", "township", "special_zone"}


def test_readme_names_the_units_the_demo_gives_the_unit_heads():
    rows = read_official_units(legacy=False)
    first_province = next(r["code"] for r in rows if r["parent_code"] == "BCA")
    # The demo heads' units: the first two competing units in tree order (path = codes).
    communes = sorted(
        (r for r in rows if r["kind"] in COMPETING and r["parent_code"] == first_province),
        key=lambda r: r["code"],
    )
    expected = [communes[0]["name"], communes[1]["name"]]
    line = next(
        line for line in (ROOT / "README.md").read_text().splitlines() if "`truong.xa1`" in line
    )
    assert re.search(re.escape(f"{expected[0]}, {expected[1]}"), line), (line, expected)


def _period(make):
    now = utcnow()
    period = make.period(
        status=PeriodStatus.SELF_ASSESSMENT,
        self_assessment_opens_at=now - timedelta(days=30),
        self_assessment_closes_at=now - timedelta(days=10),
        scoring_opens_at=now - timedelta(days=10),
        scoring_closes_at=now + timedelta(days=20),
    )
    create_default_criteria(make.session, period)
    make.session.commit()
    return period


def test_demo_self_assessments_use_the_services(app, make, db_session):
    period = _period(make)
    province = make.province()
    units = [make.unit(parent=province) for _ in range(4)]
    users = {
        "admin": make.admin(),
        "truong.xa1": make.unit_head(unit=units[0], username="truong.xa1"),
        "truong.xa2": make.unit_head(unit=units[1], username="truong.xa2"),
    }
    demo.load(
        db_session,
        period,
        users,
        lambda unit: 0.8,
        random.Random(1),
        echo=lambda text: None,
    )
    db_session.commit()
    assert period.status is PeriodStatus.SCORING
    by_unit = {a.unit_id: a for a in db_session.scalars(select(SelfAssessment))}
    criteria = [c for group in layout(period) for c in group.criteria]
    for unit in units[2:]:
        assert by_unit[unit.id].status is AssessmentStatus.SUBMITTED
        assert len(by_unit[unit.id].scores) == len(criteria) == 39
        assert services.missing_items(by_unit[unit.id], criteria) == []
    for unit in units[:2]:
        assert by_unit[unit.id].status is AssessmentStatus.DRAFT
        assert window_for(db_session, period, unit, utcnow()).is_open
    assert len(by_unit[units[0].id].scores) == 5 and by_unit[units[1].id].scores == []
    counts = dict(
        db_session.execute(
            select(AuditEvent.action, func.count()).group_by(AuditEvent.action)
        ).all()
    )
    assert counts["self_assessment.submitted"] == 2
    assert counts["self_assessment.deadline_extended"] == 2
    assert counts["evidence.added"] == db_session.scalar(select(func.count(Evidence.id)))
    # The demo head can really finish it: a save goes through now.
    head = users["truong.xa2"]
    assert head.grants[0].role is Role.UNIT_HEAD
    criterion = next(c for c in period.criteria if c.kind == "direct")
    services.save_self_score(
        db_session,
        assessment=by_unit[units[1].id],
        actor=head,
        expected_version=0,
        data=services.ScoreInput(criterion.id, 100),
    )
