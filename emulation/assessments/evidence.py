"""Evidence files: type checks (extension and content), storage outside static/, removal.

Files live under EVIDENCE_DIR with a server-chosen name (`<2 hex>/<32 hex><ext>`); the
original name is kept only as a label. A file is accepted only when its extension is allowed
and its first bytes (for DOCX/XLSX: its zip members) are what that extension promises."""

from __future__ import annotations

import hashlib
import os
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from emulation.assessments.models import Evidence, SelfAssessment
from emulation.assessments.windows import check_editable
from emulation.audit import services as audit
from emulation.campaigns.models import CriterionKind
from emulation.db import utcnow
from emulation.errors import InvalidInput

CHUNK = 64 * 1024
MAX_FILES_PER_CRITERION = 20
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def _pdf(head: bytes, _path: Path) -> bool:
    return head.startswith(b"%PDF-")


def _jpeg(head: bytes, _path: Path) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def _png(head: bytes, _path: Path) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n")


def _heif(head: bytes, _path: Path) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def _office(member: str) -> Callable[[bytes, Path], bool]:
    def check(head: bytes, path: Path) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return False
        return "[Content_Types].xml" in names and member in names

    return check


@dataclass(frozen=True)
class FileType:
    label: str
    mime: str
    check: Callable[[bytes, Path], bool]
    image: bool = False


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPES: dict[str, FileType] = {
    ".pdf": FileType("PDF", "application/pdf", _pdf),
    ".jpg": FileType("JPEG", "image/jpeg", _jpeg, image=True),
    ".jpeg": FileType("JPEG", "image/jpeg", _jpeg, image=True),
    ".png": FileType("PNG", "image/png", _png, image=True),
    ".heic": FileType("HEIC", "image/heic", _heif),
    ".heif": FileType("HEIC", "image/heif", _heif),
    ".docx": FileType("DOCX", DOCX, _office("word/document.xml")),
    ".xlsx": FileType("XLSX", XLSX, _office("xl/workbook.xml")),
}
ACCEPT = ",".join(TYPES)  # for <input accept=...>
PREVIEWABLE = {"image/jpeg", "image/png"}


def stored_path(evidence_dir: Path | str, stored_name: str) -> Path:
    return Path(evidence_dir) / stored_name[:2] / stored_name


def _receive(stream: BinaryIO, target: Path, max_bytes: int) -> tuple[str, int, bytes]:
    """Copy the upload to `target`, hashing it; refuse it as soon as it is too large."""
    digest, size, head = hashlib.sha256(), 0, b""
    with open(target, "wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise InvalidInput(
                    _("The file is larger than %(mb)d MB.", mb=max_bytes // (1024 * 1024)),
                    details={"field": "file"},
                )
            if len(head) < 32:
                head = (head + chunk)[:32]
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), size, head


def _file_type(filename: str) -> tuple[str, FileType]:
    ext = os.path.splitext(filename)[1].lower()
    if ext not in TYPES:
        raise InvalidInput(
            _("This file type is not accepted. Use PDF, JPEG, PNG, HEIC, DOCX or XLSX."),
            details={"field": "file"},
        )
    return ext, TYPES[ext]


def add_evidence(
    session: Session,
    *,
    assessment: SelfAssessment,
    criterion_id: int,
    actor: Any,
    filename: str,
    stream: BinaryIO,
    evidence_dir: Path | str,
    max_bytes: int,
    ip: str = "",
    now: datetime | None = None,
) -> Evidence:
    """Check and store one uploaded file for a criterion of an editable self-assessment."""
    check_editable(session, assessment, now or utcnow())
    criterion = next((c for c in assessment.period.criteria if c.id == criterion_id), None)
    if criterion is None or criterion.kind is CriterionKind.GROUP:
        raise InvalidInput(_("This criterion is not part of the period's set."))
    name = os.path.basename((filename or "").replace("\\", "/")).strip()[:255]
    ext, kind = _file_type(name)
    existing = [e for e in assessment.evidence if e.criterion_id == criterion_id]
    if len(existing) >= MAX_FILES_PER_CRITERION:
        raise InvalidInput(
            _("At most %(n)d files per criterion.", n=MAX_FILES_PER_CRITERION),
            details={"field": "file"},
        )
    stored_name = f"{uuid.uuid4().hex}{ext}"
    final = stored_path(evidence_dir, stored_name)
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(final.name + ".part")
    try:
        sha256, size, head = _receive(stream, partial, max_bytes)
        if size == 0:
            raise InvalidInput(_("The file is empty."), details={"field": "file"})
        if not kind.check(head, partial):
            raise InvalidInput(
                _("The file's content is not a %(type)s file.", type=kind.label),
                details={"field": "file"},
            )
        if any(e.sha256 == sha256 for e in existing):
            raise InvalidInput(
                _("This file is already attached to this criterion."), details={"field": "file"}
            )
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    evidence = Evidence(
        assessment=assessment,
        criterion_id=criterion_id,
        original_name=name,
        stored_name=stored_name,
        sha256=sha256,
        size=size,
        mime=kind.mime,
        uploaded_by_id=getattr(actor, "id", None),
    )
    session.add(evidence)
    session.flush()
    after = {"name": name, "sha256": sha256, "size": size, "mime": kind.mime}
    after["criterion"] = criterion.code
    scope = assessment.unit.path
    audit.record(session, actor, "evidence.added", evidence, after=after, ip=ip, scope_path=scope)
    return evidence


def remove_evidence(
    session: Session, *, evidence: Evidence, actor: Any, ip: str = "", now: datetime | None = None
) -> str:
    """Remove a file from an editable self-assessment; returns the stored name, so the caller
    deletes the file only after the transaction commits."""
    assessment = evidence.assessment
    check_editable(session, assessment, now or utcnow())
    before = {
        "name": evidence.original_name,
        "sha256": evidence.sha256,
        "size": evidence.size,
        "criterion_id": evidence.criterion_id,
    }
    stored_name = evidence.stored_name
    audit.record(
        session,
        actor,
        "evidence.removed",
        evidence,
        before=before,
        ip=ip,
        scope_path=assessment.unit.path,
    )
    assessment.evidence.remove(evidence)
    session.delete(evidence)
    session.flush()
    return stored_name
