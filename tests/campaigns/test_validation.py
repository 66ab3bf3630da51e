"""Pure validation of criteria sets and classification rules (no app, no database)."""

from __future__ import annotations

import pytest

from emulation.campaigns.models import CriterionKind as K
from emulation.campaigns.validation import (
    Node,
    Rules,
    check_node,
    tie_break_keys,
    validate_rules,
    validate_set,
)


def rules_of(issues) -> set[str]:
    return {issue.rule for issue in issues}


def base_set(group_max=10000, child_max=(6000, 4000)) -> list[Node]:
    nodes = [Node("1", K.GROUP, max_points=group_max)]
    for i, points in enumerate(child_max, start=1):
        nodes.append(Node(f"1.{i}", K.DIRECT, parent_code="1", max_points=points))
    return nodes


def test_a_balanced_set_is_valid_without_warnings():
    report = validate_set(base_set())
    assert report.ok and report.warnings == []
    assert report.base_total == 10000 and report.max_possible == 10000


@pytest.mark.parametrize(
    ("node", "rule"),
    [
        (Node("bad code!", K.DIRECT, max_points=100), "bad_code"),
        (Node("1", K.DIRECT, title_vi="  ", max_points=100), "title_required"),
        (Node("1", K.DIRECT, max_points=-100), "negative_points"),
        (Node("1", K.DIRECT, max_points=100, min_points=200), "min_over_max"),
        (Node("1", K.DIRECT, max_points=0), "max_required"),
        (Node("1", K.QUANTITATIVE, max_points=500, target_share_percent=80), "target_required"),
        (
            Node("1", K.QUANTITATIVE, max_points=500, target=0, target_share_percent=80),
            "target_required",
        ),
        (
            Node("1", K.QUANTITATIVE, max_points=500, target=100, target_share_percent=0),
            "share_range",
        ),
        (
            Node("1", K.QUANTITATIVE, max_points=500, target=100, target_share_percent=101),
            "share_range",
        ),
        (Node("1", K.BONUS, max_points=500), "per_item_required"),
        (Node("1", K.PENALTY, max_points=500, points_per_item=0), "per_item_required"),
        (Node("1", K.BONUS, max_points=100, points_per_item=300), "cap_below_item"),
        (Node("1", K.VETO, max_points=100), "veto_points"),
        (Node("1", K.VETO, points_per_item=100), "veto_points"),
        (Node("1", K.DIRECT, max_points=100, weight_percent=0), "weight_range"),
        (Node("1", K.DIRECT, max_points=100, weight_percent=101), "weight_range"),
    ],
)
def test_each_node_rule(node, rule):
    assert rule in rules_of(check_node(node))


@pytest.mark.parametrize(
    "node",
    [
        Node("1.1", K.DIRECT, max_points=600),
        Node("Q", K.QUANTITATIVE, max_points=500, target=7000, target_share_percent=100),
        Node("B1", K.BONUS, max_points=450, points_per_item=150),
        Node("V1", K.VETO),
        Node("P", K.GROUP, max_points=0),
    ],
)
def test_good_nodes_pass(node):
    assert check_node(node) == []


def test_children_above_the_group_maximum_is_an_error():
    report = validate_set(base_set(child_max=(6000, 5000)))
    assert "group_over" in rules_of(report.errors)


def test_children_below_the_group_maximum_is_a_warning():
    report = validate_set(base_set(child_max=(6000, 3000)))
    assert report.ok
    assert "group_under" in rules_of(report.warnings)


def test_base_total_other_than_100_is_only_a_warning():
    report = validate_set(base_set(group_max=8000, child_max=(4000, 4000)))
    assert report.ok
    assert rules_of(report.warnings) == {"base_total"}
    assert "80" in report.warnings[0].message


def test_bonus_group_caps_the_sum_and_needs_a_cap():
    nodes = [
        *base_set(),
        Node("B", K.GROUP, max_points=1000),
        Node("B1", K.BONUS, parent_code="B", max_points=900, points_per_item=300),
        Node("B2", K.BONUS, parent_code="B", max_points=900, points_per_item=300),
    ]
    report = validate_set(nodes)
    assert report.ok, [i.rule for i in report.errors]
    assert report.bonus_cap == 1000 and report.max_possible == 11000
    nodes[2] = Node("B", K.GROUP, max_points=0)
    assert "cap_required" in rules_of(validate_set(nodes).errors)


