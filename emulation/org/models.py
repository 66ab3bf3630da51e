"""The unit tree (ministry > province > [district] > commune) and emulation clusters."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, Enum, ForeignKey, Index, String, false, or_
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from emulation.db import Base, TimestampMixin
from emulation.org.domain import (  # noqa: F401  (re-exported)
    COMPETING_KINDS,
    PROVINCIAL_KINDS,
    UnitKind,
    in_subtree,
)
from emulation.text import fold


def subtree_clause(column: Any, root_paths: Iterable[str]) -> ColumnElement[bool]:
    """SQL: `column` (a unit path) lies in one of the subtrees rooted at `root_paths`.

    The prefix is escaped, so `_` and `%` in unit codes are not LIKE wildcards."""
    paths = sorted(set(root_paths))
    if not paths:
        return false()
    return or_(*(column.startswith(p, autoescape=True) for p in paths))


class Cluster(TimestampMixin, Base):
    """Cụm thi đua: a group of units ranked together, defined under a parent unit."""

    __tablename__ = "cluster"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The unit the cluster is defined under: the ministry for province clusters, a province
    # for commune clusters.
    owner_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", use_alter=True), index=True
    )

    owner_unit: Mapped[Unit | None] = relationship(foreign_keys=[owner_unit_id])
    units: Mapped[list[Unit]] = relationship(
        back_populates="cluster", foreign_keys="Unit.cluster_id", order_by="Unit.code"
    )

    def __repr__(self) -> str:
        return f"<Cluster {self.code}>"


class Unit(TimestampMixin, Base):
    """A police unit; `path` is the materialised path of codes ('/BCA/01/00070/')."""

    __tablename__ = "unit"
    __table_args__ = (Index("ix_unit_parent_kind", "parent_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[UnitKind] = mapped_column(Enum(UnitKind, native_enum=False, length=20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    path: Mapped[str] = mapped_column(String(255), index=True)
    depth: Mapped[int] = mapped_column(default=0)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("cluster.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    retired_on: Mapped[date | None] = mapped_column(Date)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))

    parent: Mapped[Unit | None] = relationship(
        remote_side=[id], back_populates="children", foreign_keys=[parent_id]
    )
    children: Mapped[list[Unit]] = relationship(
        back_populates="parent", foreign_keys=[parent_id], order_by="Unit.code"
    )
    cluster: Mapped[Cluster | None] = relationship(
        back_populates="units", foreign_keys=[cluster_id]
    )
    merged_into: Mapped[Unit | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])

    def __init__(self, **kwargs) -> None:
        parent = kwargs.get("parent")
        session = object_session(parent) if parent is not None else None
        # A new child joins its parent's session (as SQLAlchemy 1.x backref cascades did),
        # and reading the parent's path must not autoflush the half-built child.
        with session.no_autoflush if session is not None else nullcontext():
            super().__init__(**kwargs)
            if self.name and not self.name_folded:
                self.name_folded = fold(self.name)
            self.place_under(self.parent)
            if session is not None:
                session.add(self)

    def place_under(self, parent: Unit | None) -> None:
        """Set parent, path and depth together so the subtree index stays true."""
        self.parent = parent
        base = parent.path if parent is not None else "/"
        self.path = f"{base}{self.code}/"
        self.depth = parent.depth + 1 if parent is not None else 0

    def rename(self, name: str) -> None:
        self.name = name
        self.name_folded = fold(name)

    @property
    def competes(self) -> bool:
        return self.active and self.kind.competes

    @property
    def province(self) -> Unit | None:
        unit: Unit | None = self
        while unit is not None and unit.kind not in PROVINCIAL_KINDS:
            unit = unit.parent
        return unit

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name}>"
