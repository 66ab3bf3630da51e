"""The chair's reading of the board: completion, disagreements, lenient/harsh scorers."""

from __future__ import annotations

from fractions import Fraction

import pytest

from emulation.scoring import review
from tests.scoring.helpers import build, score_all


@pytest.fixture
def world(make, english):
    return build(make)


def test_completion_by_member_and_by_unit(db_session, world):
    one = world.members[0]
    score_all(db_session, world, one, world.units[0], (800, 1, 0, 0))
    score_all(db_session, world, one, world.units[1], (700, 1, 0, 0), submit=False)
    seats = review.seats(db_session, world.board)
    by_member, by_unit = review.completion(seats)
    tallies = {m.user.full_name: (t.submitted, t.in_progress, t.not_started) for m, t in by_member}
    assert tallies == {"Thành viên 1": (1, 1, 0), "Thành viên 2": (0, 0, 2)}
    units = {u.name: (t.submitted, t.total) for u, t, _seats in by_unit}
    assert units == {"Phường Cửa Nam": (1, 2), "Xã Đông Anh": (0, 2)}


def test_disagreements_and_deviations_hand_computed(db_session, world):
    one, two = world.members
    # Unit 0: direct 1.1 -> 6.0 and 9.0 (self 8.0); pass/fail 1.2 -> 5 and 0 (self 5).
    score_all(db_session, world, one, world.units[0], (600, 1, 0, 0))
    score_all(db_session, world, two, world.units[0], (900, 0, 0, 0))
    # Unit 1: direct 8.0 and 8.5 (self 8.0); pass/fail both 5.
    score_all(db_session, world, one, world.units[1], (800, 1, 0, 0))
    score_all(db_session, world, two, world.units[1], (850, 1, 0, 0))
    seats = review.seats(db_session, world.board)
    cells = review.cells(db_session, world.board, seats)
    spread, gaps = review.disagreements(cells)
    assert [(c.unit.name, c.criterion.code, c.spread) for c in spread] == [
        ("Phường Cửa Nam", "1.2", 500),
        ("Phường Cửa Nam", "1.1", 300),
        ("Xã Đông Anh", "1.1", 50),
    ]
    # Board means: unit 0 1.1 = 7.5 (gap -0.5), 1.2 = 2.5 (gap -2.5); unit 1 1.1 = 8.25 (+0.25).
    assert [(c.unit.name, c.criterion.code, c.gap) for c in gaps] == [
        ("Phường Cửa Nam", "1.2", Fraction(-250)),
        ("Phường Cửa Nam", "1.1", Fraction(-50)),
        ("Xã Đông Anh", "1.1", Fraction(25)),
    ]
    # Deviations over the 8 cells scored by both (4 criteria x 2 units):
    # member 1: 1.1 -150, 1.2 +250, T 0, V 0 | 1.1 -25, 1.2 0, T 0, V 0 -> sum 75 / 8
    # member 2: the mirror image -> -75 / 8.
    by_name = {
        d.member.user.full_name: (d.mean, d.cells) for d in review.deviations(world.seats, cells)
    }
    assert by_name == {
        "Thành viên 1": (Fraction(75, 8), 8),
        "Thành viên 2": (Fraction(-75, 8), 8),
    }


def test_drafts_do_not_count_in_the_disagreement_report(db_session, world):
    one, two = world.members
    score_all(db_session, world, one, world.units[0], (600, 1, 0, 0))
    score_all(db_session, world, two, world.units[0], (900, 0, 0, 0), submit=False)
    cells = review.cells(db_session, world.board, review.seats(db_session, world.board))
    assert {len(c.points) for c in cells} == {1}
    assert review.disagreements(cells)[0] == []
