"""Demo self-assessments, made through the real services (rules, points, evidence, audit).

The period under way is loaded while it is still in self-assessment: the first units of the
first province fill in, attach evidence and submit inside the window (the services are given that
moment as `now`); then the period moves on to board scoring, and the two demo unit heads get
an extension with a draft they can finish and submit right away."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from io import BytesIO

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.accounts.models import User
from emulation.assessments import services, values
from emulation.assessments.summary import layout, spec_of
from emulation.campaigns.models import Criterion, CriterionKind, Period, PeriodStatus
from emulation.campaigns.services import transition_period
from emulation.db import utcnow
from emulation.org.models import COMPETING_KINDS, PROVINCIAL_KINDS, Unit

K = CriterionKind
Echo = Callable[[str], None]
# Self-assessments (each with ~14 evidence files) for the first units of the first province,
# the demo logins' own: four clusters of twelve keep `flask demo load` quick.
PROVINCES = 1
UNITS = 48
DEMO_HEADS = ("truong.xa1", "truong.xa2")
MAX_BYTES = 20 * 1024 * 1024


def _pdf(label: str) -> bytes:
    return f"%PDF-1.4\n% demo evidence {label}\n%%EOF\n".encode()


def _value(criterion: Criterion, quality: float, rng: random.Random) -> int:
    """A plausible value of the criterion's kind for a unit of this quality (0..1)."""
    q = min(1.0, max(0.0, quality + rng.gauss(0, 0.08)))
    match criterion.kind:
        case K.DIRECT:
            return round(criterion.max_points * q / 25) * 25
        case K.QUANTITATIVE:
            top = values.upper_bound(spec_of(criterion), criterion.measure_unit)
            measured = int((criterion.target or 0) * min(1.2, max(0.3, q + 0.12))) // 100 * 100
            return min(top, measured)  # whole units, as people report them
        case K.PASS_FAIL:
            return 1 if rng.random() < q + 0.12 else 0
        case K.BONUS:
            return rng.choices((0, 1, 2), weights=(70 + 25 * (1 - q), 25 * q, 5 * q))[0]
        case K.PENALTY:
            return rng.choices((0, 1), weights=(85 + 10 * q, 15 * (1 - q)))[0]
    return 0  # veto: nothing to declare


def _note(criterion: Criterion, value: int) -> str:
    if criterion.justification_required or (criterion.kind is K.VETO and value):
        return "Theo báo cáo tổng kết của đơn vị."
    return ""


def _fill(session, assessment, criteria, actor, quality, rng, *, now, evidence_dir) -> None:
    data = []
    for criterion in criteria:
        value = _value(criterion, quality, rng)
        data.append(services.ScoreInput(criterion.id, value, _note(criterion, value)))
    scores = services.save_self_scores(
        session, assessment=assessment, actor=actor, data=data, now=now
    )
    for criterion, score in zip(criteria, scores, strict=True):
        if services.evidence_needed(criterion, score):
            label = f"{assessment.unit.code}-{criterion.code}"
            services.add_evidence(
                session, assessment=assessment, criterion_id=criterion.id, actor=actor,
                filename=f"minh-chung-{label}.pdf", stream=BytesIO(_pdf(label)),
                evidence_dir=evidence_dir, max_bytes=MAX_BYTES, now=now,
            )  # fmt: skip


def _units(session: Session) -> list[Unit]:
    provinces = session.scalars(
        select(Unit).where(Unit.kind.in_(PROVINCIAL_KINDS)).order_by(Unit.path).limit(PROVINCES)
    ).all()
    units: list[Unit] = []
    for province in provinces:
        units += session.scalars(
            select(Unit)
            .where(Unit.path.startswith(province.path), Unit.kind.in_(COMPETING_KINDS))
            .where(Unit.active.is_(True))
            .order_by(Unit.path)
        ).all()
    return units[:UNITS]


def load(session: Session, period: Period, users: dict[str, User], quality, rng, *, echo: Echo):
    """Self-assess inside the window, move the period to scoring, open the demo heads' drafts."""
    if period.status is not PeriodStatus.SELF_ASSESSMENT:
        return
    admin = users["admin"]
    heads = {u.grants[0].scope_unit_id: u for name, u in users.items() if name in DEMO_HEADS}
    criteria = [c for group in layout(period) for c in group.criteria]
    evidence_dir = current_app.config["EVIDENCE_DIR"]
    submitted = 0
    for unit in _units(session):
        if unit.id in heads:
            continue
        now = period.self_assessment_opens_at + timedelta(days=rng.randint(1, 18), hours=3)
        draft = services.start_assessment(session, unit=unit, period=period, actor=admin, now=now)
        _fill(session, draft, criteria, admin, quality(unit), rng, now=now,
              evidence_dir=evidence_dir)  # fmt: skip
        services.submit_assessment(
            session, assessment=draft, actor=admin, expected_version=None, now=now
        )
        session.commit()  # one unit at a time: small flushes, and progress survives
        submitted += 1
    transition_period(
        session, period=period, to=PeriodStatus.SCORING, actor=admin, now=period.scoring_opens_at
    )
    echo(f"Self-assessments {period.code}: {submitted} submitted; period moved to scoring.")
    _open_demo_drafts(session, period, heads, criteria, admin, rng, echo=echo)


def _open_demo_drafts(session, period, heads, criteria, admin, rng, *, echo: Echo) -> None:
    """The demo unit heads may still self-assess: an extension, and a draft to finish."""
    now = utcnow()
    until = min(now + timedelta(days=14), period.scoring_closes_at - timedelta(hours=1))
    closes = period.self_assessment_closes_at
    if until <= now or until <= closes:
        echo("Demo heads: the scoring window is over; no extension given.")
        return
    for index, (unit_id, head) in enumerate(sorted(heads.items())):
        unit = session.get(Unit, unit_id)
        services.extend_deadline(
            session, period=period, unit=unit, until=until, actor=admin,
            reason="Demo: đơn vị được gia hạn để thử tự chấm điểm trên điện thoại.",
        )  # fmt: skip
        draft = services.start_assessment(session, unit=unit, period=period, actor=head, now=now)
        if index == 0:  # the first head finds the first group filled in, with its evidence
            first = [c for c in criteria if c.parent_id == criteria[0].parent_id]
            _fill(session, draft, first, head, 0.85, rng, now=now,
                  evidence_dir=current_app.config["EVIDENCE_DIR"])  # fmt: skip
        echo(f"Demo head {head.username}: draft for {unit.name}, open until {until:%d/%m/%Y}.")
