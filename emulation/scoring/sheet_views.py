"""A board member's pages: My queue, the score sheet (htmx save per criterion), submit, and
the unit's evidence (shown only to the members and chair of a board covering the unit)."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from emulation import access, web
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.assessments.evidence import stored_path
from emulation.assessments.models import Evidence
from emulation.assessments.permissions import sits_on_board_for
from emulation.campaigns.models import Period
from emulation.errors import Conflict, DomainError, InvalidInput, NotFound
from emulation.extensions import db
from emulation.i18n import current_locale
from emulation.labels import UNIT_KIND
from emulation.org.models import Unit, UnitKind
from emulation.scoring import queue as q
from emulation.scoring import sheet_display as display
from emulation.scoring import sheets as svc
from emulation.scoring.self_side import self_side

bp = Blueprint("sheets", __name__, url_prefix="/scoring")
SCORERS = (Role.BOARD_MEMBER, Role.BOARD_CHAIR)
MAX_COMMENT = 4000
PREVIEW_MIMES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}


@bp.after_request
def _private(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _period_unit(period_id: int, unit_id: int) -> tuple[Period, Unit]:
    period, unit = db.session.get(Period, period_id), db.session.get(Unit, unit_id)
    if period is None or unit is None:
        raise NotFound()
    authz.require(web.actor(), "score", unit)
    return period, unit


@bp.get("/")
@access.roles(*SCORERS)
def queue():
    args = request.args
    kind = args.get("kind", "")
    wanted = q.QueueFilter(
        cluster_id=args.get("cluster", type=int),
        kind=UnitKind(kind) if kind in UnitKind.__members__.values() else None,
        status=args.get("status") if args.get("status") in q.QUEUE_STATUSES else None,
        q=args.get("q", "")[:100],
    )
    boards = q.my_queue(db.session, web.actor(), wanted)
    return render_template("scoring/queue.html", boards=boards, wanted=wanted, unit_kinds=UNIT_KIND)


def input_value(criterion, score) -> str:
    """A stored score as the scorer types it (see sheets.ScoreInput.value)."""
    return display.input_value(criterion, score, current_locale())


@bp.get("/periods/<int:period_id>/units/<int:unit_id>")
@access.roles(*SCORERS)
def sheet(period_id: int, unit_id: int):
    period, unit = _period_unit(period_id, unit_id)
    user = web.actor()
    assignment = svc.check_may_score(db.session, user, period, unit)
    board = assignment.member.board
    sheet = svc.sheet_for(db.session, user, period, unit)
    own = self_side(db.session, period, unit)
    previous, following = q.neighbours(db.session, user, period, unit)
    mine = {s.criterion_id: s for s in sheet.scores} if sheet else {}
    rows = display.sheet_rows(period, unit, mine=mine, own=own, locale=current_locale())
    return render_template(
        "scoring/sheet.html",
        period=period,
        unit=unit,
        board=board,
        sheet=sheet,
        rows=rows,
        own=own,
        editable=svc.is_editable(sheet, period, board),
        previous=previous,
        following=following,
        missing=svc.missing_items(db.session, sheet, period, own.scores) if sheet else [],
    )


@bp.post("/periods/<int:period_id>/units/<int:unit_id>/criteria/<int:criterion_id>")
@access.roles(*SCORERS)
def save(period_id: int, unit_id: int, criterion_id: int):
    period, unit = _period_unit(period_id, unit_id)
    criterion = svc.criterion_of(db.session, period, criterion_id)
    raw, comment = request.form.get("value", ""), request.form.get("comment", "")
    version = request.form.get("version", type=int)
    context = {"criterion": criterion, "raw": raw, "comment": comment}
    try:
        if len(comment) > MAX_COMMENT:
            raise InvalidInput(_("Keep the comment under %(n)d characters.", n=MAX_COMMENT))
        data = svc.ScoreInput(criterion.id, svc.parse_value(criterion, raw), comment)
        saved = svc.save_score(
            db.session,
            user=web.actor(),
            period=period,
            unit=unit,
            data=data,
            expected_version=version,
            ip=web.client_ip(),
        )
        new_version = saved.version  # read before the commit expires it: no reload after it
        web.commit()
    except (IntegrityError, StaleDataError):
        # Another tab's save landed between our read and our write (or both created the
        # sheet on its first save): show theirs beside ours, with the version to build on.
        db.session.rollback()
        err = _changed_elsewhere(period, unit, criterion)
        theirs = input_value(criterion, err.current) if err.current else ""
        return _status(context | {"conflict": err, "theirs": theirs}, err.status, err.version)
    except svc.ScoreConflict as err:
        db.session.rollback()
        theirs = input_value(criterion, err.current) if err.current else ""
        context |= {"conflict": err, "theirs": theirs}
        return _status(context, err.status, err.version)
    except DomainError as err:
        db.session.rollback()
        return _status(context | {"error": err.message}, err.status, version)
    return _status(context | {"saved": True}, 200, new_version)


def _changed_elsewhere(period: Period, unit: Unit, criterion) -> svc.ScoreConflict:
    sheet = svc.sheet_for(db.session, web.actor(), period, unit)
    current = next((s for s in sheet.scores if s.criterion_id == criterion.id), None)
    return svc.ScoreConflict(
        _("This sheet was changed elsewhere (another tab or device) since you opened it."),
        current=current,
        version=sheet.version,
    )


def _status(context: dict, status: int, version: int | None):
    body = render_template("scoring/_save_status.html", **context)
    response = current_app.make_response((body, status))
    response.headers["X-Sheet-Version"] = "" if version is None else str(version)
    return response


@bp.post("/periods/<int:period_id>/units/<int:unit_id>/submit")
@access.roles(*SCORERS)
def submit(period_id: int, unit_id: int):
    period, unit = _period_unit(period_id, unit_id)
    here = url_for("sheets.sheet", period_id=period.id, unit_id=unit.id)
    try:
        svc.submit_sheet(
            db.session,
            user=web.actor(),
            period=period,
            unit=unit,
            expected_version=request.form.get("version", type=int),
            ip=web.client_ip(),
        )
        web.commit()
    except StaleDataError:  # a save from another tab landed between our read and our write
        web.fail(Conflict(_("This sheet was changed elsewhere since you opened it; reload it.")))
        return redirect(here)
    except DomainError as err:
        web.fail(err)
        return redirect(here)
    flash(_("Sheet of %(unit)s submitted.", unit=unit.name), "success")
    following = request.form.get("next", type=int)
    if following:
        return redirect(url_for("sheets.sheet", period_id=period.id, unit_id=following))
    return redirect(url_for("sheets.queue"))


# --- evidence -----------------------------------------------------------------------------
@bp.get("/evidence/<int:evidence_id>")
@access.roles(*SCORERS)
def evidence(evidence_id: int):
    item = db.session.get(Evidence, evidence_id)
    if item is None:
        raise NotFound()
    user = web.actor()
    authz.require(user, "score", item.assessment.unit)
    if not sits_on_board_for(db.session, user, item.assessment):
        raise NotFound()
    path = stored_path(current_app.config["EVIDENCE_DIR"], item.stored_name)
    if not path.is_file():
        raise NotFound(_("The file of this evidence is missing."))
    inline = item.mime in PREVIEW_MIMES and not request.args.get("download")
    response = send_file(
        io.BytesIO(path.read_bytes()),
        mimetype=item.mime,
        as_attachment=not inline,
        download_name=item.original_name,
    )
    # Shown inside the sheet (same origin); scripts never run in it.
    policy = "frame-ancestors 'self'"
    if item.mime != "application/pdf":
        policy = "default-src 'none'; img-src 'self'; " + policy
    response.headers["Content-Security-Policy"] = policy
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
