"""The data the chair's charts draw: the same figures as the completion and spread tables."""

from __future__ import annotations

import pytest

from emulation.scoring import charts, review
from tests.scoring.helpers import build, score_all


@pytest.fixture
def world(make, english):
    return build(make)


def test_completion_chart_stacks_each_members_sheets(db_session, world):
    one = world.members[0]
    score_all(db_session, world, one, world.units[0], (800, 1, 0, 0))
    score_all(db_session, world, one, world.units[1], (700, 1, 0, 0), submit=False)
    by_member, _by_unit = review.completion(review.seats(db_session, world.board))
    assert charts.completion_chart(by_member) == {
        "labels": ["Thành viên 1", "Thành viên 2"],
        "submitted": [1, 0],
        "in_progress": [1, 0],
        "not_started": [0, 2],
        "total": 4,
    }


def test_disagreement_chart_lists_the_largest_spreads_first(db_session, world):
    one, two = world.members
    score_all(db_session, world, one, world.units[0], (600, 1, 0, 0))
    score_all(db_session, world, two, world.units[0], (900, 0, 0, 0))
    score_all(db_session, world, one, world.units[1], (800, 1, 0, 0))
    score_all(db_session, world, two, world.units[1], (850, 1, 0, 0))
    seats = review.seats(db_session, world.board)
    spread, _gaps = review.disagreements(review.cells(db_session, world.board, seats))
    assert charts.disagreement_chart(spread) == {
        "labels": ["Phường Cửa Nam · 1.2", "Phường Cửa Nam · 1.1", "Xã Đông Anh · 1.1"],
        "spread": [500, 300, 50],
        "low": [0, 600, 800],
        "high": [500, 900, 850],
    }
    assert charts.disagreement_chart(spread, limit=1)["labels"] == ["Phường Cửa Nam · 1.2"]


def test_no_submitted_sheet_draws_empty_charts(db_session, world):
    seats = review.seats(db_session, world.board)
    by_member, _by_unit = review.completion(seats)
    assert charts.completion_chart(by_member)["submitted"] == [0, 0]
    assert charts.disagreement_chart([]) == {"labels": [], "spread": [], "low": [], "high": []}
