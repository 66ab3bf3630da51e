"""Synchronise the unit tree with an official list: a diff preview, then an all-or-nothing apply.

`plan_sync` compares the file with the database inside an import scope (a subtree) and
classifies every unit: added, renamed, moved (parent changed), reclassified (kind changed),
reactivated, cluster changed, retired (active in the scope, absent from the file), unchanged.
`apply_sync` re-plans and refuses to run if the plan differs from the one the user saw."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from emulation.audit import services as audit
from emulation.errors import Conflict, InvalidInput
from emulation.org.models import Cluster, Unit, UnitKind, in_subtree
from emulation.org.sheets import UnitRow, UnitSheet
from emulation.text import fold


@dataclass(frozen=True)
class Existing:
    id: int
    code: str
    name: str
    kind: UnitKind
    parent_code: str
    path: str
    active: bool
    cluster_code: str


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    before: dict
    after: dict


LARGE_RETIREMENT = 10


@dataclass
class SyncPlan:
    scope_code: str
    added: list[Change] = field(default_factory=list)
    renamed: list[Change] = field(default_factory=list)
    moved: list[Change] = field(default_factory=list)
    reclassified: list[Change] = field(default_factory=list)
    reactivated: list[Change] = field(default_factory=list)
    reclustered: list[Change] = field(default_factory=list)
    retired: list[Change] = field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    # final state of every row, for apply: code -> (name, kind, parent_code, cluster_code|None)
    targets: dict[str, tuple[str, UnitKind, str, str | None]] = field(default_factory=dict)

    CATEGORIES = (
        "added",
        "renamed",
        "moved",
        "reclassified",
        "reactivated",
        "reclustered",
        "retired",
    )

    @property
    def changed_codes(self) -> set[str]:
        return {c.code for cat in self.CATEGORIES for c in getattr(self, cat)}

    @property
    def large_retirement(self) -> bool:
        """Retiring this many units is confirmed by typing their number (a short file or a
        wrong scope would otherwise retire a province by mistake)."""
        return len(self.retired) >= LARGE_RETIREMENT

    @property
    def change_count(self) -> int:
        return len(self.changed_codes)

    def counts(self) -> dict[str, int]:
        return {cat: len(getattr(self, cat)) for cat in self.CATEGORIES} | {
            "unchanged": self.unchanged
        }

    def fingerprint(self) -> str:
        """Hash of every change: equal fingerprints mean apply does what the preview showed."""
        payload = {cat: [asdict(c) for c in getattr(self, cat)] for cat in self.CATEGORIES}
        payload["scope"] = self.scope_code
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()


def _existing_units(session: Session) -> dict[str, Existing]:
    parent = select(Unit.id, Unit.code).subquery()
    rows = session.execute(
        select(
            Unit.id,
            Unit.code,
            Unit.name,
            Unit.kind,
            parent.c.code,
            Unit.path,
            Unit.active,
            Cluster.code,
        )
        .outerjoin(parent, parent.c.id == Unit.parent_id)
        .outerjoin(Cluster, Cluster.id == Unit.cluster_id)
    ).all()
    return {
        r[1]: Existing(r[0], r[1], r[2], r[3], r[4] or "", r[5], r[6], r[7] or "") for r in rows
    }


def _final_paths(parents: dict[str, str]) -> tuple[dict[str, str], set[str]]:
    """code -> materialised path from the final parent map; also the codes caught in cycles."""
    paths: dict[str, str] = {}
    cyclic: set[str] = set()
    for start in parents:
        chain, code = [], start
        while code and code not in paths and code not in cyclic:
            if code in chain:
                cyclic.update(chain[chain.index(code) :])
                break
            chain.append(code)
            code = parents.get(code, "")
        base = paths.get(code, "/") if code and code not in cyclic else "/"
        if code in cyclic:
            cyclic.update(chain)
            continue
        for link in reversed(chain):
            base = paths[link] = f"{base}{link}/"
    return paths, cyclic


def _in(path: str, prefixes: list[str]) -> bool:
    return any(in_subtree(path, p) for p in prefixes)


def plan_sync(
    session: Session, *, sheet: UnitSheet, scope: Unit, allowed_paths: list[str]
) -> SyncPlan:
    """Compare `sheet` with the units under `scope`; `allowed_paths` is the admin's scope."""
    plan = SyncPlan(scope_code=scope.code)
    existing = _existing_units(session)
    clusters = dict(
        session.execute(
            select(Cluster.code, Unit.path).join(Unit, Unit.id == Cluster.owner_unit_id)
        ).all()
    )
    seen: dict[str, UnitRow] = {}
    errors: list[tuple[int, str]] = []
    for row in sheet.rows:
        if row.code in seen:
            errors.append(
                (
                    row.line,
                    _(
                        "Row %(line)d: the code %(code)s is already on row %(first)d.",
                        line=row.line,
                        code=row.code,
                        first=seen[row.code].line,
                    ),
                )
            )
            continue
        seen[row.code] = row
    parents = {code: unit.parent_code for code, unit in existing.items()}
    parents.update({code: row.parent_code for code, row in seen.items()})
    paths, cyclic = _final_paths(parents)

    in_scope = [u for u in existing.values() if in_subtree(u.path, scope.path) and u.active]
    retiring = {u.code for u in in_scope if u.code not in seen and u.code != scope.code}
    for code, row in seen.items():
        error = _row_error(row, existing, seen, retiring, cyclic, paths, scope, allowed_paths)
        if error is None and row.cluster_code:
            error = _cluster_error(row, clusters, paths)
        if error:
            errors.append((row.line, error))
            continue
        plan.targets[code] = (row.name, row.kind, row.parent_code, row.cluster_code)
        _classify(plan, row, existing.get(code), sheet.has_cluster_column)
    for code in sorted(retiring):
        unit = existing[code]
        if not _in(unit.path, allowed_paths):
            errors.append((0, _("Unit %(code)s is outside your scope.", code=code)))
            continue
        plan.retired.append(Change(code, unit.name, {"active": True}, {"active": False}))
    plan.errors = [message for _line, message in sorted(errors, key=lambda e: e[0])]
    return plan


