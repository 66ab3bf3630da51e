"""Uploaded unit lists kept server-side between the preview and the apply.

Each upload is stored as `<token>.<ext>` with a JSON sidecar holding its sha256, owner and
import scope; apply reads the same bytes back and refuses them if the hash no longer matches."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from emulation.errors import InvalidInput, NotFound

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MAX_AGE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class StagedFile:
    token: str
    filename: str
    sha256: str
    user_id: int | None
    scope_code: str
    data: bytes


def _ext(filename: str) -> str:
    return "xlsx" if filename.lower().endswith(".xlsx") else "csv"


def stage(directory: Path, *, filename: str, data: bytes, user_id: int | None, scope_code: str):
    """Store an upload; returns its StagedFile (token + sha256)."""
    directory.mkdir(parents=True, exist_ok=True)
    _sweep(directory)
    token = secrets.token_urlsafe(24)
    digest = hashlib.sha256(data).hexdigest()
    (directory / f"{token}.{_ext(filename)}").write_bytes(data)
    meta = {"filename": filename, "sha256": digest, "user_id": user_id, "scope_code": scope_code}
    (directory / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    return StagedFile(token, filename, digest, user_id, scope_code, data)


def load(directory: Path, token: str, *, user_id: int | None) -> StagedFile:
    """The staged upload `token` of this user, checked against its recorded sha256."""
    meta_path = directory / f"{token}.json"
    if not TOKEN_RE.match(token or "") or not meta_path.exists():
        raise NotFound(_("This upload has expired. Upload the file again."))
    meta = json.loads(meta_path.read_text("utf-8"))
    if meta.get("user_id") != user_id:
        raise NotFound(_("This upload has expired. Upload the file again."))
    data = (directory / f"{token}.{_ext(meta['filename'])}").read_bytes()
    if hashlib.sha256(data).hexdigest() != meta["sha256"]:
        raise InvalidInput(_("The uploaded file changed since the preview. Upload it again."))
    return StagedFile(token, meta["filename"], meta["sha256"], user_id, meta["scope_code"], data)


def discard(directory: Path, token: str) -> None:
    if not TOKEN_RE.match(token or ""):
        return
    for path in directory.glob(f"{token}.*"):
        path.unlink(missing_ok=True)


def _sweep(directory: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in directory.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