def test_veto_group_carries_no_points_and_mixed_groups_are_refused():
    veto = [Node("V", K.GROUP, max_points=100), Node("V1", K.VETO, parent_code="V")]
    assert "veto_group_points" in rules_of(validate_set([*base_set(), *veto]).errors)
    mixed = [
        Node("M", K.GROUP, max_points=500),
        Node("M1", K.DIRECT, parent_code="M", max_points=500),
        Node("M2", K.PENALTY, parent_code="M", max_points=500, points_per_item=100),
    ]
    assert "mixed_group" in rules_of(validate_set(mixed).errors)


def test_structure_rules_unique_codes_parents_and_loops():
    dup = [*base_set(), Node("1.1", K.DIRECT, parent_code="1", max_points=1)]
    assert "duplicate_code" in rules_of(validate_set(dup).errors)
    orphan = [Node("2.1", K.DIRECT, parent_code="2", max_points=100)]
    assert "unknown_parent" in rules_of(validate_set(orphan).errors)
    under_leaf = [Node("1", K.DIRECT, max_points=100), Node("1.1", K.DIRECT, "1", max_points=1)]
    assert "parent_not_group" in rules_of(validate_set(under_leaf).errors)
    loop = [Node("A", K.GROUP, "B", max_points=1), Node("B", K.GROUP, "A", max_points=1)]
    assert "cycle" in rules_of(validate_set(loop).errors)
    assert "empty_set" in rules_of(validate_set([]).errors)


def test_empty_group_is_a_warning():
    report = validate_set([*base_set(), Node("E", K.GROUP)])
    assert "empty_group" in rules_of(report.warnings)


def test_the_default_set_of_the_demo_is_valid():
    from emulation.campaigns.defaults import DEFAULT_SET

    def flat(nodes, parent=None):
        for n in nodes:
            yield Node(
                n.code,
                n.kind,
                parent,
                n.title_vi,
                n.max_points,
                0,
                n.points_per_item,
                n.target,
                n.target_share_percent,
            )
            yield from flat(n.children, n.code)

    report = validate_set(list(flat(DEFAULT_SET)))
    assert report.ok, [i.message for i in report.errors]
    assert report.base_total == 10000 and report.bonus_cap == 1000


def good_rules(**kw) -> Rules:
    values = {
        "band_excellent": 9000,
        "band_good": 7000,
        "band_completed": 5000,
        "excellent_cap_percent": 20,
        "tie_break": ("total", "group:4", "fewer_penalties", "bonus"),
    }
    values.update(kw)
    return Rules(**values)


def check_rules(rules: Rules) -> set[str]:
    return rules_of(validate_rules(rules, group_codes=["1", "4"], max_possible=11000))


def test_good_rules_pass():
    assert check_rules(good_rules()) == set()
    assert check_rules(good_rules(excellent_cap_percent=None)) == set()


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"band_good": 9000}, "bands_order"),
        ({"band_completed": 7500}, "bands_order"),
        ({"band_excellent": 11100}, "band_range"),
        ({"band_completed": -100}, "band_range"),
        ({"excellent_cap_percent": 0}, "cap_range"),
        ({"excellent_cap_percent": 101}, "cap_range"),
        ({"tie_break": ()}, "tie_empty"),
        ({"tie_break": ("bonus", "total")}, "tie_start"),
        ({"tie_break": ("total", "unit_code")}, "tie_unknown"),  # an arbitrary order, not a rule
        ({"aggregation": "mode"}, "aggregation"),
        ({"tie_break": ("total", "bonus", "bonus")}, "tie_duplicate"),
        ({"tie_break": ("total", "group:9")}, "tie_unknown"),
        ({"tie_break": ("total", "luck")}, "tie_unknown"),
    ],
)
def test_each_rules_rule(changes, rule):
    assert rule in check_rules(good_rules(**changes))


def test_tie_break_keys_offer_every_group():
    assert tie_break_keys(["1", "2"]) == [
        "total",
        "group:1",
        "group:2",
        "fewer_penalties",
        "bonus",
    ]
