"""Every model relationship, both directions, on a small saved world."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from emulation.accounts.models import Role
from emulation.campaigns.models import CriterionKind, PeriodStatus
from emulation.leaderboards.domain import ScopeType
from emulation.leaderboards.models import JobRun, Snapshot, Standing
from emulation.org.models import Unit, UnitKind, in_subtree
from emulation.scoring.models import SheetStatus


def test_unit_tree_paths_parents_children_and_clusters(make, db_session):
    province = make.province(name="Tỉnh Bắc Ninh")
    ward = make.unit(name="Phường Kinh Bắc", parent=province, kind=UnitKind.WARD)
    commune = make.unit(name="Xã Đông Cứu", parent=province)
    cluster = make.cluster(units=[ward, commune], owner=province)

    assert ward.parent is province and set(province.children) == {ward, commune}
    assert ward.path == f"/BCA/{province.code}/{ward.code}/" and ward.depth == 2
    assert in_subtree(ward.path, province.path) and not in_subtree(province.path, ward.path)
    assert ward.province is province and ward.competes and not province.competes
    assert cluster.owner_unit is province and set(cluster.units) == {ward, commune}
    assert ward.cluster is cluster
    assert ward.name_folded == "phuong kinh bac"


def test_unit_merge_keeps_the_old_unit(make, db_session):
    old, new = make.unit(), make.unit()
    old.active, old.merged_into = False, new
    db_session.commit()
    assert db_session.get(Unit, old.id).merged_into is new and not old.competes


def test_user_grants_recovery_codes_and_policy(make, db_session):
    province = make.province()
    user = make.board_member(scope=province, chair=True)
    make.recovery_code(user)
    policy = make.role_policy(Role.BOARD_MEMBER)
    assert user.roles() == {Role.BOARD_MEMBER, Role.BOARD_CHAIR}
    assert all(g.scope_unit is province and g.user is user for g in user.grants)
    assert user.recovery_codes[0].user is user
    assert policy.require_totp
    assert user.get_id() == f"{user.id}:1"


def test_role_grant_is_unique_per_user_role_scope(make, db_session):
    unit = make.unit()
    user = make.unit_head(unit=unit)
    from emulation.accounts.models import RoleGrant

    db_session.add(RoleGrant(user=user, role=Role.UNIT_HEAD, scope_unit=unit))
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()


def test_campaign_periods_criteria_tree(make, db_session):
    campaign = make.campaign()
    later = make.period(campaign, year=2026, code="2026")
    earlier = make.period(campaign, year=2025, code="2025")
    group = make.group(period=later, code="1", max_points=2000)
    child = make.criterion(parent=group, code="1.1", kind=CriterionKind.QUANTITATIVE, target=100)
    db_session.expire_all()
    assert [p.code for p in campaign.periods] == ["2025", "2026"]
    assert earlier.campaign is campaign
    assert child.parent is group and group.children == [child] and group.is_group
    assert set(later.criteria) == {group, child} and later.top_level_criteria() == [group]
    assert later.tie_break[0] == "total" and later.band_excellent == 9000


def test_period_code_unique_within_campaign(make, db_session):
    campaign = make.campaign()
    make.period(campaign, code="2025")
    with pytest.raises(IntegrityError):
        make.period(campaign, code="2025")
    db_session.rollback()


def test_self_assessment_scores_and_evidence(make, db_session):
    assessment = make.assessment()
    score = make.self_score(assessment, points=450, measured=1)
    evidence = make.evidence(assessment, criterion=score.criterion)
    assert assessment.scores == [score] and score.assessment is assessment
    assert score.criterion.period is assessment.period
    assert assessment.evidence == [evidence] and evidence.criterion is score.criterion


def test_board_members_assignments_sheets_scores(make, db_session):
    province = make.province()
    unit = make.unit(parent=province)
    board = make.board(scope=province)
    chair = make.member(board, is_chair=True)
    member = make.member(board)
    assignment = make.assignment(member, unit)
    sheet = make.sheet(unit, board.period, scorer=member.user, assignment=assignment)
    score = make.board_score(sheet, points=300, comment="Đủ hồ sơ")
    assert board.chair is chair and set(board.members) == {chair, member}
    assert member.assignments == [assignment] and assignment.unit is unit
    assert sheet.assignment is assignment and sheet.scores == [score]
    assert score.sheet is sheet and sheet.status is SheetStatus.DRAFT


def test_snapshot_standings_and_job_runs(make, db_session):
    period = make.period(status=PeriodStatus.SCORING)
    snapshot = make.snapshot(period)
    standing = make.standing(snapshot, group_subtotals={"1": 1800})
    run = make.job_run("recompute", "2026-11-26T10:05")
    assert snapshot.standings == [standing] and standing.snapshot is snapshot
    key = (snapshot.id, ScopeType.NATIONAL, "all", standing.unit_id)  # the natural key
    assert db_session.get(Standing, key).group_subtotals == {"1": 1800}
    assert db_session.scalar(select(JobRun.tick).where(JobRun.id == run.id)) == "2026-11-26T10:05"
    with pytest.raises(IntegrityError):
        make.job_run("recompute", "2026-11-26T10:05")
    db_session.rollback()


def test_a_unit_stands_once_per_scope_of_a_snapshot(make, db_session):
    snapshot, unit = make.snapshot(), make.unit()
    make.standing(snapshot, unit)
    make.standing(snapshot, unit, scope_type=ScopeType.PROVINCE, scope_key="01")  # another scope
    with pytest.raises(IntegrityError):
        make.standing(snapshot, unit, rank=2)  # the national scope again


def test_deleting_a_snapshot_removes_its_standings(make, db_session):
    snapshot = make.snapshot()
    make.standing(snapshot)
    db_session.delete(snapshot)
    db_session.commit()
    assert db_session.scalar(select(Standing.unit_id)) is None
    assert db_session.scalar(select(Snapshot.id)) is None


def test_optimistic_lock_on_score_sheet(make, db_session):
    """A write based on a stale version fails instead of overwriting (DESIGN: no lost update)."""
    from sqlalchemy import update
    from sqlalchemy.orm.exc import StaleDataError

    from emulation.extensions import db
    from emulation.scoring.models import ScoreSheet

    sheet = make.sheet()
    assert sheet.version == 1
    with db.engine.begin() as other_writer:
        other_writer.execute(update(ScoreSheet).where(ScoreSheet.id == sheet.id).values(version=2))
    sheet.status = SheetStatus.SUBMITTED
    with pytest.raises(StaleDataError):
        db_session.commit()
    db_session.rollback()
