"""Evidence: upload and remove (the unit head, while editable), download (those allowed).

Downloads are always attachments with nosniff, so a file can never run as a page."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from emulation import access, web
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.assessments import permissions, services, windows
from emulation.assessments.evidence import ACCEPT, PREVIEWABLE, stored_path
from emulation.assessments.models import Evidence
from emulation.assessments.views import bp, criterion_of, own
from emulation.db import utcnow
from emulation.errors import DomainError, NotFound
from emulation.extensions import db

MB = 1024 * 1024


def _evidence_dir() -> Path:
    return Path(current_app.config["EVIDENCE_DIR"])


def max_upload_bytes() -> int:
    return int(current_app.config.get("MAX_UPLOAD_MB", 20)) * MB


def _list(assessment, criterion, status: int = 200, error: str = ""):
    """The criterion's evidence list (htmx), or back to the form for a plain post."""
    if not request.headers.get("HX-Request"):
        if error:
            flash(error, "danger")
        anchor = f"#c-{criterion.id}"
        return redirect(url_for("assessments.assessment", assessment_id=assessment.id) + anchor)
    db.session.expire_all()
    items = sorted(
        (e for e in assessment.evidence if e.criterion_id == criterion.id), key=lambda e: e.id
    )
    html = render_template(
        "assessments/_evidence.html",
        assessment=assessment,
        c=criterion,
        items=items,
        editable=windows.editable(db.session, assessment, utcnow()),
        error=error,
        previewable=PREVIEWABLE,
        accept=ACCEPT,
    )
    return html, status


@bp.post("/my-unit/assessments/<int:assessment_id>/criteria/<int:criterion_id>/evidence")
@access.roles(Role.UNIT_HEAD)
def upload_evidence(assessment_id: int, criterion_id: int):
    assessment = own(assessment_id)
    criterion = criterion_of(assessment, criterion_id)
    limit = max_upload_bytes()
    # Over the request limit this raises 413, answered by upload_too_large below.
    sent = request.files.getlist("file") + request.files.getlist("photo")
    upload = next((f for f in sent if f and f.filename), None)
    if upload is None:
        return _list(assessment, criterion, 422, _("Choose a file."))
    evidence = None
    try:
        evidence = services.add_evidence(
            db.session,
            assessment=assessment,
            criterion_id=criterion.id,
            actor=web.actor(),
            filename=upload.filename,
            stream=upload.stream,
            evidence_dir=_evidence_dir(),
            max_bytes=limit,
            ip=web.client_ip(),
        )
        web.commit()
    except DomainError as err:
        db.session.rollback()
        if evidence is not None:  # stored, but the transaction failed: forget the file
            stored_path(_evidence_dir(), evidence.stored_name).unlink(missing_ok=True)
        return _list(assessment, criterion, err.status, err.message)
    return _list(assessment, criterion)


def upload_too_large():
    """The criterion's evidence list with the size message, for the 413 of an upload over the
    request limit. CSRFProtect reads the body before any view, so such a request never reaches
    upload_evidence: the error handler calls this instead of its whole page (which htmx would
    swap into the criterion). Nothing was stored; showing one's own list needs no token."""
    args = request.view_args or {}
    assessment = own(args["assessment_id"])
    criterion = criterion_of(assessment, args["criterion_id"])
    too_big = _("The file is larger than %(mb)d MB.", mb=max_upload_bytes() // MB)
    return _list(assessment, criterion, 413, too_big)


@bp.post("/my-unit/evidence/<int:evidence_id>/remove")
@access.roles(Role.UNIT_HEAD)
def remove_evidence(evidence_id: int):
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound()
    authz.require(web.actor(), "self_assess", evidence)
    assessment, criterion = evidence.assessment, evidence.criterion
    back = url_for("assessments.assessment", assessment_id=assessment.id)
    try:
        stored_name = services.remove_evidence(
            db.session, evidence=evidence, actor=web.actor(), ip=web.client_ip()
        )
        web.commit()
    except DomainError as err:
        if criterion is None:
            web.fail(err)
            return redirect(back)
        db.session.rollback()
        return _list(assessment, criterion, err.status, err.message)
    stored_path(_evidence_dir(), stored_name).unlink(missing_ok=True)
    if criterion is None:  # a file no longer tied to a criterion: back to the form
        return redirect(back)
    return _list(assessment, criterion)


@bp.get("/evidence/<int:evidence_id>")
@access.signed_in
def download_evidence(evidence_id: int):
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or not permissions.may_read(db.session, web.actor(), evidence.assessment):
        raise NotFound()
    path = stored_path(_evidence_dir(), evidence.stored_name)
    if not path.is_file():
        current_app.logger.error("evidence %s missing from storage: %s", evidence.id, path)
        return _("This file is missing from the storage; tell your administrator."), 410
    response = send_file(
        path,
        mimetype=evidence.mime,
        as_attachment=True,
        download_name=evidence.original_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
