"""Bulk import of accounts from CSV or XLSX: every row is checked first, then all or nothing.

Columns: username, full_name, email, role, scope_unit_code, password (optional). The role is
granted over the scope unit, which is also the account's home unit."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from emulation.accounts import authz
from emulation.accounts.models import Role, User
from emulation.accounts.passwords import password_problem
from emulation.accounts.user_admin import (
    NewUser,
    add_user,
    new_user_problems,
    unit_in_scope,
    username_taken,
)
from emulation.errors import DomainError, InvalidInput
from emulation.spreadsheets import Limits, read_csv, read_xlsx

COLUMNS = ("username", "full_name", "email", "role", "scope_unit_code", "password")
REQUIRED = ("username", "full_name", "scope_unit_code")
MAX_ROWS = 5000
LIMITS = Limits(max_rows=MAX_ROWS)
ROLE_NAMES = {role.value: role for role in Role}


@dataclass(frozen=True)
class RowError:
    row: int  # as numbered in the file (header is row 1)
    column: str
    message: str


@dataclass
class ImportResult:
    created: list[tuple[User, str | None]] = field(default_factory=list)  # password if generated


def read_rows(filename: str, data: bytes) -> list[dict[str, str]]:
    """Rows as dicts keyed by lower-case column names (blank rows skipped)."""
    if filename.lower().endswith(".xlsx"):
        cells = read_xlsx(data, LIMITS)
    else:
        cells = read_csv(data, LIMITS, delimiter=",")
    raw = [["" if v is None else str(v).strip() for v in row] for row in cells]
    if not raw:
        raise InvalidInput(_("The file is empty."))
    header = [h.strip().lower() for h in raw[0]]
    if missing := [c for c in REQUIRED if c not in header]:
        raise InvalidInput(_("Missing columns: %(cols)s.", cols=", ".join(missing)))
    return [dict(zip(header, values, strict=False)) for values in raw[1:]]


def _check_row(session: Session, actor: User, number: int, row: dict, seen: set[str]):
    errors: list[RowError] = []
    username = row.get("username", "").strip()
    for column in REQUIRED:
        if not row.get(column, "").strip():
            errors.append(RowError(number, column, _("This value is required.")))
    if username:
        if username.lower() in seen:
            errors.append(RowError(number, "username", _("Repeated in this file.")))
        elif username_taken(session, username):
            errors.append(RowError(number, "username", _("Already taken.")))
        seen.add(username.lower())
    data = NewUser(
        username=username,
        full_name=row.get("full_name", "").strip(),
        unit_code="",
        email=row.get("email", "").strip(),
    )
    errors.extend(  # the rules of the "new account" form (empty values are reported above)
        RowError(number, field, message)
        for field, message in new_user_problems(data)
        if row.get(field, "").strip()
    )
    role = row.get("role", "").strip().lower()
    if role and role not in ROLE_NAMES:
        errors.append(RowError(number, "role", _("Unknown role %(role)s.", role=role)))
    if code := row.get("scope_unit_code", "").strip():
        try:
            unit_in_scope(session, actor, code)
        except DomainError as err:
            errors.append(RowError(number, "scope_unit_code", err.message))
    if (password := row.get("password", "")) and (problem := password_problem(password, username)):
        errors.append(RowError(number, "password", problem))
    return errors


def import_users(session: Session, *, actor: User, rows: list[dict], ip: str = "") -> ImportResult:
    """Create every account or none; per-row errors come back in InvalidInput.details."""
    if not authz.has_role(actor, Role.ADMIN):
        raise InvalidInput(_("Only administrators can import users."))
    errors: list[RowError] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        if any(v.strip() for v in row.values()):
            errors.extend(_check_row(session, actor, number, row, seen))
    if errors:
        raise InvalidInput(_("Nothing was imported: fix the rows below."), details=errors)
    result = ImportResult()
    for row in rows:
        if not any(v.strip() for v in row.values()):
            continue
        role = row.get("role", "").strip().lower()
        data = NewUser(
            username=row["username"].strip(),
            full_name=row["full_name"].strip(),
            unit_code=row["scope_unit_code"].strip(),
            email=row.get("email", "").strip(),
            role=ROLE_NAMES[role] if role else None,
            password=row.get("password", ""),
        )
        user, password = add_user(session, actor=actor, data=data, ip=ip)
        result.created.append((user, None if data.password else password))
    return result
