"""The balanced split, property-style over many sizes (pure function, no database)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from emulation.scoring.boards import balanced_pairs

SIZES = [
    (u, m, n)
    for u in (0, 1, 2, 5, 7, 13, 50, 101)
    for m in (1, 2, 3, 4, 7)
    for n in range(1, m + 1)
]


@pytest.mark.parametrize(("units", "members", "per_unit"), SIZES)
def test_every_unit_gets_n_distinct_scorers_and_loads_differ_by_at_most_one(
    units, members, per_unit
):
    pairs, short = balanced_pairs(list(range(units)), list(range(100, 100 + members)), per_unit)
    assert short == []
    per = Counter(u for _m, u in pairs)
    assert all(per[u] == per_unit for u in range(units))
    assert len(set(pairs)) == len(pairs)  # no member twice on a unit
    load = Counter(m for m, _u in pairs)
    loads = [load[m] for m in range(100, 100 + members)]
    assert max(loads) - min(loads) <= 1
    assert sum(loads) == units * per_unit


def test_deterministic():
    args = (list(range(40)), [5, 3, 9, 1], 2)
    assert balanced_pairs(*args) == balanced_pairs(*args)


@pytest.mark.parametrize("seed", range(20))
def test_blocked_pairs_are_never_assigned_and_shortages_reported(seed):
    rng = random.Random(seed)
    units, members = list(range(rng.randint(1, 60))), list(range(rng.randint(1, 6)))
    per_unit = rng.randint(1, len(members))
    blocked = {(m, u) for m in members for u in units if rng.random() < 0.2}
    pairs, short = balanced_pairs(units, members, per_unit, frozenset(blocked))
    assert not set(pairs) & blocked
    per = Counter(u for _m, u in pairs)
    for u in units:
        allowed = sum((m, u) not in blocked for m in members)
        assert per[u] == min(per_unit, allowed)
        assert (u in short) == (allowed < per_unit)