def _row_error(row, existing, seen, retiring, cyclic, paths, scope, allowed) -> str | None:
    where = {"line": row.line, "code": row.code}
    if row.code in cyclic:
        return _("Row %(line)d (%(code)s): this parent makes the unit its own ancestor.", **where)
    old = existing.get(row.code)
    if not row.parent_code:
        if old is None or old.parent_code:
            return _("Row %(line)d (%(code)s): the parent code is empty.", **where)
    elif row.parent_code not in seen:
        parent = existing.get(row.parent_code)
        if parent is None:
            return _(
                "Row %(line)d (%(code)s): unknown parent %(parent)s.",
                parent=row.parent_code,
                **where,
            )
        if not parent.active or row.parent_code in retiring:
            return _(
                "Row %(line)d (%(code)s): the parent %(parent)s is retired or not in the file.",
                parent=row.parent_code,
                **where,
            )
    new_path = paths[row.code]
    if row.code != scope.code and not in_subtree(new_path, scope.path):
        return _("Row %(line)d (%(code)s): the unit is outside the imported scope.", **where)
    if row.code == scope.code and old is not None and old.parent_code != row.parent_code:
        return _("Row %(line)d (%(code)s): the unit is outside the imported scope.", **where)
    outside = not _in(new_path, allowed) or (old is not None and not _in(old.path, allowed))
    if outside and (old is None or _differs(row, old)):
        return _("Row %(line)d (%(code)s): the unit is outside your scope.", **where)
    return None


def _differs(row: UnitRow, old: Existing) -> bool:
    return (row.name, row.kind, row.parent_code, old.active) != (
        old.name,
        old.kind,
        old.parent_code,
        True,
    ) or (row.cluster_code is not None and row.cluster_code != old.cluster_code)


def _cluster_error(row: UnitRow, clusters: dict[str, str], paths: dict[str, str]) -> str | None:
    owner_path = clusters.get(row.cluster_code or "")
    where = {"line": row.line, "code": row.code, "cluster": row.cluster_code}
    if owner_path is None:
        return _("Row %(line)d (%(code)s): unknown cluster %(cluster)s.", **where)
    path = paths[row.code]
    if not in_subtree(path, owner_path) or path == owner_path:
        return _("Row %(line)d (%(code)s): cluster %(cluster)s belongs to another unit.", **where)
    return None


