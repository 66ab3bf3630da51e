"""Clusters (cụm thi đua): list, candidates, create, update, delete, set the members.

Callers check the admin's scope on the objects they pass in (views with `authz.require`);
these functions enforce the cluster rules and record every change in the audit log."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from emulation.audit import services as audit
from emulation.errors import InvalidInput, InvalidState
from emulation.org.models import (
    COMPETING_KINDS,
    PROVINCIAL_KINDS,
    Cluster,
    Unit,
    UnitKind,
    in_subtree,
    subtree_clause,
)


def units_by_id(session: Session, ids: Sequence[int]) -> list[Unit]:
    """The units of `ids`; an id that names no unit (stale page, forged post) is refused
    rather than silently dropped from, say, a cluster's new member list."""
    wanted = {i for i in ids if 0 < i < 2**31}  # beyond the key's range: no unit either
    found = list(session.scalars(select(Unit).where(Unit.id.in_(wanted)))) if wanted else []
    if len(found) != len(set(ids)):
        raise InvalidInput(_("One of the chosen units no longer exists. Reload the page."))
    return found


def clusters_in(session: Session, scope: ColumnElement[bool]) -> list[Cluster]:
    """Clusters whose owner unit's path meets `scope` (e.g. `authz.scope_filter`)."""
    query = (
        select(Cluster)
        .join(Unit, Unit.id == Cluster.owner_unit_id)
        .where(scope)
        .order_by(Unit.path, Cluster.code)
    )
    return list(session.scalars(query))


def cluster_candidates(session: Session, cluster: Cluster) -> list[Unit]:
    """Units that may join: provinces for a ministry cluster, competing units otherwise."""
    owner = cluster.owner_unit
    kinds = PROVINCIAL_KINDS if owner.kind is UnitKind.MINISTRY else COMPETING_KINDS
    query = (
        select(Unit)
        .where(
            subtree_clause(Unit.path, [owner.path]),
            Unit.id != owner.id,
            Unit.kind.in_(kinds),
            or_(Unit.active.is_(True), Unit.cluster_id == cluster.id),
        )
        .order_by(Unit.path)
    )
    return list(session.scalars(query))


def cluster_state(cluster: Cluster) -> dict:
    return {
        "code": cluster.code,
        "name": cluster.name,
        "owner": cluster.owner_unit.code if cluster.owner_unit else None,
    }


def _check_cluster_fields(session: Session, code: str, name: str, own_id: int | None) -> None:
    if not code or len(code) > 40 or not name or len(name) > 200:
        raise InvalidInput(_("Give the cluster a code (up to 40 characters) and a name."))
    other = session.scalar(select(Cluster.id).where(Cluster.code == code))
    if other is not None and other != own_id:
        raise InvalidInput(_("The code %(code)s is already used.", code=code))


def create_cluster(session: Session, *, code: str, name: str, owner: Unit, actor, ip="") -> Cluster:
    """A new, empty cluster under `owner` (the ministry or a province)."""
    code, name = code.strip(), " ".join(name.split())
    _check_cluster_fields(session, code, name, None)
    if owner.kind.competes or not owner.active:
        raise InvalidInput(_("A cluster belongs to the ministry, a province or a district."))
    cluster = Cluster(code=code, name=name, owner_unit=owner)
    session.add(cluster)
    session.flush()
    audit.record(
        session,
        actor,
        "cluster.created",
        cluster,
        after=cluster_state(cluster),
        scope_path=owner.path,
        ip=ip,
    )
    return cluster


def update_cluster(session: Session, *, cluster: Cluster, code: str, name: str, actor, ip=""):
    """Change a cluster's code or name."""
    code, name = code.strip(), " ".join(name.split())
    _check_cluster_fields(session, code, name, cluster.id)
    before = cluster_state(cluster)
    cluster.code, cluster.name = code, name
    audit.record(
        session,
        actor,
        "cluster.updated",
        cluster,
        before=before,
        after=cluster_state(cluster),
        scope_path=cluster.owner_unit.path,
        ip=ip,
    )
    return cluster


def delete_cluster(session: Session, *, cluster: Cluster, actor, ip: str = "") -> None:
    """Delete a cluster no board uses; its members simply leave it."""
    from emulation.scoring.models import Board

    if session.scalar(select(Board.id).where(Board.cluster_id == cluster.id).limit(1)):
        raise InvalidState(_("An evaluation board uses this cluster; it cannot be deleted."))
    before = cluster_state(cluster) | {"members": [u.code for u in cluster.units]}
    session.execute(
        update(Unit)
        .where(Unit.cluster_id == cluster.id)
        .values(cluster_id=None)
        .execution_options(synchronize_session=False)
    )
    audit.record(
        session,
        actor,
        "cluster.deleted",
        cluster,
        before=before,
        scope_path=cluster.owner_unit.path,
        ip=ip,
    )
    session.delete(cluster)
    session.flush()
    session.expire_all()


def set_cluster_members(
    session: Session, *, cluster: Cluster, units: Sequence[Unit], actor, ip: str = ""
) -> Cluster:
    """Make `units` exactly the members: below the owner, active, in no other cluster."""
    owner = cluster.owner_unit
    errors = []
    for unit in units:
        if not in_subtree(unit.path, owner.path) or unit.id == owner.id:
            errors.append(_("%(name)s is not under %(owner)s.", name=unit.name, owner=owner.name))
        elif not unit.active:
            errors.append(_("The unit %(code)s is retired.", code=unit.code))
        elif unit.cluster_id not in (None, cluster.id):
            errors.append(
                _(
                    "%(name)s is already in cluster %(cluster)s.",
                    name=unit.name,
                    cluster=unit.cluster.name,
                )
            )
    if errors:
        raise InvalidInput(_("The members were not changed."), details=errors)
    before = sorted(u.code for u in cluster.units)
    wanted = {u.id for u in units}
    for unit in list(cluster.units):
        if unit.id not in wanted:
            unit.cluster = None
    for unit in units:
        unit.cluster = cluster
    session.flush()
    audit.record(
        session,
        actor,
        "cluster.members_set",
        cluster,
        before={"members": before},
        after={"members": sorted(u.code for u in units)},
        scope_path=owner.path,
        ip=ip,
    )
    return cluster
