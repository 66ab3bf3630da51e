"""The demo's units and clusters: the committed official lists in `emulation/data/` (origin: the
PyPI package vietnam-provinces; see `emulation/data/SOURCES.md`), province clusters of six and
commune clusters of about twelve. Part of `flask demo load` (emulation/demo.py)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from importlib import resources
from typing import NamedTuple

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from emulation.org.models import (
    COMPETING_KINDS,
    PROVINCIAL_KINDS,
    Cluster,
    Unit,
    UnitKind,
    subtree_clause,
)
from emulation.text import fold

Echo = Callable[[str], None]
PROVINCES_PER_CLUSTER = 6
COMMUNES_PER_CLUSTER = 12


class UnitRow(NamedTuple):
    id: int
    code: str
    path: str


def read_official_units(legacy: bool) -> list[dict[str, str]]:
    name = "units_2021.csv" if legacy else "units_2025.csv"
    text = resources.files("emulation.data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _limit_provinces(rows: list[dict[str, str]], provinces: int) -> list[dict[str, str]]:
    if provinces <= 0:
        return rows
    kept_provinces = [r["code"] for r in rows if r["parent_code"] == "BCA"][:provinces]
    keep = {"BCA", *kept_provinces}
    out = []
    for row in rows:  # parents always precede children in the file
        if row["code"] in keep or (row["parent_code"] in keep and row["parent_code"] != "BCA"):
            keep.add(row["code"])
            out.append(row)
    return out


def load_units(session: Session, *, legacy: bool, provinces: int, echo: Echo) -> list[Unit]:
    """Insert the official units that are not there yet; return the competing units."""
    rows = _limit_provinces(read_official_units(legacy), provinces)
    existing = dict(session.execute(select(Unit.code, Unit.id)).all())
    paths = dict(session.execute(select(Unit.code, Unit.path)).all())
    depth = {code: path.count("/") - 2 for code, path in paths.items()}
    new_rows = []
    for row in rows:
        if row["code"] in existing:
            continue
        parent = row["parent_code"] or None
        paths[row["code"]] = f"{paths[parent] if parent else '/'}{row['code']}/"
        depth[row["code"]] = depth[parent] + 1 if parent else 0
        new_rows.append(row)
    # Insert level by level so parents have ids before their children.
    for level in sorted({depth[r["code"]] for r in new_rows}):
        batch = [r for r in new_rows if depth[r["code"]] == level]
        ids = dict(session.execute(select(Unit.code, Unit.id)).all())
        session.execute(
            insert(Unit),
            [
                {
                    "code": r["code"],
                    "name": r["name"],
                    "name_folded": fold(r["name"]),
                    "kind": UnitKind(r["kind"]),
                    "parent_id": ids.get(r["parent_code"]) if r["parent_code"] else None,
                    "path": paths[r["code"]],
                    "depth": level,
                    "active": True,
                }
                for r in batch
            ],
        )
    echo(f"Units: {len(new_rows)} added, {len(rows) - len(new_rows)} already present.")
    return competing_units(session)


def competing_units(session: Session) -> list[Unit]:
    return list(
        session.scalars(
            select(Unit)
            .where(Unit.active.is_(True), Unit.kind.in_(COMPETING_KINDS))
            .order_by(Unit.path)
        )
    )


def load_clusters(session: Session, *, echo: Echo) -> None:
    """Province clusters of six under the ministry; commune clusters of ~12 per province."""
    if session.scalar(select(func.count()).select_from(Cluster)):
        echo("Clusters: already present.")
        return
    ministry = session.scalar(select(Unit).where(Unit.kind == UnitKind.MINISTRY))
    provinces = list(
        session.scalars(select(Unit).where(Unit.kind.in_(PROVINCIAL_KINDS)).order_by(Unit.code))
    )
    count = 0
    for index in range(0, len(provinces), PROVINCES_PER_CLUSTER):
        number = index // PROVINCES_PER_CLUSTER + 1
        cluster = Cluster(
            code=f"CT{number:02d}", name=f"Cụm thi đua số {number}", owner_unit=ministry
        )
        session.add(cluster)
        for province in provinces[index : index + PROVINCES_PER_CLUSTER]:
            province.cluster = cluster
        count += 1
    session.flush()
    for province in provinces:
        communes = session.scalars(
            select(Unit)
            .where(subtree_clause(Unit.path, [province.path]), Unit.kind.in_(COMPETING_KINDS))
            .order_by(Unit.code)
        ).all()
        short = province.name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
        for index in range(0, len(communes), COMMUNES_PER_CLUSTER):
            number = index // COMMUNES_PER_CLUSTER + 1
            cluster = Cluster(
                code=f"{province.code}-C{number:02d}",
                name=f"Cụm {number} – {short}",
                owner_unit=province,
            )
            session.add(cluster)
            for unit in communes[index : index + COMMUNES_PER_CLUSTER]:
                unit.cluster = cluster
            count += 1
    session.flush()
    echo(f"Clusters: {count} created.")
