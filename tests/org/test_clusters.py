"""Clusters: creation, membership rules, deletion."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from emulation.audit.models import AuditEvent
from emulation.errors import InvalidInput, InvalidState
from emulation.org import cluster_services
from emulation.org.models import Cluster, Unit


def test_members_must_lie_below_the_owner(db_session, make):
    province, other = make.province(), make.province()
    inside, outside = make.unit(parent=province), make.unit(parent=other)
    cluster = cluster_services.create_cluster(
        db_session, code="K1", name="Cụm 1", owner=province, actor=None
    )
    with pytest.raises(InvalidInput) as err:
        cluster_services.set_cluster_members(
            db_session, cluster=cluster, units=[inside, outside], actor=None
        )
    assert len(err.value.details) == 1 and outside.name in err.value.details[0]
    assert inside.cluster_id is None


def test_a_unit_is_in_at_most_one_cluster(db_session, make):
    province = make.province()
    unit = make.unit(parent=province)
    first = make.cluster(owner=province, units=[unit])
    second = cluster_services.create_cluster(
        db_session, code="K2", name="Cụm 2", owner=province, actor=None
    )
    with pytest.raises(InvalidInput):
        cluster_services.set_cluster_members(db_session, cluster=second, units=[unit], actor=None)
    assert unit.cluster_id == first.id


def test_set_members_replaces_and_audits(db_session, make):
    province = make.province()
    a, b, c = (make.unit(parent=province) for _ in range(3))
    cluster = make.cluster(owner=province, units=[a, b])
    cluster_services.set_cluster_members(db_session, cluster=cluster, units=[b, c], actor=None)
    db_session.commit()
    assert {u.id for u in db_session.get(Cluster, cluster.id).units} == {b.id, c.id}
    assert db_session.get(Unit, a.id).cluster_id is None
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "cluster.members_set"))
    assert event.before["members"] == sorted([a.code, b.code])


def test_delete_releases_members_but_not_when_a_board_uses_it(db_session, make):
    province = make.province()
    unit = make.unit(parent=province)
    cluster = make.cluster(owner=province, units=[unit])
    board = make.board(scope=province, cluster=cluster)
    with pytest.raises(InvalidState):
        cluster_services.delete_cluster(db_session, cluster=cluster, actor=None)
    db_session.rollback()
    db_session.delete(db_session.get(type(board), board.id))
    db_session.commit()
    cluster_services.delete_cluster(
        db_session, cluster=db_session.get(Cluster, cluster.id), actor=None
    )
    db_session.commit()
    assert db_session.get(Unit, unit.id).cluster_id is None
    assert db_session.scalar(select(Cluster).where(Cluster.id == cluster.id)) is None


def test_duplicate_cluster_code_is_refused(db_session, make):
    province = make.province()
    make.cluster(owner=province, code="DUP")
    with pytest.raises(InvalidInput):
        cluster_services.create_cluster(
            db_session, code="DUP", name="x", owner=province, actor=None
        )
