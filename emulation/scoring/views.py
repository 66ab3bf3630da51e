"""Board setup per period: create a board, its members and chair, and the assignments.

An admin sees and changes the boards whose scope lies in their own scope (404 otherwise)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from emulation import access
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.campaigns.models import Period
from emulation.errors import DomainError, InvalidInput, NotFound
from emulation.extensions import db
from emulation.org.forms import ConfirmForm, choices
from emulation.org.models import COMPETING_KINDS, Cluster, Unit
from emulation.org.views import admin_paths, fail, ip
from emulation.scoring import boards as svc
from emulation.scoring.forms import AssignForm, BoardForm, MemberForm, OverrideForm
from emulation.scoring.models import AssignmentMode, Board, BoardMember

bp = Blueprint("scoring", __name__, url_prefix="/admin/boards")
PER_PAGE = 100


def administered_board(board_id: int) -> Board:
    board = db.session.get(Board, board_id)
    if board is None or board.scope_unit is None:
        raise NotFound()
    authz.require(current_user, "administer", board)
    return board


def board_member(board: Board, member_id: int) -> BoardMember:
    member = db.session.get(BoardMember, member_id)
    if member is None or member.board_id != board.id:
        raise NotFound()
    return member


def _in_scope(column):
    return or_(*(column.startswith(p, autoescape=True) for p in admin_paths()))


def scope_choices() -> list:
    units = db.session.scalars(
        select(Unit)
        .where(_in_scope(Unit.path), Unit.active.is_(True), Unit.kind.not_in(COMPETING_KINDS))
        .order_by(Unit.path)
    ).all()
    clusters = db.session.scalars(
        select(Cluster)
        .join(Unit, Unit.id == Cluster.owner_unit_id)
        .where(_in_scope(Unit.path))
        .order_by(Unit.path, Cluster.code)
    ).all()
    return choices(
        [(f"u{u.id}", f"{u.name} ({u.code})") for u in units]
        + [(f"c{c.id}", _("Cluster: %(name)s", name=c.name)) for c in clusters]
    )


def board_form() -> BoardForm:
    form = BoardForm()
    periods = db.session.scalars(select(Period).order_by(Period.starts_on.desc())).all()
    form.period.choices = choices((p.id, f"{p.code} · {p.name_vi}") for p in periods)
    form.scope.choices = scope_choices()
    return form


@bp.get("/")
@access.roles(Role.ADMIN)
def boards():
    rows = db.session.scalars(
        select(Board)
        .join(Unit, Unit.id == Board.scope_unit_id)
        .join(Period, Period.id == Board.period_id)
        .where(_in_scope(Unit.path))
        .order_by(Period.starts_on.desc(), Unit.path, Board.name)
        .limit(500)
    ).all()
    return render_template("boards/index.html", boards=rows, form=board_form())


@bp.post("/new")
@access.roles(Role.ADMIN)
def create_board():
    form = board_form()
    if not form.validate_on_submit():
        flash(_("Choose a period, a name and a scope."), "danger")
        return redirect(url_for("scoring.boards"))
    period = db.session.get(Period, form.period.data)
    kind, ident = form.scope.data[:1], int(form.scope.data[1:])
    unit = db.session.get(Unit, ident) if kind == "u" else None
    cluster = db.session.get(Cluster, ident) if kind == "c" else None
    target = unit if unit is not None else (cluster.owner_unit if cluster else None)
    if period is None or target is None:
        raise NotFound()
    authz.require(current_user, "administer", target)
    try:
        board = svc.create_board(
            db.session,
            period=period,
            name=form.name.data,
            scope_unit=unit,
            cluster=cluster,
            actor=current_user,
            ip=ip(),
        )
        db.session.commit()
    except DomainError as err:
        fail(err)
        return redirect(url_for("scoring.boards"))
    flash(_("Board created. Now add its members and choose the chair."), "success")
    return redirect(url_for("scoring.board", board_id=board.id))


@bp.get("/<int:board_id>")
@access.roles(Role.ADMIN)
def board(board_id: int):
    board = administered_board(board_id)
    units = svc.scope_units(db.session, board)
    page = max(1, request.args.get("page", 1, type=int))
    pages = max(1, -(-len(units) // PER_PAGE))
    shown = units[(page - 1) * PER_PAGE : page * PER_PAGE]
    table, loads = svc.assignment_table(db.session, board, shown)
    conflicts = {
        (c.member.id, c.unit.id): c
        for c in svc.find_conflicts(db.session, board=board, units=shown)
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
        "boards/board.html",
        board=board,
        members=members,
        units=shown,
        unit_total=len(units),
        page=page,
        pages=pages,
        table=table,
        loads=loads,
        conflicts=conflicts,
        member_form=member_form,
        assign_form=assign_form,
        override_form=OverrideForm(),
        chair_users={u.id for u in svc.eligible_users(db.session, board, chair=True)},
    )


def _act(board: Board, form, action):
    if form is not None and not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return redirect(url_for("scoring.board", board_id=board.id))
    try:
        message = action()
        db.session.commit()
        flash(message, "success")
    except DomainError as err:
        fail(err)
    return redirect(url_for("scoring.board", board_id=board.id))


@bp.post("/<int:board_id>/members")
@access.roles(Role.ADMIN)
def add_member(board_id: int):
    board = administered_board(board_id)
    form = MemberForm()
    form.user.choices = choices((u.id, u.username) for u in svc.eligible_users(db.session, board))

    def act():
        from emulation.accounts.models import User

        user = db.session.get(User, form.user.data)
        if user is None:
            raise InvalidInput(_("Choose a member."))
        svc.add_member(db.session, board=board, user=user, actor=current_user, ip=ip())
        return _("Member added.")

    return _act(board, form, act)


@bp.post("/<int:board_id>/members/<int:member_id>/remove")
@access.roles(Role.ADMIN)
def remove_member(board_id: int, member_id: int):
    board = administered_board(board_id)
    member = board_member(board, member_id)

    def act():
        svc.remove_member(db.session, board=board, member=member, actor=current_user, ip=ip())
        return _("Member removed.")

    return _act(board, ConfirmForm(), act)


@bp.post("/<int:board_id>/members/<int:member_id>/chair")
@access.roles(Role.ADMIN)
def set_chair(board_id: int, member_id: int):
    board = administered_board(board_id)
    member = board_member(board, member_id)

    def act():
        svc.set_chair(db.session, board=board, member=member, actor=current_user, ip=ip())
        return _("Chair set.")

    return _act(board, ConfirmForm(), act)


@bp.post("/<int:board_id>/assign")
@access.roles(Role.ADMIN)
def assign(board_id: int):
    board = administered_board(board_id)
    form = AssignForm()

    def act():
        result = svc.assign_units(
            db.session,
            board=board,
            mode=AssignmentMode(form.mode.data),
            scorers_per_unit=form.scorers_per_unit.data,
            actor=current_user,
            ip=ip(),
        )
        message = _("%(n)d assignments made.", n=result.created)
        if result.blocked:
            message += " " + _("%(n)d blocked by conflicts of interest.", n=result.blocked)
        if result.short_units:
            message += " " + _(
                "%(n)d units have fewer scorers than asked.", n=len(result.short_units)
            )
        return message

    return _act(board, form, act)


@bp.post("/<int:board_id>/members/<int:member_id>/units/<int:unit_id>/override")
@access.roles(Role.ADMIN)
def override(board_id: int, member_id: int, unit_id: int):
    board = administered_board(board_id)
    member = board_member(board, member_id)
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise NotFound()
    form = OverrideForm()

    def act():
        svc.override_conflict(
            db.session,
            board=board,
            member=member,
            unit=unit,
            reason=form.reason.data,
            actor=current_user,
            ip=ip(),
        )
        return _("Conflict overridden; the reason is recorded.")

    return _act(board, form, act)
