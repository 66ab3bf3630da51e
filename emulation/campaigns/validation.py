"""Pure rules for a criteria set and a period's classification rules.

No database and no Flask app: the functions take plain dataclasses and return `Issue`s whose
`rule` key is stable (tests and imports match on it) and whose `message` is translated in the
current locale when there is one."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from emulation.campaigns.domain import (
    BASE_KINDS,
    COUNT_KINDS,
    SCORED_KINDS,
    CriterionKind,
    tie_break_keys,
)
from emulation.db import format_points

K = CriterionKind
DEFAULT_BASE_TOTAL = 10000  # 100 points
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")

MESSAGES = {
    "bad_code": _l(
        "Code “%(code)s” is not valid: use up to 20 letters, digits, dots, dashes or "
        "underscores, starting with a letter or digit."
    ),
    "title_required": _l("%(code)s: the Vietnamese title is required."),
    "negative_points": _l("%(code)s: maximum and minimum points cannot be negative."),
    "min_over_max": _l(
        "%(code)s: the minimum (%(min_points)s) is greater than the maximum (%(max_points)s)."
    ),
    "max_required": _l("%(code)s: this kind of criterion needs a maximum greater than 0."),
    "target_required": _l("%(code)s: a quantitative criterion needs a target greater than 0."),
    "share_range": _l(
        "%(code)s: the share of the maximum earned at the target must be between 1 and 100%%."
    ),
    "per_item_required": _l("%(code)s: bonus and penalty items need points per item above 0."),
    "cap_below_item": _l(
        "%(code)s: the cap (%(max_points)s) is smaller than the points per item (%(item_points)s)."
    ),
    "veto_points": _l("%(code)s: a veto condition carries no points (maximum and minimum 0)."),
    "weight_range": _l("%(code)s: the weight must be between 1 and 100%%."),
    "duplicate_code": _l("Code %(code)s is used more than once."),
    "unknown_parent": _l("%(code)s: the parent group %(parent)s does not exist."),
    "parent_not_group": _l("%(code)s: the parent %(parent)s is not a group."),
    "cycle": _l("%(code)s: the parent links form a loop."),
    "group_over": _l(
        "Group %(code)s: its items add up to %(sum_points)s points, more than the group "
        "maximum of %(max_points)s."
    ),
    "group_under": _l(
        "Group %(code)s: its items add up to %(sum_points)s points, less than the group "
        "maximum of %(max_points)s."
    ),
    "mixed_group": _l(
        "Group %(code)s mixes base criteria with bonus, penalty or veto items; give each its "
        "own group."
    ),
    "cap_required": _l(
        "Group %(code)s: a bonus or penalty group needs a cap (maximum) greater than 0."
    ),
    "veto_group_points": _l("Group %(code)s: a group of veto conditions carries no points."),
    "empty_group": _l("Group %(code)s has no criteria yet."),
    "base_total": _l("The base groups add up to %(sum_points)s points instead of %(max_points)s."),
    "empty_set": _l("The criteria set is empty."),
    "bands_order": _l("The bands must decrease strictly: excellent > good > completed."),
    "band_range": _l(
        "Every band must lie between 0 and the maximum possible total (%(max_points)s)."
    ),
    "cap_range": _l("The cap on “excellent” must be between 1 and 100%%, or left empty."),
    "tie_empty": _l("The tie-break chain cannot be empty."),
    "tie_start": _l("The tie-break chain must start with the total."),
    "tie_duplicate": _l("The tie-break key “%(key)s” is used more than once."),
    "tie_unknown": _l("The tie-break key “%(key)s” is not known."),
}


def _locale() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "vi"


@dataclass(frozen=True)
class Issue:
    rule: str
    code: str | None = None
    params: tuple[tuple[str, object], ...] = ()
    warning: bool = False

    @property
    def message(self) -> str:
        lang = _locale()
        values: dict[str, object] = {"code": self.code or ""}
        for key, value in self.params:
            values[key] = format_points(value, lang) if key.endswith("_points") else value
        return str(MESSAGES[self.rule]) % values

    def __str__(self) -> str:
        return self.message


def issue(rule: str, code: str | None = None, *, warning: bool = False, **params) -> Issue:
    return Issue(rule, code, tuple(sorted(params.items())), warning)


@dataclass(frozen=True)
class Node:
    """What the rules need of one criterion (points in hundredths)."""

    code: str
    kind: CriterionKind
    parent_code: str | None = None
    title_vi: str = "—"
    max_points: int = 0
    min_points: int = 0
    points_per_item: int | None = None
    target: int | None = None
    target_share_percent: int | None = None
    weight_percent: int = 100


_NODE_FIELDS = tuple(f.name for f in fields(Node) if f.name != "parent_code")


def node_of(source: Any, parent_code: str | None) -> Node:
    """The rules' view of a `CriterionInput` or a stored criterion (None points count 0)."""
    values = {name: getattr(source, name) for name in _NODE_FIELDS}
    values["max_points"] = values["max_points"] or 0
    values["min_points"] = values["min_points"] or 0
    if values["weight_percent"] is None:
        values["weight_percent"] = 100
    return Node(parent_code=parent_code, **values)


@dataclass
class Report:
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    base_total: int = 0
    bonus_cap: int = 0
    penalty_cap: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def max_possible(self) -> int:
        return self.base_total + self.bonus_cap

    def add(self, found: Iterable[Issue]) -> None:
        for item in found:
            (self.warnings if item.warning else self.errors).append(item)


