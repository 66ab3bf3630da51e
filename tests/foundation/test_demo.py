"""`flask demo load` builds a realistic, idempotent demo from the official unit list."""

from datetime import date

from sqlalchemy import func, select

from emulation.accounts.models import User
from emulation.audit.models import AuditEvent
from emulation.campaigns.models import Campaign, Criterion, CriterionKind, PeriodStatus
from emulation.demo import read_official_units
from emulation.org.models import Cluster, Unit, UnitKind
from emulation.scoring.models import Board, BoardScore, ScoreSheet
from emulation.scoring.queue import my_queue


def _count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_official_lists_have_the_real_counts():
    current = read_official_units(legacy=False)
    legacy = read_official_units(legacy=True)
    kinds = lambda rows: [r["kind"] for r in rows]  # noqa: E731
    assert sum(k in ("province", "city") for k in kinds(current)) == 34
    assert sum(k in ("commune", "ward", "special_zone") for k in kinds(current)) == 3321
    assert sum(k in ("province", "city") for k in kinds(legacy)) == 63
    assert kinds(legacy).count("district") == 696
    assert sum(k in ("commune", "ward", "township") for k in kinds(legacy)) == 10051
    cua_nam = next(r for r in current if r["name"] == "Phường Cửa Nam")
    assert cua_nam == {
        "code": "00073",
        "name": "Phường Cửa Nam",
        "kind": "ward",
        "parent_code": "01",
    }


def test_demo_load_for_one_province_is_complete_and_idempotent(app, db_session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load", "--provinces", "1"])
    assert result.exit_code == 0, result.output

    hanoi = db_session.scalar(select(Unit).where(Unit.code == "01"))
    assert hanoi.name == "Thành phố Hà Nội" and hanoi.kind is UnitKind.CITY
    wards = _count(db_session, Unit, Unit.parent_id == hanoi.id)
    official = [r for r in read_official_units(legacy=False) if r["parent_code"] == "01"]
    assert wards == len(official) > 100
    assert _count(db_session, Cluster) >= 2

    campaign = db_session.scalar(select(Campaign))
    assert campaign.starts_on == date(2021, 6, 1)
    statuses = {p.code: p.status for p in campaign.periods}
    assert (
        statuses["2021-6t"] is PeriodStatus.PUBLISHED and statuses["2026"] is PeriodStatus.SCORING
    )
    assert {"2021", "2022", "2023", "2024", "2025"} <= set(statuses)
    period = campaign.periods[-1]
    kinds = {c.kind for c in period.criteria}
    assert kinds == set(CriterionKind)
    leaves = _count(
        db_session, Criterion, Criterion.period_id == period.id, Criterion.kind != "group"
    )
    assert leaves == 39
    assert db_session.scalar(select(User).where(User.username == "admin")) is not None
    sheets = _count(db_session, ScoreSheet)
    scores = _count(db_session, BoardScore)
    assert sheets > 0 and scores == sheets * 39

    # The demo logins are the Hà Nội board of the period in scoring, with units left to score;
    # its sheets so far were written through the services (so they are audited).
    board = db_session.scalar(select(Board).where(Board.period_id == period.id))
    assert {m.user.username: m.is_chair for m in board.members} == {
        "chutich.hd": True,
        "thamdinh.1": False,
        "thamdinh.2": False,
    }
    for username in ("thamdinh.1", "thamdinh.2", "chutich.hd"):
        user = db_session.scalar(select(User).where(User.username == username))
        [queue] = my_queue(db_session, user)
        assert queue.board.id == board.id and 0 < queue.mine.done < queue.mine.total
    assert _count(db_session, AuditEvent, AuditEvent.action == "score_sheet.submitted") == 18
    # The units of truong.xa1/.2 are still self-assessing: no board sheet for them yet.
    heads = db_session.scalars(select(User).where(User.username.in_(("truong.xa1", "truong.xa2"))))
    waiting = {g.scope_unit_id for user in heads for g in user.grants}
    assert len(waiting) == 2
    assert not _count(
        db_session, ScoreSheet, ScoreSheet.period_id == period.id, ScoreSheet.unit_id.in_(waiting)
    )

    again = runner.invoke(args=["demo", "load", "--provinces", "1"])
    assert again.exit_code == 0, again.output
    assert "0 added" in again.output
    assert _count(db_session, ScoreSheet) == sheets and _count(db_session, BoardScore) == scores
