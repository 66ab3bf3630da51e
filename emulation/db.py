"""Declarative base with stable constraint names, shared mixins and the exact points type.

Points are integers in hundredths of a point (12.5 points == 1250) everywhere: in the
database, in services and in the pure rules. Only forms and templates convert."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import JSON, DateTime, Integer, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Points = int
"""Hundredths of a point. 100 == 1 point."""

PointsType = Integer
JSONType = JSON


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Naive UTC now; every timestamp is stored as naive UTC and shown in Vietnam time."""
    return datetime.now(UTC).replace(tzinfo=None)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, server_default=func.current_timestamp()
    )


_POINTS_RE = re.compile(r"^[+-]?\d+([.,]\d{1,2})?$")


# Points are stored in INTEGER columns (32-bit on PostgreSQL): a larger value is bad input,
# not a database error.
MAX_HUNDREDTHS = 2**31 - 1


def parse_points(text: str | int | float | Decimal) -> Points:
    """'12,5' or '12.5' -> 1250. Raises ValueError for anything not exact to hundredths."""
    if isinstance(text, int):
        if abs(text * 100) > MAX_HUNDREDTHS:
            raise ValueError(str(text))
        return text * 100
    raw = str(text).strip().replace(" ", "")
    if isinstance(text, str) and not _POINTS_RE.match(raw):
        raise ValueError(raw)
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(raw) from exc
    hundredths = value * 100
    if hundredths != hundredths.to_integral_value() or abs(hundredths) > MAX_HUNDREDTHS:
        raise ValueError(raw)
    return int(hundredths)


def points_to_decimal(points: Points) -> Decimal:
    return (Decimal(points) / 100).quantize(Decimal("0.01"))


def format_points(points: Points | None, locale: str = "vi") -> str:
    """1250 -> '12,5' (vi) or '12.5' (en); trailing zeros dropped, never rounded."""
    if points is None:
        return "–"
    sign = "−" if points < 0 else ""
    whole, frac = divmod(abs(points), 100)
    sep = "," if locale == "vi" else "."
    if frac == 0:
        return f"{sign}{whole}"
    text = f"{frac:02d}".rstrip("0")
    return f"{sign}{whole}{sep}{text}"


def format_signed_points(points: Points | None, locale: str = "vi") -> str:
    """A difference: 25 -> '+0,25', -150 -> '−1,5', and 0 -> '0' (zero has no sign)."""
    if points is None or points <= 0:
        return format_points(points, locale)
    return "+" + format_points(points, locale)


def format_score(points: Points | None, locale: str = "vi") -> str:
    """1250 -> '12,50' (vi) or '12.50' (en): scores always show two decimals, so a column
    of them lines up (98,80 above 98,86, never 98,8)."""
    if points is None:
        return "–"
    sign = "−" if points < 0 else ""
    whole, frac = divmod(abs(points), 100)
    sep = "," if locale == "vi" else "."
    return f"{sign}{whole}{sep}{frac:02d}"