def check_node(node: Node) -> list[Issue]:
    """Rules of one node taken alone (format, points and the fields its kind needs)."""
    found: list[Issue] = []
    code = node.code
    if not CODE_RE.match(code or ""):
        found.append(issue("bad_code", code))
    if not (node.title_vi or "").strip():
        found.append(issue("title_required", code))
    if node.max_points < 0 or node.min_points < 0:
        found.append(issue("negative_points", code))
    elif node.min_points > node.max_points:
        found.append(
            issue("min_over_max", code, min_points=node.min_points, max_points=node.max_points)
        )
    if node.kind in SCORED_KINDS and node.max_points == 0:
        found.append(issue("max_required", code))
    if node.kind is K.QUANTITATIVE:
        if node.target is None or node.target <= 0:
            found.append(issue("target_required", code))
        share = node.target_share_percent
        if share is None or not 0 < share <= 100:
            found.append(issue("share_range", code))
    if node.kind in COUNT_KINDS:
        per_item = node.points_per_item
        if per_item is None or per_item <= 0:
            found.append(issue("per_item_required", code))
        elif 0 < node.max_points < per_item:
            found.append(
                issue("cap_below_item", code, max_points=node.max_points, item_points=per_item)
            )
    if node.kind is K.VETO and (node.max_points or node.min_points or node.points_per_item):
        found.append(issue("veto_points", code))
    if not 1 <= node.weight_percent <= 100:
        found.append(issue("weight_range", code))
    return found


def _structure(nodes: Sequence[Node], report: Report) -> dict[str, list[Node]] | None:
    """Codes, parents and loops; returns children by parent code, or None when broken."""
    by_code: dict[str, Node] = {}
    for node in nodes:
        if node.code in by_code:
            report.errors.append(issue("duplicate_code", node.code))
        by_code[node.code] = node
    children: dict[str, list[Node]] = {}
    broken = False
    for node in nodes:
        parent = node.parent_code
        if parent is None:
            continue
        if parent not in by_code:
            report.errors.append(issue("unknown_parent", node.code, parent=parent))
            broken = True
        elif by_code[parent].kind is not K.GROUP:
            report.errors.append(issue("parent_not_group", node.code, parent=parent))
            broken = True
        children.setdefault(parent, []).append(node)
    for node in nodes:
        seen, current = {node.code}, node.parent_code
        while current is not None and current in by_code:
            if current in seen:
                report.errors.append(issue("cycle", node.code))
                return None
            seen.add(current)
            current = by_code[current].parent_code
    return None if broken else children


def category(node: Node, children: dict[str, list[Node]]) -> str:
    """'base', 'bonus', 'penalty', 'veto', 'empty' or 'mixed' from the leaves below a node."""
    if node.kind is not K.GROUP:
        return "base" if node.kind in BASE_KINDS else str(node.kind)
    kinds = {category(child, children) for child in children.get(node.code, [])} - {"empty"}
    if not kinds:
        return "empty"
    return kinds.pop() if len(kinds) == 1 else "mixed"


def _check_group(node: Node, kids: list[Node], cat: str) -> list[Issue]:
    code = node.code
    if cat == "empty":
        return [issue("empty_group", code, warning=True)]
    if cat == "mixed":
        return [issue("mixed_group", code)]
    if cat in ("bonus", "penalty"):
        return [] if node.max_points > 0 else [issue("cap_required", code)]
    if cat == "veto":
        return [issue("veto_group_points", code)] if node.max_points else []
    total = sum(child.max_points for child in kids)
    if total > node.max_points:
        return [issue("group_over", code, sum_points=total, max_points=node.max_points)]
    if total < node.max_points:
        return [
            issue("group_under", code, warning=True, sum_points=total, max_points=node.max_points)
        ]
    return []


def validate_set(nodes: Sequence[Node], expected_base_total: int = DEFAULT_BASE_TOTAL) -> Report:
    """Every rule of a criteria set: node rules, structure, group sums and the base total."""
    report = Report()
    if not nodes:
        report.errors.append(issue("empty_set"))
        return report
    for node in nodes:
        report.add(check_node(node))
    children = _structure(nodes, report)
    if children is None:
        return report
    for node in nodes:
        cat = category(node, children)
        if node.kind is K.GROUP:
            report.add(_check_group(node, children.get(node.code, []), cat))
        if node.parent_code is None:
            cap = node.max_points
            if cat == "base":
                report.base_total += cap
            elif cat == "bonus":
                report.bonus_cap += cap
            elif cat == "penalty":
                report.penalty_cap += cap
    if report.base_total != expected_base_total:
        report.warnings.append(
            issue(
                "base_total",
                warning=True,
                sum_points=report.base_total,
                max_points=expected_base_total,
            )
        )
    return report


@dataclass(frozen=True)
class Rules:
    """A period's classification rules (bands in hundredths)."""

    band_excellent: int
    band_good: int
    band_completed: int
    excellent_cap_percent: int | None
    tie_break: tuple[str, ...]


def validate_rules(rules: Rules, *, group_codes: Iterable[str], max_possible: int) -> list[Issue]:
    """Bands strictly decreasing within 0..max possible, the cap, the tie-break chain."""
    found: list[Issue] = []
    bands = (rules.band_excellent, rules.band_good, rules.band_completed)
    if not bands[0] > bands[1] > bands[2]:
        found.append(issue("bands_order"))
    if any(band < 0 or band > max_possible for band in bands):
        found.append(issue("band_range", max_points=max_possible))
    cap = rules.excellent_cap_percent
    if cap is not None and not 1 <= cap <= 100:
        found.append(issue("cap_range"))
    chain = list(rules.tie_break)
    if not chain:
        return [*found, issue("tie_empty")]
    if chain[0] != "total":
        found.append(issue("tie_start"))
    known = set(tie_break_keys(group_codes))
    seen: set[str] = set()
    for key in chain:
        if key not in known:
            found.append(issue("tie_unknown", key=key))
        elif key in seen:
            found.append(issue("tie_duplicate", key=key))
        seen.add(key)
    return found
