"""No lost work under load (issue 12, item 10): board members' score sheets saved at once.

Three members each open their sheet of one unit in four tabs; two server processes (like
gunicorn's two workers) serve the tabs round-robin. Every tab saves the sheet's criterion five
times with the version it last read (as the htmx sheet does) and then submits. The sheets do
not exist at first, so the first saves also race to create them.

What must hold, per sheet: every save answered "saved" is exactly one version step (the saved
versions are 1..N, each written on top of the version its tab had read, so no accepted write
was based on a stale read); the stored value is the one of the newest saved version; every
other save was a visible conflict (409 with a Vietnamese message); one audit event per saved
write; at most one submit, counted as a version step too. Nothing is a 5xx, "database is
locked" never reaches a tab, the servers log no error, and the audit chain verifies. Runs on
SQLite (a WAL file database) and on PostgreSQL."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from emulation.audit.models import AuditEvent
from emulation.audit.services import verify_chain
from emulation.campaigns.models import PeriodStatus
from emulation.scoring.models import BoardScore, ScoreSheet, SheetStatus
from tests.factories import DEFAULT_PASSWORD
from tests.reliability.bad_input import VIETNAMESE
from tests.reliability.live import Browser, run_threads

MEMBERS, TABS, ROUNDS = 3, 4, 5
SHEET_VERSION = re.compile(r'name="version" class="sheet-version" value="(\d*)"')


@dataclass(frozen=True)
class Write:
    member: int
    kind: str  # "save" or "submit"
    read: int | None  # the version the tab sent
    status: int
    saved: int | None  # the version the server answered (X-Sheet-Version) on success
    value: int  # hundredths of a point
    body: str
    location: str = ""


def _version(answer) -> int | None:
    assert answer.status == 200, (answer.status, answer.body[:500])
    found = SHEET_VERSION.search(answer.body)
    assert found, answer.body[:2000]
    return int(found.group(1)) if found.group(1) else None


def _world(make, db_session):
    period = make.period(status=PeriodStatus.SCORING)
    criterion = make.criterion(period=period, code="1", max_points=10000)
    province = make.province("Tỉnh Tải Nặng")
    unit = make.unit("Phường Đông Người", parent=province)
    board = make.board(period=period, scope=province)
    members = []
    for n in range(MEMBERS):
        user = make.board_member(scope=province, username=f"thanhvien{n}")
        make.assignment(member=make.member(board=board, user=user), unit=unit)
        members.append(user)
    db_session.commit()
    return period, criterion, unit, members


def test_many_tabs_saving_the_same_score_sheets_lose_nothing(
    servers, no_server_errors, make, db_session
):
    addresses, _logs = servers
    period, criterion, unit, members = _world(make, db_session)
    sheet_url = f"/scoring/periods/{period.id}/units/{unit.id}"
    save_url = f"{sheet_url}/criteria/{criterion.id}"
    browsers = []
    for i in range(MEMBERS * TABS):
        browser = Browser(addresses, start=i)
        browser.sign_in(members[i % MEMBERS].username, DEFAULT_PASSWORD)
        browsers.append(browser)
    writes: list[Write] = []

    def tab(i: int) -> None:
        browser, member = browsers[i], i % MEMBERS
        version = _version(browser.get(sheet_url))
        for r in range(ROUNDS):
            value = 100 + i * ROUNDS + r
            form = {"value": f"{value // 100},{value % 100:02d}", "comment": f"Tab {i}"}
            if version is not None:
                form["version"] = str(version)
            answer = browser.post(save_url, form)
            saved = answer.headers.get("X-Sheet-Version") if answer.status == 200 else None
            writes.append(
                Write(member, "save", version, answer.status, saved and int(saved), value,
                      answer.body)
            )  # fmt: skip
            version = int(saved) if saved else _version(browser.get(sheet_url))
        answer = browser.post(f"{sheet_url}/submit", {"version": str(version or "")})
        writes.append(
            Write(member, "submit", version, answer.status, None, 0, answer.body,
                  answer.headers.get("Location", ""))
        )  # fmt: skip

    assert run_threads(tab, MEMBERS * TABS) == []

    statuses = Counter((w.kind, w.status) for w in writes)
    assert set(statuses) <= {("save", 200), ("save", 409), ("submit", 302)}, statuses
    assert not any("locked" in w.body.lower() for w in writes)
    for conflict in (w for w in writes if w.status == 409):
        # The sheet's own answer (theirs beside yours, or why not), never a whole error page.
        assert "save-conflict" in conflict.body or "save-error" in conflict.body, conflict.body
        assert VIETNAMESE.search(conflict.body), conflict.body

    db_session.expire_all()
    for n, member in enumerate(members):
        saves = sorted((w for w in writes if w.member == n and w.status == 200), key=_saved)
        sheet = db_session.scalar(select(ScoreSheet).where(ScoreSheet.scorer_id == member.id))
        # Each accepted save is one version step on top of the version its tab had read.
        assert [w.saved for w in saves] == list(range(1, len(saves) + 1)), saves
        assert all(w.read == (w.saved - 1 if w.saved > 1 else None) for w in saves)
        # A submit that went through leaves the sheet (to the queue); a refused one comes back.
        submits = [w for w in writes if w.member == n and w.kind == "submit"]
        submitted = [w for w in submits if "/units/" not in w.location]
        assert len(submitted) == (1 if sheet.status is SheetStatus.SUBMITTED else 0)
        assert sheet.version == len(saves) + len(submitted)
        score = db_session.scalar(select(BoardScore).where(BoardScore.sheet_id == sheet.id))
        assert score.points == saves[-1].value  # the newest accepted write is what is stored
        assert _events(db_session, sheet, "board_score.saved") == len(saves)
        assert _events(db_session, sheet, "score_sheet.submitted") == len(submitted)
    assert verify_chain(db_session).ok


def _saved(write: Write) -> int:
    return write.saved or 0


def _events(db_session, sheet, action: str) -> int:
    return db_session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.action == action,
            AuditEvent.object_type == "ScoreSheet",
            AuditEvent.object_id == str(sheet.id),
        )
    )
