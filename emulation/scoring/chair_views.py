"""The chair's pages: the board's completion and disagreements, one unit's scores side by
side, and the chair's decisions (reopen, return, explanation, veto, finalise); publishing."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from emulation import access, web
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.campaigns.models import Criterion, Period
from emulation.errors import InvalidState, NotFound
from emulation.extensions import db
from emulation.org.models import Unit
from emulation.scoring import chair as svc
from emulation.scoring import charts, publish, review, sheets, vetoes
from emulation.scoring.models import Board, BoardMember, Explanation, ScoreSheet
from emulation.scoring.review_forms import (
    ConfirmForm,
    ExplanationForm,
    ReasonForm,
    ThresholdForm,
    VetoForm,
)
from emulation.scoring.rules import round_half_away
from emulation.scoring.self_side import self_side

bp = Blueprint("chair", __name__, url_prefix="/scoring")
VN_OFFSET = timedelta(hours=7)


@bp.after_request
def _private(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def seen_board(board_id: int) -> Board:
    """The board for its chair, or for an administrator over its scope (read-only)."""
    board = db.session.get(Board, board_id)
    if board is None:
        raise NotFound()
    user = web.actor()
    if svc.is_chair(board, user) or authz.can(user, "administer", board):
        return board
    raise NotFound()


def chaired_board(board_id: int) -> Board:
    board = db.session.get(Board, board_id)
    if board is None or not svc.is_chair(board, web.actor()):
        raise NotFound()
    return board


def _unit_of(board: Board, unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit not in svc.board_units(db.session, board):
        raise NotFound()
    return unit


def points2(value) -> int | None:
    """An exact Fraction of hundredths rounded for display."""
    return None if value is None else round_half_away(value)


@bp.get("/boards/")
@access.roles(Role.BOARD_CHAIR)
def boards():
    rows = db.session.scalars(
        select(Board)
        .join(BoardMember, BoardMember.board_id == Board.id)
        .join(Period, Period.id == Board.period_id)
        .where(BoardMember.user_id == web.actor().id, BoardMember.is_chair.is_(True))
        .order_by(Period.starts_on.desc(), Board.name)
    ).all()
    return render_template("scoring/chair_boards.html", boards=rows)


@bp.get("/boards/<int:board_id>")
@access.roles(Role.BOARD_CHAIR, Role.ADMIN)
def board(board_id: int):
    board = seen_board(board_id)
    seats = review.seats(db.session, board)
    by_member, by_unit = review.completion(seats)
    cells = review.cells(db.session, board, seats)
    spread, gaps = review.disagreements(cells)
    explanations = db.session.scalars(
        select(Explanation).where(Explanation.board_id == board.id).order_by(Explanation.id)
    ).all()
    return render_template(
        "scoring/chair_board.html",
        board=board,
        by_member=by_member,
        by_unit=by_unit,
        spread=spread,
        gaps=gaps,
        completion_chart=charts.completion_chart(by_member),
        disagreement_chart=charts.disagreement_chart(spread),
        deviations=review.deviations(list(board.members), cells),
        flags=vetoes.flags(db.session, board),
        explanations=explanations,
        blockers=svc.finalise_blockers(db.session, board) if not board.finalised_at else [],
        is_chair=svc.is_chair(board, web.actor()),
        may_publish=publish.may_publish(db.session, web.actor(), board.period),
        points2=points2,
        form=ConfirmForm(),
    )


@bp.get("/boards/<int:board_id>/units/<int:unit_id>")
@access.roles(Role.BOARD_CHAIR, Role.ADMIN)
def unit(board_id: int, unit_id: int):
    board = seen_board(board_id)
    unit = _unit_of(board, unit_id)
    seats = [s for s in review.seats(db.session, board) if s.unit.id == unit.id]
    explanation = db.session.scalar(
        select(Explanation).where(Explanation.board_id == board.id, Explanation.unit_id == unit.id)
    )
    flagged = [f for f in vetoes.flags(db.session, board) if f.unit.id == unit.id]
    return render_template(
        "scoring/chair_unit.html",
        board=board,
        unit=unit,
        seats=seats,
        criteria=sheets.leaf_criteria(board.period),
        own=self_side(db.session, board.period, unit),
        scores={s.member.id: {x.criterion_id: x for x in s.sheet.scores} for s in seats if s.sheet},
        explanation=explanation,
        answers={a.criterion_id: a for a in explanation.answers} if explanation else {},
        flags=flagged,
        is_chair=svc.is_chair(board, web.actor()),
        editable=board.finalised_at is None,
        reason_form=ReasonForm(),
        explanation_form=ExplanationForm(),
        veto_form=VetoForm(),
    )


def _back(board: Board, unit: Unit | None = None) -> str:
    if unit is None:
        return url_for("chair.board", board_id=board.id)
    return url_for("chair.unit", board_id=board.id, unit_id=unit.id)


@bp.post("/boards/<int:board_id>/sheets/<int:sheet_id>/reopen")
@access.roles(Role.BOARD_CHAIR)
def reopen(board_id: int, sheet_id: int):
    board = chaired_board(board_id)
    sheet = db.session.get(ScoreSheet, sheet_id)
    seats = review.seats(db.session, board)
    if sheet is None or all(s.sheet is not sheet for s in seats):
        raise NotFound()
    return web.form_action(
        ReasonForm(),
        lambda form: sheets.reopen_sheet(
            db.session,
            board=board,
            sheet=sheet,
            reason=form.reason.data,
            actor=web.actor(),
            ip=web.client_ip(),
        ),
        success=_("The sheet is open again for its member."),
        to=_back(board, sheet.unit),
    )


@bp.post("/boards/<int:board_id>/units/<int:unit_id>/return")
@access.roles(Role.BOARD_CHAIR)
def return_assessment(board_id: int, unit_id: int):
    board = chaired_board(board_id)
    unit = _unit_of(board, unit_id)

    def act(form):
        from emulation.assessments import services as assessments

        svc.check_open(board)
        assessment = self_side(db.session, board.period, unit).assessment
        if assessment is None:
            raise InvalidState(_("This unit has no self-assessment to return."))
        return assessments.return_for_revision(
            db.session,
            assessment=assessment,
            actor=web.actor(),
            reason=form.reason.data,
            ip=web.client_ip(),
        )

    return web.form_action(
        ReasonForm(),
        act,
        success=_("The self-assessment is returned to the unit for revision."),
        to=_back(board, unit),
    )


def end_of_day_utc(day) -> datetime:
    """23:59 Vietnam time of `day`, as naive UTC."""
    return datetime(day.year, day.month, day.day, 23, 59) - VN_OFFSET


@bp.post("/boards/<int:board_id>/units/<int:unit_id>/explanation")
@access.roles(Role.BOARD_CHAIR)
def request_explanation(board_id: int, unit_id: int):
    board = chaired_board(board_id)
    unit = _unit_of(board, unit_id)
    return web.form_action(
        ExplanationForm(),
        lambda form: svc.request_explanation(
            db.session,
            board=board,
            unit=unit,
            deadline=end_of_day_utc(form.deadline.data),
            message=form.message.data,
            actor=web.actor(),
            ip=web.client_ip(),
        ),
        success=_("The provisional result is sent to the unit for explanation."),
        to=_back(board, unit),
    )


@bp.post("/boards/<int:board_id>/units/<int:unit_id>/criteria/<int:criterion_id>/veto")
@access.roles(Role.BOARD_CHAIR)
def decide_veto(board_id: int, unit_id: int, criterion_id: int):
    board = chaired_board(board_id)
    unit = _unit_of(board, unit_id)
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is None or criterion.period_id != board.period_id:
        raise NotFound()
    return web.form_action(
        VetoForm(),
        lambda form: vetoes.decide_veto(
            db.session,
            board=board,
            unit=unit,
            criterion=criterion,
            vetoed=form.vetoed.data == "1",
            reason=form.reason.data,
            actor=web.actor(),
            ip=web.client_ip(),
        ),
        success=_("Veto decision recorded."),
        to=_back(board, unit),
    )


@bp.post("/boards/<int:board_id>/finalise")
@access.roles(Role.BOARD_CHAIR)
def finalise(board_id: int):
    board = chaired_board(board_id)
    return web.form_action(
        ConfirmForm(),
        lambda form: svc.finalise_board(
            db.session, board=board, actor=web.actor(), ip=web.client_ip()
        ),
        success=_("The board is finalised. Its results wait for publication."),
        to=_back(board),
    )


# --- publishing ---------------------------------------------------------------------------
def _publishable(period_id: int) -> Period:
    period = db.session.get(Period, period_id)
    if period is None:
        raise NotFound()
    if not publish.may_publish(db.session, web.actor(), period):
        authz.note_denial(web.actor(), "publish", period, 403)
        from emulation.errors import NotAllowed

        raise NotAllowed(
            _("Only a national administrator or the chair of a national board may publish.")
        )
    return period


@bp.get("/periods/<int:period_id>/publish")
@access.roles(Role.ADMIN, Role.BOARD_CHAIR)
def publish_page(period_id: int):
    period = _publishable(period_id)
    boards = db.session.scalars(
        select(Board).where(Board.period_id == period.id).order_by(Board.name)
    ).all()
    return render_template("scoring/publish.html", period=period, boards=boards, form=ConfirmForm())


@bp.post("/periods/<int:period_id>/publish")
@access.roles(Role.ADMIN, Role.BOARD_CHAIR)
def publish_period(period_id: int):
    period = _publishable(period_id)
    return web.form_action(
        ConfirmForm(),
        lambda form: publish.publish_period(
            db.session, period=period, actor=web.actor(), ip=web.client_ip()
        ),
        success=_("Published. The official results appear at the next recompute."),
        to=url_for("chair.publish_page", period_id=period.id),
    )


@bp.route("/periods/<int:period_id>/settings", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def period_settings(period_id: int):
    period = db.session.get(Period, period_id)
    if period is None:
        raise NotFound()
    authz.require(web.actor(), "administer", period)
    form = ThresholdForm(comment_threshold_percent=period.comment_threshold_percent)
    return web.form_action(
        form,
        lambda form: sheets.set_comment_threshold(
            db.session,
            period=period,
            percent=form.comment_threshold_percent.data,
            actor=web.actor(),
            ip=web.client_ip(),
        ),
        success=_("Board scoring settings saved."),
        to=url_for("chair.period_settings", period_id=period.id),
        render=lambda form: render_template(
            "scoring/period_settings.html", period=period, form=form
        ),
    )
