"""The roles a grant gives, as plain Python (labels.py and the pure modules import this)."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    ADMIN = "admin"
    UNIT_HEAD = "unit_head"
    BOARD_MEMBER = "board_member"
    BOARD_CHAIR = "board_chair"
    VIEWER = "viewer"
