"""Users, scoped role grants and the second factor."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, Enum, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emulation.accounts.domain import Role
from emulation.db import Base, TimestampMixin
from emulation.org.models import Unit


def role_enum() -> Enum:
    return Enum(Role, native_enum=False, length=20)


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Bumped on password change or deactivation; part of the session id so old sessions die.
    session_version: Mapped[int] = mapped_column(default=1)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(default=False)
    # The last accepted TOTP time step: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column()
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    locale: Mapped[str | None] = mapped_column(String(5))
    # The unit the account belongs to (set when an admin creates it): decides which admins
    # may see and manage the account before it holds any grant.
    home_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)

    home_unit: Mapped[Unit | None] = relationship(foreign_keys=[home_unit_id])
    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        foreign_keys="RoleGrant.user_id",
    )
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def roles(self) -> set[Role]:
        return {grant.role for grant in self.grants}

    def scope_units(self) -> list[Unit]:
        """Every unit the account is attached to: its home unit and its grants' scopes."""
        units = [self.home_unit] if self.home_unit is not None else []
        return units + [grant.scope_unit for grant in self.grants]

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class RoleGrant(TimestampMixin, Base):
    """`user` holds `role` over the subtree rooted at `scope_unit`."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "role", "scope_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(role_enum())
    scope_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    user: Mapped[User] = relationship(back_populates="grants", foreign_keys=[user_id])
    scope_unit: Mapped[Unit] = relationship()
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])


class RecoveryCode(TimestampMixin, Base):
    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class RolePolicy(Base):
    """Per-role security policy set by a national admin (e.g. TOTP required)."""

    __tablename__ = "role_policy"

    role: Mapped[Role] = mapped_column(role_enum(), primary_key=True)
    require_totp: Mapped[bool] = mapped_column(default=False)


class RateLimitCounter(Base):
    """A fixed-window counter shared by every worker (the database rate-limit storage)."""

    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    # Seconds since the epoch when the current window ends.
    expires_at: Mapped[float] = mapped_column(Float, index=True)
