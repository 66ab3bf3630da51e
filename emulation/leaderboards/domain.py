"""The leaderboard vocabulary as plain Python: the scopes a unit is ranked in."""

from __future__ import annotations

import enum


class ScopeType(enum.StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    CLUSTER = "cluster"
    KIND = "kind"
