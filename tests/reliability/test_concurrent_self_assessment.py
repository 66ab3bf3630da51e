"""No lost work under load (issue 12, item 10): one unit's self-assessment filled in at once.

The unit's two heads open it in three tabs each, served round-robin by two server processes.
Every tab starts the assessment (the first clicks race to create it), saves criteria with the
per-criterion version it last read (all tabs hammer criterion A, half of them also B), then
submits with the version its review page showed.

What must hold, per criterion: the saved versions are 1..N, each written on top of the version
its tab had read; the stored value is the newest saved one; every other save was a visible
conflict (409, Vietnamese). One assessment, started once; its version moved exactly once per
saved value and once for the submit (at most one). One audit event per accepted write; no 5xx,
no "database is locked", no server error; the audit chain verifies. SQLite (WAL) and
PostgreSQL."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from emulation.assessments.models import AssessmentStatus, SelfAssessment, SelfScore
from emulation.audit.models import AuditEvent
from emulation.audit.services import verify_chain
from emulation.campaigns.models import PeriodStatus
from emulation.db import utcnow
from tests.factories import DEFAULT_PASSWORD
from tests.reliability.bad_input import VIETNAMESE
from tests.reliability.live import Browser, run_threads

HEADS, TABS, ROUNDS = 2, 3, 5
SUBMIT_VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')


@dataclass(frozen=True)
class Write:
    kind: str  # "start", "save", "submit"
    criterion: int
    read: int | None
    status: int
    saved: int | None
    value: int
    body: str
    location: str = ""


def _world(make, db_session):
    now = utcnow()
    period = make.period(
        status=PeriodStatus.SELF_ASSESSMENT,
        self_assessment_opens_at=now - timedelta(days=1),
        self_assessment_closes_at=now + timedelta(days=5),
    )
    group = make.group(period=period, code="1", max_points=20000, position=1)
    a = make.criterion(period=period, parent=group, code="1.1", max_points=10000, position=1)
    b = make.criterion(period=period, parent=group, code="1.2", max_points=10000, position=2)
    unit = make.unit("Phường Đông Người")
    heads = [make.unit_head(unit=unit, username=f"truongdonvi{n}") for n in range(HEADS)]
    db_session.commit()
    return period, unit, heads, a, b


def _criterion_version(body: str, criterion_id: int) -> int:
    found = re.search(rf'id="v-{criterion_id}" value="(\d+)"', body)
    assert found, body[:2000]
    return int(found.group(1))


def test_many_tabs_filling_in_one_self_assessment_lose_nothing(
    servers, no_server_errors, make, db_session
):
    addresses, _logs = servers
    period, unit, heads, a, b = _world(make, db_session)
    browsers = []
    for i in range(HEADS * TABS):
        browser = Browser(addresses, start=i)
        browser.sign_in(heads[i % HEADS].username, DEFAULT_PASSWORD)
        browsers.append(browser)
    writes: list[Write] = []
    start_url = f"/my-unit/{unit.id}/periods/{period.id}/start"
    a_id, b_id = a.id, b.id

    def tab(i: int) -> None:
        browser = browsers[i]
        answer = browser.post(start_url, {})
        location = answer.headers.get("Location", "")
        writes.append(Write("start", 0, None, answer.status, None, 0, answer.body, location))
        page_url = location or "/my-unit/"
        page = browser.get(page_url).body
        versions = {c: _criterion_version(page, c) for c in (a_id, b_id)}  # what the tab shows
        for r in range(ROUNDS):
            criterion = b_id if (i % 2 and r % 2) else a_id
            version = versions[criterion]
            value = 100 + i * ROUNDS + r
            form = {"value": f"{value // 100},{value % 100:02d}", "note": "", "version": version}
            answer = browser.post(f"{page_url}/criteria/{criterion}", form)
            saved = _criterion_version(answer.body, criterion) if answer.status == 200 else None
            status = answer.status
            writes.append(Write("save", criterion, version, status, saved, value, answer.body))
            if saved is not None:
                versions[criterion] = saved
            else:  # the tab reloads to compare
                page = browser.get(page_url).body
                versions = {c: _criterion_version(page, c) for c in (a_id, b_id)}
        review = browser.get(f"{page_url}/submit")
        version = SUBMIT_VERSION.search(review.body)
        assert review.status == 200 and version, review.body[:2000]
        answer = browser.post(f"{page_url}/submit", {"version": version.group(1)})
        location = answer.headers.get("Location", "")
        writes.append(Write("submit", 0, None, answer.status, None, 0, answer.body, location))

    assert run_threads(tab, HEADS * TABS) == []

    statuses = Counter((w.kind, w.status) for w in writes)
    allowed = {("start", 302), ("save", 200), ("save", 409), ("submit", 302), ("submit", 200)}
    assert set(statuses) <= allowed, statuses
    assert not any("locked" in w.body.lower() for w in writes)
    for conflict in (w for w in writes if w.status == 409):
        assert 'data-state="conflict"' in conflict.body or "sa-status" in conflict.body
        assert VIETNAMESE.search(conflict.body), conflict.body

    db_session.expire_all()
    (assessment,) = db_session.scalars(select(SelfAssessment)).all()
    assert {w.location for w in writes if w.kind == "start"} == {
        f"/my-unit/assessments/{assessment.id}"
    }
    total = 0
    for criterion in (a, b):
        saves = sorted(
            (w for w in writes if w.criterion == criterion.id and w.status == 200),
            key=lambda w: w.saved,
        )
        assert [w.saved for w in saves] == list(range(1, len(saves) + 1)), saves
        assert all(w.read == w.saved - 1 for w in saves)
        score = db_session.scalar(
            select(SelfScore).where(
                SelfScore.assessment_id == assessment.id, SelfScore.criterion_id == criterion.id
            )
        )
        assert score.version == len(saves) and score.measured == saves[-1].value
        total += len(saves)
    submitted = [w for w in writes if w.kind == "submit" and w.status == 302]
    assert len(submitted) == (1 if assessment.status is AssessmentStatus.SUBMITTED else 0)
    assert assessment.version == 1 + total + len(submitted)
    assert _events(db_session, "self_assessment.started") == 1
    assert _events(db_session, "self_score.saved") == total
    assert _events(db_session, "self_assessment.submitted") == len(submitted)
    assert verify_chain(db_session).ok


def _events(db_session, action: str) -> int:
    return db_session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))
