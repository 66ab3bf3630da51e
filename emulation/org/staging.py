"""Parsed unit lists kept server-side between the preview and the apply.

An upload is parsed once, when it arrives; what is kept is the parse result (`<token>.parsed.json`:
the rows, or the errors) with a sidecar `<token>.json` holding the upload's sha256, its owner,
the import scope and the sha256 of the parse result. Preview (a GET, reloadable at will) and
apply read the parse result back — never the spreadsheet — and refuse it if its hash no longer
matches."""

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
    parsed: dict


def _blob(parsed: dict) -> bytes:
    return json.dumps(parsed, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def stage(
    directory: Path,
    *,
    filename: str,
    data: bytes,
    parsed: dict,
    user_id: int | None,
    scope_code: str,
) -> StagedFile:
    """Keep the parse result of an upload; returns its StagedFile (token + sha256)."""
    directory.mkdir(parents=True, exist_ok=True)
    _sweep(directory)
    token = secrets.token_urlsafe(24)
    digest = hashlib.sha256(data).hexdigest()
    blob = _blob(parsed)
    (directory / f"{token}.parsed.json").write_bytes(blob)
    meta = {
        "filename": filename,
        "sha256": digest,
        "parsed_sha256": hashlib.sha256(blob).hexdigest(),
        "user_id": user_id,
        "scope_code": scope_code,
    }
    (directory / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    return StagedFile(token, filename, digest, user_id, scope_code, parsed)


def load(directory: Path, token: str, *, user_id: int | None) -> StagedFile:
    """The staged upload `token` of this user, checked against its recorded sha256."""
    meta_path = directory / f"{token}.json"
    if not TOKEN_RE.match(token or "") or not meta_path.exists():
        raise NotFound(_("This upload has expired. Upload the file again."))
    meta = json.loads(meta_path.read_text("utf-8"))
    if meta.get("user_id") != user_id:
        raise NotFound(_("This upload has expired. Upload the file again."))
    path = directory / f"{token}.parsed.json"
    blob = path.read_bytes() if path.exists() else b""
    if hashlib.sha256(blob).hexdigest() != meta.get("parsed_sha256"):
        raise InvalidInput(_("The uploaded file changed since the preview. Upload it again."))
    parsed = json.loads(blob)
    return StagedFile(token, meta["filename"], meta["sha256"], user_id, meta["scope_code"], parsed)


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
