"""Units: search, move, rename, retire, merge (clusters: `cluster_services`).

Callers check the admin's scope on the objects they pass in (views with `authz.require`);
these functions enforce the tree's own rules and record every change in the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import String, func, literal, or_, select, update
from sqlalchemy.orm import Session

from emulation.audit import services as audit
from emulation.errors import InvalidInput, InvalidState
from emulation.org.models import (
    Unit,
    UnitKind,
    in_subtree,
    subtree_clause,
)
from emulation.org.validation import code_problem, name_problem
from emulation.text import fold


def unit_state(unit: Unit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind.value,
        "parent": unit.parent.code if unit.parent else None,
        "active": unit.active,
        "cluster": unit.cluster.code if unit.cluster else None,
    }


# --- reading ------------------------------------------------------------------------------
def search_units(
    session: Session, *, text: str, scope_paths: Sequence[str], include_retired=False, limit=50
) -> list[Unit]:
    """Units whose folded name contains `text` (diacritics ignored) or whose code starts with it."""
    folded = fold(text)
    if not folded or not scope_paths:
        return []
    pattern = "%" + folded.replace("\\", "").replace("%", "").replace("_", "") + "%"
    query = (
        select(Unit)
        .where(
            or_(
                Unit.name_folded.like(pattern), Unit.code.startswith(text.strip(), autoescape=True)
            ),
            subtree_clause(Unit.path, scope_paths),
        )
        .order_by(Unit.depth, Unit.name_folded, Unit.code)
        .limit(limit)
    )
    if not include_retired:
        query = query.where(Unit.active.is_(True))
    return list(session.scalars(query))


def active_unit_counts(session: Session) -> dict[UnitKind, int]:
    """{kind: number of active units of that kind}."""
    query = select(Unit.kind, func.count()).where(Unit.active.is_(True)).group_by(Unit.kind)
    return dict(session.execute(query).all())


def child_units(session: Session, unit: Unit, *, include_retired: bool = False) -> list[Unit]:
    query = select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.code)
    if not include_retired:
        query = query.where(Unit.active.is_(True))
    return list(session.scalars(query))


def child_counts(session: Session, units: Sequence[Unit]) -> dict[int, int]:
    """Number of active children of each unit, in one query."""
    if not units:
        return {}
    rows = session.execute(
        select(Unit.parent_id, func.count())
        .where(Unit.parent_id.in_([u.id for u in units]), Unit.active.is_(True))
        .group_by(Unit.parent_id)
    ).all()
    return dict(rows)


def ancestors(session: Session, unit: Unit) -> list[Unit]:
    codes = [c for c in unit.path.strip("/").split("/")[:-1] if c]
    if not codes:
        return []
    found = {u.code: u for u in session.scalars(select(Unit).where(Unit.code.in_(codes)))}
    return [found[c] for c in codes if c in found]


def merged_sources(session: Session, unit: Unit) -> list[Unit]:
    return list(
        session.scalars(select(Unit).where(Unit.merged_into_id == unit.id).order_by(Unit.code))
    )


# --- changing units -----------------------------------------------------------------------
def rename_unit(session: Session, *, unit: Unit, name: str, actor, ip: str = "") -> Unit:
    """Give the unit a new name (the folded search form follows)."""
    name = " ".join(name.split())
    if problem := name_problem(name):
        raise InvalidInput(problem)
    before = unit_state(unit)
    unit.rename(name)
    audit.record(
        session,
        actor,
        "unit.renamed",
        unit,
        before=before,
        after=unit_state(unit),
        scope_path=unit.path,
        ip=ip,
    )
    return unit


def move_unit(session: Session, *, unit: Unit, new_parent: Unit, actor, ip: str = "") -> Unit:
    """Put `unit` under `new_parent`; path and depth of the whole subtree follow in one UPDATE."""
    if in_subtree(new_parent.path, unit.path):
        raise InvalidInput(_("A unit cannot be moved under itself or one of its sub-units."))
    if not new_parent.active:
        raise InvalidInput(_("The new parent unit is retired."))
    if unit.parent_id == new_parent.id:
        return unit
    before = unit_state(unit)
    old_path, new_path = unit.path, f"{new_parent.path}{unit.code}/"
    delta = new_parent.depth + 1 - unit.depth
    session.flush()
    session.execute(
        update(Unit)
        .where(subtree_clause(Unit.path, [old_path]))
        .values(
            path=literal(new_path, String).concat(func.substr(Unit.path, len(old_path) + 1)),
            depth=Unit.depth + delta,
        )
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Unit)
        .where(Unit.id == unit.id)
        .values(parent_id=new_parent.id)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    audit.record(
        session,
        actor,
        "unit.moved",
        unit,
        before=before,
        after=unit_state(unit),
        scope_path=unit.path,
        ip=ip,
    )
    return unit


def retire_unit(
    session: Session, *, unit: Unit, on: date, actor, merged_into: Unit | None = None, ip=""
) -> Unit:
    """Mark the unit inactive from `on`; its history (scores, standings) stays."""
    if not unit.active:
        raise InvalidState(_("Unit %(code)s is already retired.", code=unit.code))
    if unit.parent_id is None:
        raise InvalidInput(_("The top unit cannot be retired."))
    active_children = session.scalar(
        select(func.count()).where(Unit.parent_id == unit.id, Unit.active.is_(True))
    )
    if active_children and merged_into is None:
        raise InvalidState(_("Retire or move the sub-units of %(code)s first.", code=unit.code))
    before = unit_state(unit)
    unit.active, unit.retired_on, unit.merged_into = False, on, merged_into
    after = unit_state(unit) | {"retired_on": on.isoformat()}
    if merged_into is not None:
        after["merged_into"] = merged_into.code
    audit.record(
        session,
        actor,
        "unit.retired",
        unit,
        before=before,
        after=after,
        scope_path=unit.path,
        ip=ip,
    )
    return unit


@dataclass(frozen=True)
class NewUnit:
    code: str
    name: str
    kind: UnitKind
    parent: Unit


def create_unit(session: Session, *, data: NewUnit, actor, ip: str = "") -> Unit:
    """Add a unit under an active parent."""
    code = data.code.strip()
    if problem := code_problem(code):
        raise InvalidInput(problem)
    if session.scalar(select(Unit.id).where(Unit.code == code)) is not None:
        raise InvalidInput(_("The code %(code)s is already used.", code=code))
    if not data.parent.active:
        raise InvalidInput(_("The new parent unit is retired."))
    name = " ".join(data.name.split())
    if problem := name_problem(name):
        raise InvalidInput(problem)
    unit = Unit(code=code, name=name, kind=data.kind, parent=data.parent)
    session.add(unit)
    session.flush()
    audit.record(
        session, actor, "unit.created", unit, after=unit_state(unit), scope_path=unit.path, ip=ip
    )
    return unit


def merge_units(
    session: Session,
    *,
    sources: Sequence[Unit],
    target: Unit | None = None,
    new: NewUnit | None = None,
    on: date,
    actor,
    ip: str = "",
) -> Unit:
    """Merge old units into one (existing or new): sub-units move over, the old are retired."""
    if (target is None) == (new is None):
        raise InvalidInput(_("Choose the unit they merge into, or describe a new one."))
    if not sources:
        raise InvalidInput(_("Choose at least one unit to merge."))
    if target is not None and any(s.id == target.id for s in sources):
        raise InvalidInput(_("A unit cannot be merged into itself."))
    for source in sources:
        if not source.active:
            raise InvalidState(_("Unit %(code)s is already retired.", code=source.code))
        if source.parent_id is None:
            raise InvalidInput(_("The top unit cannot be retired."))
    if target is None:
        target = create_unit(session, data=new, actor=actor, ip=ip)
        shared = {s.cluster_id for s in sources}
        if len(shared) == 1 and None not in shared:
            target.cluster_id = shared.pop()
    elif not target.active:
        raise InvalidInput(_("The unit %(code)s is retired.", code=target.code))
    for source in sources:
        if in_subtree(target.path, source.path):
            raise InvalidInput(_("A unit cannot be merged into one of its own sub-units."))
        for child in child_units(session, source):
            move_unit(session, unit=child, new_parent=target, actor=actor, ip=ip)
        retire_unit(session, unit=source, on=on, actor=actor, merged_into=target, ip=ip)
    audit.record(
        session,
        actor,
        "unit.merged",
        target,
        before={"sources": [s.code for s in sources]},
        after={"into": target.code, "on": on.isoformat()},
        scope_path=target.path,
        ip=ip,
    )
    return target
