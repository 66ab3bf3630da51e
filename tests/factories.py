"""Factories for every model; each returns a saved (committed) object."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy.orm import Session

from emulation.accounts.models import RecoveryCode, Role, RoleGrant, RolePolicy, User
from emulation.accounts.passwords import hash_password
from emulation.assessments.models import AssessmentStatus, Evidence, SelfAssessment, SelfScore
from emulation.audit import services as audit
from emulation.campaigns.models import (
    Campaign,
    Classification,
    Criterion,
    CriterionKind,
    Period,
    PeriodKind,
    PeriodStatus,
)
from emulation.db import utcnow
from emulation.leaderboards.models import JobRun, ScopeType, Snapshot, Standing
from emulation.org.models import Cluster, Unit, UnitKind
from emulation.scoring.models import (
    Assignment,
    Board,
    BoardMember,
    BoardScore,
    ScoreSheet,
    SheetStatus,
)

DEFAULT_PASSWORD = "correct horse battery"
_seq = itertools.count(1)


@lru_cache(maxsize=4)
def _hash(password: str) -> str:
    return hash_password(password)


class Factory:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _save(self, obj):
        self.session.add(obj)
        self.session.commit()
        return obj

    # --- org -------------------------------------------------------------------------
    def ministry(self) -> Unit:
        existing = self.session.query(Unit).filter_by(code="BCA").one_or_none()
        return existing or self._save(Unit(code="BCA", name="Bộ Công an", kind=UnitKind.MINISTRY))

    def province(self, name: str | None = None, **kw) -> Unit:
        n = next(_seq)
        kw.setdefault("code", f"P{n:03d}")
        kw.setdefault("kind", UnitKind.PROVINCE)
        return self._save(Unit(name=name or f"Tỉnh Thử {n}", parent=self.ministry(), **kw))

    def unit(self, name: str | None = None, parent: Unit | None = None, **kw) -> Unit:
        """A competing commune-level unit (a new province is made when no parent is given)."""
        n = next(_seq)
        kw.setdefault("code", f"U{n:05d}")
        kw.setdefault("kind", UnitKind.COMMUNE)
        parent = parent or self.province()
        return self._save(Unit(name=name or f"Xã Thử {n}", parent=parent, **kw))

    def cluster(self, units: list[Unit] = (), owner: Unit | None = None, **kw) -> Cluster:
        n = next(_seq)
        kw.setdefault("code", f"C{n:03d}")
        kw.setdefault("name", f"Cụm thi đua số {n}")
        cluster = self._save(Cluster(owner_unit=owner, **kw))
        for unit in units:
            unit.cluster = cluster
        self.session.commit()
        return cluster

    # --- accounts --------------------------------------------------------------------
    def user(self, roles: list[tuple[Role, Unit]] = (), password: str = DEFAULT_PASSWORD, **kw):
        n = next(_seq)
        kw.setdefault("username", f"user{n}")
        kw.setdefault("full_name", f"Người dùng {n}")
        user = User(password_hash=_hash(password), password_changed_at=utcnow(), **kw)
        for role, scope in roles:
            user.grants.append(RoleGrant(role=role, scope_unit=scope))
        return self._save(user)

    def admin(self, scope: Unit | None = None, **kw) -> User:
        return self.user(roles=[(Role.ADMIN, scope or self.ministry())], **kw)

    def unit_head(self, unit: Unit | None = None, **kw) -> User:
        return self.user(roles=[(Role.UNIT_HEAD, unit or self.unit())], **kw)

    def board_member(self, scope: Unit | None = None, chair: bool = False, **kw) -> User:
        roles = [(Role.BOARD_MEMBER, scope or self.province())]
        if chair:
            roles.append((Role.BOARD_CHAIR, roles[0][1]))
        return self.user(roles=roles, **kw)

    def viewer(self, scope: Unit | None = None, **kw) -> User:
        return self.user(roles=[(Role.VIEWER, scope or self.ministry())], **kw)

    def recovery_code(self, user: User, code_hash: str = "x") -> RecoveryCode:
        return self._save(RecoveryCode(user=user, code_hash=code_hash))

    def role_policy(self, role: Role, require_totp: bool = True) -> RolePolicy:
        return self._save(RolePolicy(role=role, require_totp=require_totp))

    # --- campaigns -------------------------------------------------------------------
    def campaign(self, **kw) -> Campaign:
        n = next(_seq)
        kw.setdefault("slug", f"campaign-{n}")
        kw.setdefault("name_vi", "Tận tụy, gắn bó, thân thiện, an toàn và an dân")
        kw.setdefault("name_en", "Dedicated, attached, friendly, safe and people-securing")
        kw.setdefault("starts_on", date(2021, 6, 1))
        return self._save(Campaign(**kw))

    def period(self, campaign: Campaign | None = None, status=PeriodStatus.DRAFT, **kw) -> Period:
        n = next(_seq)
        year = kw.pop("year", 2026)
        kw.setdefault("code", f"{year}-{n}")
        kw.setdefault("name_vi", f"Năm {year} ({n})")
        kw.setdefault("name_en", f"Year {year} ({n})")
        kw.setdefault("kind", PeriodKind.YEAR)
        kw.setdefault("starts_on", date(year, 1, 1))
        kw.setdefault("ends_on", date(year, 12, 31))
        if status not in (PeriodStatus.DRAFT, PeriodStatus.OPEN):
            kw.setdefault("criteria_frozen_at", utcnow())
        period = Period(campaign=campaign or self.campaign(), status=status, **kw)
        return self._save(period)

    def criterion(self, period: Period | None = None, parent: Criterion | None = None, **kw):
        n = next(_seq)
        kw.setdefault("code", f"K{n}")
        kw.setdefault("kind", CriterionKind.DIRECT)
        kw.setdefault("title_vi", f"Tiêu chí {n}")
        kw.setdefault("title_en", f"Criterion {n}")
        kw.setdefault("max_points", 1000)
        kw.setdefault("position", n)
        period = period or (parent.period if parent else self.period())
        return self._save(Criterion(period=period, parent=parent, **kw))

    def group(self, period: Period | None = None, **kw) -> Criterion:
        kw.setdefault("kind", CriterionKind.GROUP)
        return self.criterion(period=period, **kw)

    # --- assessments -----------------------------------------------------------------
    def assessment(self, unit: Unit | None = None, period: Period | None = None, **kw):
        period = period or self.period(status=PeriodStatus.SELF_ASSESSMENT)
        kw.setdefault("status", AssessmentStatus.DRAFT)
        return self._save(SelfAssessment(unit=unit or self.unit(), period=period, **kw))

    def self_score(self, assessment: SelfAssessment | None = None, criterion=None, **kw):
        assessment = assessment or self.assessment()
        criterion = criterion or self.criterion(period=assessment.period)
        kw.setdefault("points", 500)
        return self._save(SelfScore(assessment=assessment, criterion=criterion, **kw))

    def evidence(self, assessment: SelfAssessment | None = None, **kw) -> Evidence:
        n = next(_seq)
        kw.setdefault("original_name", f"bien-ban-{n}.pdf")
        kw.setdefault("stored_name", f"{n:032x}.pdf")
        kw.setdefault("sha256", f"{n:064x}")
        kw.setdefault("size", 1024)
        kw.setdefault("mime", "application/pdf")
        return self._save(Evidence(assessment=assessment or self.assessment(), **kw))

    # --- scoring ---------------------------------------------------------------------
    def board(self, period: Period | None = None, scope: Unit | None = None, **kw) -> Board:
        n = next(_seq)
        kw.setdefault("name", f"Hội đồng thẩm định {n}")
        period = period or self.period(status=PeriodStatus.SCORING)
        return self._save(Board(period=period, scope_unit=scope, **kw))

    def member(self, board: Board | None = None, user: User | None = None, **kw):
        board = board or self.board()
        user = user or self.board_member(scope=board.scope_unit)
        return self._save(BoardMember(board=board, user=user, **kw))

    def assignment(self, member: BoardMember | None = None, unit: Unit | None = None, **kw):
        return self._save(
            Assignment(member=member or self.member(), unit=unit or self.unit(), **kw)
        )

    def sheet(self, unit: Unit | None = None, period: Period | None = None, scorer=None, **kw):
        period = period or self.period(status=PeriodStatus.SCORING)
        kw.setdefault("status", SheetStatus.DRAFT)
        sheet = ScoreSheet(
            unit=unit or self.unit(), period=period, scorer=scorer or self.board_member(), **kw
        )
        return self._save(sheet)

    def board_score(self, sheet: ScoreSheet | None = None, criterion=None, **kw) -> BoardScore:
        sheet = sheet or self.sheet()
        criterion = criterion or self.criterion(period=sheet.period)
        kw.setdefault("points", 500)
        return self._save(BoardScore(sheet=sheet, criterion=criterion, **kw))

    # --- leaderboards ----------------------------------------------------------------
    def snapshot(self, period: Period | None = None, **kw) -> Snapshot:
        kw.setdefault("inputs_hash", f"{next(_seq):064x}")
        kw.setdefault("computed_at", utcnow())
        return self._save(Snapshot(period=period or self.period(status=PeriodStatus.SCORING), **kw))

    def standing(self, snapshot: Snapshot | None = None, unit: Unit | None = None, **kw):
        kw.setdefault("scope_type", ScopeType.NATIONAL)
        kw.setdefault("scope_key", "all")
        kw.setdefault("total", 8000)
        kw.setdefault("rank", 1)
        kw.setdefault("classification", Classification.GOOD)
        return self._save(
            Standing(snapshot=snapshot or self.snapshot(), unit=unit or self.unit(), **kw)
        )

    def job_run(self, job: str = "recompute", tick: str | None = None, **kw) -> JobRun:
        return self._save(
            JobRun(job=job, tick=tick or str(utcnow() + timedelta(seconds=next(_seq))), **kw)
        )

    # --- audit -----------------------------------------------------------------------
    def audit_event(self, action: str = "test.event", actor: User | None = None, **kw):
        event = audit.record(self.session, actor, action, **kw)
        self.session.commit()
        return event

    # --- fixture worlds (tests/worlds.py) ---------------------------------------------
    def access_world(self):
        """Provinces A and B, a user of each kind and every object a URL names (in A)."""
        from tests.worlds import build_access_world

        return build_access_world(self)

    def scoring_world(self, period: Period | None = None, **rules):
        """A scoring period with its scorers; `.default_tree()` adds the usual criteria."""
        from tests.worlds import ScoringWorld

        return ScoringWorld(self, period, **rules)

    def leaderboard_world(self, **kw):
        """Provinces, units, a cluster and one snapshot of every scope (standings written)."""
        from tests.worlds import build_leaderboard_world

        return build_leaderboard_world(self, **kw)

    def units_under(self, province: Unit, names: list[str], kind=UnitKind.COMMUNE) -> list[Unit]:
        """Many units under `province` in one commit."""
        from tests.worlds import add_units

        return add_units(self, province, names, kind)

    def rankings(self, snapshot: Snapshot, totals: dict, previous=None, groups=None) -> None:
        """Standings of every scope for `totals` {unit: points} (competition ranking)."""
        from tests.worlds import rank_all

        rank_all(self, snapshot, totals, previous, groups)


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour)
