"""Presentation helpers shared by the public leaderboard pages, exports and the API:
scope choice, scope labels, group columns and the ranking-rules text."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from emulation.campaigns.domain import group_of_key
from emulation.campaigns.models import Criterion, CriterionKind, Period
from emulation.labels import tie_break_label, unit_kind_label
from emulation.leaderboards import queries
from emulation.leaderboards.models import ScopeType, Snapshot

SCOPE_LABELS = OrderedDict(
    [
        (ScopeType.NATIONAL, _l("National")),
        (ScopeType.PROVINCE, _l("Province")),
        (ScopeType.CLUSTER, _l("Cluster")),
        (ScopeType.KIND, _l("Unit kind")),
    ]
)


@dataclass(frozen=True)
class Group:
    code: str
    title: str
    max_points: int


@dataclass(frozen=True)
class ScopeChoice:
    scope_type: ScopeType
    scope_key: str
    # {scope type: [(key, label), ...]} of the scopes present in the snapshot.
    options: dict
    label: str

    @property
    def args(self) -> dict[str, str]:
        if self.scope_type is ScopeType.NATIONAL:
            return {}
        return {"scope": self.scope_type.value, "key": self.scope_key}


_KEYS_CACHE: OrderedDict = OrderedDict()


def cached_scope_keys(session: Session, snapshot: Snapshot) -> dict[ScopeType, list[str]]:
    """Scope keys of a snapshot; snapshots never change, so a small cache is safe."""
    cache_key = (snapshot.id, snapshot.inputs_hash, snapshot.computed_at)
    if cache_key not in _KEYS_CACHE:
        _KEYS_CACHE[cache_key] = queries.scope_keys(session, snapshot)
        while len(_KEYS_CACHE) > 64:
            _KEYS_CACHE.popitem(last=False)
    return _KEYS_CACHE[cache_key]


def scope_options(session: Session, snapshot: Snapshot | None) -> dict:
    """{scope type: [(key, label), ...]} sorted by label."""
    if snapshot is None:
        return {scope: [] for scope in SCOPE_LABELS}
    keys = cached_scope_keys(session, snapshot)
    names = queries.names_of_scope_keys(session, keys)
    options = {}
    for scope in SCOPE_LABELS:
        pairs = [(key, _key_label(scope, key, names)) for key in keys.get(scope, [])]
        options[scope] = sorted(pairs, key=lambda pair: pair[1])
    return options


def _key_label(scope: ScopeType, key: str, names: dict) -> str:
    if scope is ScopeType.NATIONAL:
        return str(SCOPE_LABELS[scope])
    if scope is ScopeType.KIND:
        return unit_kind_label(key)
    return names.get((scope, key), key)


def choose_scope(
    session: Session, snapshot: Snapshot | None, scope: str | None, key: str | None
) -> ScopeChoice:
    """The scope asked for; 404 for an unknown scope type or a key absent from the snapshot."""
    try:
        scope_type = ScopeType(scope or ScopeType.NATIONAL.value)
    except ValueError:
        abort(404)
    options = scope_options(session, snapshot)
    if scope_type is ScopeType.NATIONAL:
        return ScopeChoice(scope_type, "all", options, str(SCOPE_LABELS[scope_type]))
    available = dict(options[scope_type])
    if not key:
        key = next(iter(available), "")
    elif snapshot is not None and key not in available:
        abort(404)
    return ScopeChoice(scope_type, key, options, available.get(key, key))


EXTRA_KINDS = frozenset({CriterionKind.BONUS, CriterionKind.PENALTY, CriterionKind.VETO})


def groups_of(period: Period, locale: str) -> list[Group]:
    """Top-level groups of base criteria, in order, with their maximum points (groups holding
    only bonus, penalty or veto items are left out: bonus and penalty have their own columns)."""
    children: dict[int | None, list[Criterion]] = {}
    for criterion in period.criteria:  # one query, then grouped here (no lazy load per group)
        children.setdefault(criterion.parent_id, []).append(criterion)
    groups = []
    for c in children.get(None, []):
        kids = children.get(c.id, [])
        if c.kind is not CriterionKind.GROUP or (kids and all(k.kind in EXTRA_KINDS for k in kids)):
            continue
        base_max = sum(k.max_points for k in kids if k.kind not in EXTRA_KINDS)
        groups.append(Group(c.code, c.title(locale), c.max_points or base_max))
    return groups


def tie_break_text(key: str, period: Period, locale: str) -> str:
    """One step of the tie-break chain in words, with the group's title added so visitors
    need not look the code up."""
    label = tie_break_label(key)
    group = group_of_key(key)
    if group is not None:
        title = {g.code: g.title for g in groups_of(period, locale)}.get(group)
        if title and title not in label:
            label = f"{label} ({title})"
    return label
