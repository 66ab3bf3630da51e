"""Board setup per period: create a board, its members and chair, and the assignments.

An admin sees and changes the boards whose scope lies in their own scope (404 otherwise)."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from emulation import access, web
from emulation.accounts import authz
from emulation.accounts.models import Role, User
from emulation.campaigns import services as campaigns
from emulation.campaigns.models import Period
from emulation.errors import InvalidInput, NotFound
from emulation.extensions import db
from emulation.forms import ConfirmForm, choices
from emulation.org.models import Cluster, Unit
from emulation.scoring import boards as svc
from emulation.scoring import queries
from emulation.scoring.forms import AssignForm, BoardForm, MemberForm, OverrideForm
from emulation.scoring.models import AssignmentMode, Board, BoardMember

bp = Blueprint("scoring", __name__, url_prefix="/admin/boards")
PER_PAGE = 100


def administered_board(board_id: int) -> Board:
    board = db.session.get(Board, board_id)
    if board is None or board.scope_unit is None:
        raise NotFound()
    authz.require(web.actor(), "administer", board)
    return board


def board_member(board: Board, member_id: int) -> BoardMember:
    member = db.session.get(BoardMember, member_id)
    if member is None or member.board_id != board.id:
        raise NotFound()
    return member


def _admin_scope():
    return authz.scope_filter(web.actor(), [Role.ADMIN])


def board_form() -> BoardForm:
    form = BoardForm()
    periods = campaigns.periods(db.session)
    form.period.choices = choices((p.id, f"{p.code} · {p.name_vi}") for p in periods)
    units, clusters = queries.scopes_in(db.session, _admin_scope())
    form.scope.choices = choices(
        [(f"u{u.id}", f"{u.name} ({u.code})") for u in units]
        + [(f"c{c.id}", _("Cluster: %(name)s", name=c.name)) for c in clusters]
    )
    return form


def _to_board(board: Board) -> str:
    return url_for("scoring.board", board_id=board.id)


@bp.get("/")
@access.roles(Role.ADMIN)
def boards():
    rows = queries.boards_in(db.session, _admin_scope())
    return render_template("scoring/index.html", boards=rows, form=board_form())


@bp.post("/new")
@access.roles(Role.ADMIN)
def create_board():
    def create(form: BoardForm) -> Board:
        period = db.session.get(Period, form.period.data)
        kind, ident = form.scope.data[:1], int(form.scope.data[1:])
        unit = db.session.get(Unit, ident) if kind == "u" else None
        cluster = db.session.get(Cluster, ident) if kind == "c" else None
        target = unit if unit is not None else (cluster.owner_unit if cluster else None)
        if period is None or target is None:
            raise NotFound()
        authz.require(web.actor(), "administer", target)
        return svc.create_board(
            db.session,
            period=period,
            name=form.name.data,
            scope_unit=unit,
            cluster=cluster,
            actor=web.actor(),
            ip=web.client_ip(),
        )

    return web.form_action(
        board_form(),
        create,
        success=_("Board created. Now add its members and choose the chair."),
        to=_to_board,
        back=url_for("scoring.boards"),
    )


@bp.get("/<int:board_id>")
@access.roles(Role.ADMIN)
def board(board_id: int):
    board = administered_board(board_id)
    shown = queries.scope_units_page(
        db.session, board, request.args.get("page", 1, type=int), PER_PAGE
    )
    table, loads = svc.assignment_table(db.session, board, shown.units)
    conflicts = {
        (c.member.id, c.unit.id): c
        for c in svc.find_conflicts(db.session, board=board, units=shown.units)
    }
    member_ids = {m.user_id for m in board.members}
    member_form = MemberForm()
    member_form.user.choices = choices(
        (u.id, u.full_name or u.username)
        for u in svc.eligible_users(db.session, board)
        if u.id not in member_ids
    )
    assign_form = AssignForm(
        mode=board.assignment_mode.value, scorers_per_unit=board.scorers_per_unit
    )
    members = sorted(board.members, key=lambda m: (not m.is_chair, m.id))
    return render_template(
        "scoring/board.html",
        board=board,
        members=members,
        units=shown.units,
        unit_total=shown.total,
        page=shown.page,
        pages=shown.pages,
        table=table,
        loads=loads,
        conflicts=conflicts,
        member_form=member_form,
        assign_form=assign_form,
        override_form=OverrideForm(),
        chair_users={u.id for u in svc.eligible_users(db.session, board, chair=True)},
    )


def _board_action(board: Board, form, service, success):
    """A form on the board's page: one service call, then back to the page."""
    return web.form_action(form, service, success=success, to=_to_board(board))


@bp.post("/<int:board_id>/members")
@access.roles(Role.ADMIN)
def add_member(board_id: int):
    board = administered_board(board_id)
    form = MemberForm()
    form.user.choices = choices((u.id, u.username) for u in svc.eligible_users(db.session, board))

    def add(form: MemberForm) -> None:
        user = db.session.get(User, form.user.data)
        if user is None:
            raise InvalidInput(_("Choose a member."))
        svc.add_member(db.session, board=board, user=user, actor=web.actor(), ip=web.client_ip())

    return _board_action(board, form, add, _("Member added."))


@bp.post("/<int:board_id>/members/<int:member_id>/remove")
@access.roles(Role.ADMIN)
def remove_member(board_id: int, member_id: int):
    board = administered_board(board_id)
    member = board_member(board, member_id)
    return _board_action(
        board,
        ConfirmForm(),
        lambda _form: svc.remove_member(
            db.session, board=board, member=member, actor=web.actor(), ip=web.client_ip()
        ),
        _("Member removed."),
    )


@bp.post("/<int:board_id>/members/<int:member_id>/chair")
@access.roles(Role.ADMIN)
def set_chair(board_id: int, member_id: int):
    board = administered_board(board_id)
    member = board_member(board, member_id)
    return _board_action(
        board,
        ConfirmForm(),
        lambda _form: svc.set_chair(
            db.session, board=board, member=member, actor=web.actor(), ip=web.client_ip()
        ),
        _("Chair set."),
    )


def _assigned_message(result: svc.AssignmentResult) -> str:
    message = _("%(n)d assignments made.", n=result.created)
    if result.blocked:
        message += " " + _("%(n)d blocked by conflicts of interest.", n=result.blocked)
    if result.short_units:
        message += " " + _("%(n)d units have fewer scorers than asked.", n=len(result.short_units))
    return message


@bp.post("/<int:board_id>/assign")
@access.roles(Role.ADMIN)
def assign(board_id: int):
    board = administered_board(board_id)
    return _board_action(
        board,
        AssignForm(),
        lambda form: svc.assign_units(
            db.session,
            board=board,
            mode=AssignmentMode(form.mode.data),
            scorers_per_unit=form.scorers_per_unit.data,
            actor=web.actor(),
            ip=web.client_ip(),
        ),
        _assigned_message,
    )


@bp.post("/<int:board_id>/members/<int:member_id>/units/<int:unit_id>/override")
@access.roles(Role.ADMIN)
def override(board_id: int, member_id: int, unit_id: int):
    board = administered_board(board_id)
    member = board_member(board, member_id)
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise NotFound()
    return _board_action(
        board,
        OverrideForm(),
        lambda form: svc.override_conflict(
            db.session,
            board=board,
            member=member,
            unit=unit,
            reason=form.reason.data,
            actor=web.actor(),
            ip=web.client_ip(),
        ),
        _("Conflict overridden; the reason is recorded."),
    )
