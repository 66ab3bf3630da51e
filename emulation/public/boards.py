"""Presentation helpers shared by the public leaderboard pages, exports and the API:
scope choice, scope labels, group columns and the ranking-rules text."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from emulation.campaigns.models import Criterion, CriterionKind, Period
from emulation.labels import unit_kind_label
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


def groups_of(period: Period, locale: str) -> list[Group]:
    """Top-level criterion groups of the period, in order, with their maximum points."""
    return [
        Group(c.code, c.title(locale), c.max_points or _children_max(c))
        for c in period.top_level_criteria()
        if c.kind is CriterionKind.GROUP
    ]


def _children_max(group: Criterion) -> int:
    return sum(
        c.max_points
        for c in group.children
        if c.kind not in (CriterionKind.PENALTY, CriterionKind.VETO)
    )


def tie_break_text(key: str, period: Period, locale: str) -> str:
    """One step of the tie-break chain in words (the ranking module's wording if present)."""
    try:
        from emulation.leaderboards.ranking import tie_break_label
    except ImportError:
        tie_break_label = None
    if tie_break_label is not None:
        try:
            return str(tie_break_label(key))
        except Exception:  # an unknown key must not break the public page
            pass
    if key == "total":
        return _("Higher total points")
    if key == "fewer_penalties":
        return _("Fewer penalty points")
    if key == "unit_code":
        return _("Unit code, in ascending order")
    if key.startswith("group:"):
        code = key.partition(":")[2]
        titles = {g.code: g.title for g in groups_of(period, locale)}
        return _(
            "Higher subtotal of group %(code)s %(title)s", code=code, title=titles.get(code, "")
        )
    return key
