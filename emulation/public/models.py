"""This database's identity, for keys shared with other deployments (the Redis render cache)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from emulation.db import Base, utcnow


class Installation(Base):
    """One row, written on first use: a random token naming this database. Two databases
    sharing one Redis (staging and production, two test runs) never share a rendering, and a
    database recreated under the same URL does not inherit the old one's pages."""

    __tablename__ = "installation"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