def _classify(plan: SyncPlan, row: UnitRow, old: Existing | None, with_cluster: bool) -> None:
    if old is None:
        after = {"name": row.name, "kind": row.kind.value, "parent": row.parent_code}
        if row.cluster_code:
            after["cluster"] = row.cluster_code
        plan.added.append(Change(row.code, row.name, {}, after))
        return
    changed = False
    pairs = (
        ("renamed", "name", old.name, row.name),
        ("moved", "parent", old.parent_code, row.parent_code),
        ("reclassified", "kind", old.kind.value, row.kind.value),
        ("reactivated", "active", old.active, True),
    )
    for category, key, before, after in pairs:
        if before != after:
            getattr(plan, category).append(Change(row.code, row.name, {key: before}, {key: after}))
            changed = True
    if with_cluster and (row.cluster_code or "") != old.cluster_code:
        plan.reclustered.append(
            Change(row.code, row.name, {"cluster": old.cluster_code}, {"cluster": row.cluster_code})
        )
        changed = True
    plan.unchanged += 0 if changed else 1


def apply_sync(
    session: Session,
    *,
    sheet: UnitSheet,
    scope: Unit,
    allowed_paths: list[str],
    expected_fingerprint: str | None,
    actor,
    today: date,
    source: dict | None = None,
    ip: str = "",
    confirmed_retirements: int | None = None,
) -> SyncPlan:
    """Re-plan and apply every change in one transaction (the caller commits)."""
    plan = plan_sync(session, sheet=sheet, scope=scope, allowed_paths=allowed_paths)
    if plan.errors:
        raise InvalidInput(_("Nothing was imported."), details=plan.errors)
    if expected_fingerprint is not None and plan.fingerprint() != expected_fingerprint:
        raise Conflict(
            _("The units changed since the preview. Review the new preview before applying.")
        )
    if plan.large_retirement and confirmed_retirements != len(plan.retired):
        raise InvalidInput(
            _(
                "Nothing was imported: type %(n)d, the number of units to retire, to confirm.",
                n=len(plan.retired),
            )
        )
    if plan.change_count:
        _write(session, plan, today)
    audit.record(
        session,
        actor,
        "units.imported",
        scope,
        before={"changes": _side(plan, "before")},
        after={"changes": _side(plan, "after"), "counts": plan.counts(), "source": source or {}},
        scope_path=scope.path,
        ip=ip,
    )
    return plan


def _side(plan: SyncPlan, side: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for category in plan.CATEGORIES:
        for change in getattr(plan, category):
            out.setdefault(change.code, {}).update(getattr(change, side))
    return out


def _write(session: Session, plan: SyncPlan, today: date) -> None:
    session.flush()
    existing = _existing_units(session)
    cluster_ids = dict(session.execute(select(Cluster.code, Cluster.id)).all())
    parents = {code: unit.parent_code for code, unit in existing.items()}
    parents.update({code: target[2] for code, target in plan.targets.items()})
    paths, _cyclic = _final_paths(parents)
    retired = {c.code for c in plan.retired}
    new_codes = [code for code in plan.targets if code not in existing]
    # New units level by level, so each parent has an id before its children.
    ids = {code: unit.id for code, unit in existing.items()}
    for depth in sorted({paths[c].count("/") - 2 for c in new_codes}):
        level = [c for c in new_codes if paths[c].count("/") - 2 == depth]
        values = [{"cluster_id": None} | _values(c, plan, paths, ids, cluster_ids) for c in level]
        session.execute(insert(Unit), values)
        ids.update(session.execute(select(Unit.code, Unit.id).where(Unit.code.in_(level))).all())
    rows = []
    changed = plan.changed_codes
    for code, unit in existing.items():
        target = plan.targets.get(code)
        if target is not None and (code in changed or paths[code] != unit.path):
            rows.append({"id": unit.id} | _values(code, plan, paths, ids, cluster_ids))
        elif target is None and paths[code] != unit.path:
            rows.append({"id": unit.id, "path": paths[code], "depth": paths[code].count("/") - 2})
        if code in retired:
            rows.append({"id": unit.id, "active": False, "retired_on": today})
    for chunk in _group_by_keys(rows):
        session.execute(update(Unit), chunk)
    session.expire_all()


def _values(code: str, plan: SyncPlan, paths, ids, cluster_ids) -> dict:
    name, kind, parent_code, cluster_code = plan.targets[code]
    values = {
        "code": code,
        "name": name,
        "name_folded": fold(name),
        "kind": kind,
        "parent_id": ids.get(parent_code) if parent_code else None,
        "path": paths[code],
        "depth": paths[code].count("/") - 2,
        "active": True,
        "retired_on": None,
    }
    if cluster_code is not None:
        values["cluster_id"] = cluster_ids.get(cluster_code) if cluster_code else None
    return values


def _group_by_keys(rows: list[dict]) -> list[list[dict]]:
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())
