"""The unit-tree vocabulary as plain Python: unit kinds and the subtree test on paths."""

from __future__ import annotations

import enum


class UnitKind(enum.StrEnum):
    MINISTRY = "ministry"
    PROVINCE = "province"  # tỉnh
    CITY = "city"  # thành phố trực thuộc trung ương
    DISTRICT = "district"  # huyện / quận (abolished 2025; kept for history)
    COMMUNE = "commune"  # xã
    WARD = "ward"  # phường
    TOWNSHIP = "township"  # thị trấn (before 2025)
    SPECIAL_ZONE = "special_zone"  # đặc khu

    @property
    def competes(self) -> bool:
        return self in COMPETING_KINDS


COMPETING_KINDS = frozenset(
    {UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP, UnitKind.SPECIAL_ZONE}
)
PROVINCIAL_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.CITY})


def in_subtree(path: str, root_path: str) -> bool:
    """True if the unit at `path` is the unit at `root_path` or lies below it."""
    return path.startswith(root_path)
