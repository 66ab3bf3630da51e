"""The unit head's pages: "My unit", the self-assessment form (save on change), submit.

Board members, chairs and administrators in scope see the same form read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from emulation import access, web
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.assessments import permissions, services, values, windows
from emulation.assessments.evidence import ACCEPT, PREVIEWABLE
from emulation.assessments.forms import ScoreForm, SubmitForm
from emulation.assessments.models import AssessmentStatus, SelfAssessment
from emulation.assessments.summary import layout, summarise
from emulation.campaigns.models import Criterion, CriterionKind, Period, PeriodStatus
from emulation.db import utcnow
from emulation.errors import Conflict, DomainError, NotFound
from emulation.extensions import db
from emulation.forms import ConfirmForm
from emulation.i18n import current_locale
from emulation.leaderboards import unit_queries
from emulation.org.models import COMPETING_KINDS, Unit

bp = Blueprint("assessments", __name__)
S = PeriodStatus
CURRENT_STATUSES = (S.SELF_ASSESSMENT, S.SCORING, S.OPEN, S.CLOSED)
MAX_UNITS = 50


@bp.after_request
def _private(response):
    # Signed-in pages with a unit's own data stay out of shared caches.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


# --- lookups -----------------------------------------------------------------------------
def headed_units(user) -> list[Unit]:
    """Competing units under the user's unit-head grants."""
    units: dict[int, Unit] = {}
    for grant in authz.grants(user, [Role.UNIT_HEAD]):
        scope = grant.scope_unit
        if scope.competes:
            units[scope.id] = scope
            continue
        below = db.session.scalars(
            select(Unit)
            .where(Unit.path.startswith(scope.path, autoescape=True), Unit.active.is_(True))
            .where(Unit.kind.in_(COMPETING_KINDS))
            .order_by(Unit.path)
            .limit(MAX_UNITS)
        )
        units.update((u.id, u) for u in below)
    return sorted(units.values(), key=lambda u: u.path)[:MAX_UNITS]


def periods_under_way() -> list[Period]:
    """Periods open, in self-assessment, in scoring or just closed, newest first."""
    return list(
        db.session.scalars(
            select(Period)
            .where(Period.status.in_(CURRENT_STATUSES))
            .order_by(Period.starts_on.desc(), Period.id.desc())
        )
    )


def readable(assessment_id: int) -> SelfAssessment:
    assessment = db.session.get(SelfAssessment, assessment_id)
    if assessment is None or not permissions.may_read(db.session, current_user, assessment):
        raise NotFound()
    return assessment


def own(assessment_id: int) -> SelfAssessment:
    """The unit head's own assessment (404 for anyone else's)."""
    assessment = db.session.get(SelfAssessment, assessment_id)
    if assessment is None:
        raise NotFound()
    authz.require(current_user, "self_assess", assessment)
    return assessment


def criterion_of(assessment: SelfAssessment, criterion_id: int) -> Criterion:
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is None or criterion.period_id != assessment.period_id or criterion.is_group:
        raise NotFound()
    return criterion


# --- My unit -------------------------------------------------------------------------------
@dataclass
class Card:
    unit: Unit
    period: Period | None
    window: windows.Window | None
    assessment: SelfAssessment | None
    answered: int
    count: int
    history: list


def remaining(deadline: datetime | None) -> str:
    if deadline is None:
        return ""
    seconds = int((deadline - utcnow()).total_seconds())
    if seconds <= 0:
        return _("the deadline has passed")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return _("%(days)d days %(hours)d hours left", days=days, hours=hours)
    return _("%(hours)d hours %(minutes)d minutes left", hours=hours, minutes=rest // 60)


def card_for(unit: Unit, period: Period | None) -> Card:
    window = assessment = None
    answered = count = 0
    if period is not None:
        window = windows.window_for(db.session, period, unit, utcnow())
        assessment = services.assessment_for(db.session, unit, period)
        count = sum(len(g.criteria) for g in layout(period))
        if assessment is not None:
            answered = sum(1 for s in assessment.scores if s.measured is not None)
    return Card(unit, period, window, assessment, answered, count, history=[])


def still_waiting(card: Card) -> bool:
    """An older period needs the unit: its window (or extension) is open, or it was returned."""
    returned = card.assessment is not None and card.assessment.status == AssessmentStatus.RETURNED
    return card.window.is_open or returned


def cards_for(unit: Unit, under_way: list[Period]) -> list[Card]:
    """The newest period under way first, then any older one the unit still has work in;
    the first card lists the unit's past periods."""
    if not under_way:
        cards = [card_for(unit, None)]
    else:
        first, *older = (card_for(unit, period) for period in under_way)
        cards = [first, *(card for card in older if still_waiting(card))]
    shown = {card.period.id for card in cards if card.period is not None}
    cards[0].history = [  # past periods only: the ones under way are shown above
        point
        for point in reversed(unit_queries.unit_history(db.session, unit))
        if point.period.id not in shown
    ]
    return cards


@bp.get("/my-unit/")
@access.roles(Role.UNIT_HEAD)
def my_unit():
    under_way = periods_under_way()
    cards = [card for unit in headed_units(web.actor()) for card in cards_for(unit, under_way)]
    return render_template(
        "assessments/my_unit.html",
        cards=cards,
        period=under_way[0] if under_way else None,
        form=ConfirmForm(),
        remaining=remaining,
        A=AssessmentStatus,
    )


@bp.post("/my-unit/<int:unit_id>/periods/<int:period_id>/start")
@access.roles(Role.UNIT_HEAD)
def start(unit_id: int, period_id: int):
    unit = db.session.get(Unit, unit_id)
    period = db.session.get(Period, period_id)
    if unit is None or period is None:
        raise NotFound()
    authz.require(current_user, "self_assess", unit)

    def started(_form) -> SelfAssessment:
        try:
            return services.start_assessment(
                db.session, unit=unit, period=period, actor=web.actor(), ip=web.client_ip()
            )
        except IntegrityError:  # another tab or head started it at the same moment: open it
            db.session.rollback()
            existing = services.assessment_for(db.session, unit, period)
            if existing is None:
                raise
            return existing

    return web.form_action(
        ConfirmForm(),
        started,
        success=None,
        to=lambda assessment: url_for("assessments.assessment", assessment_id=assessment.id),
        back=url_for("assessments.my_unit"),
    )


# --- the form -------------------------------------------------------------------------------
def value_text(criterion: Criterion, measured: int | None) -> str:
    """A stored value as the user would type it again ('12,5', '3', '1')."""
    if measured is None:
        return ""
    if criterion.kind in values.DECIMAL_KINDS:
        sign = "-" if measured < 0 else ""
        whole, cents = divmod(abs(measured), 100)
        if not cents:
            return f"{sign}{whole}"
        separator = "." if current_locale() == "en" else ","
        return f"{sign}{whole}{separator}{cents:02d}".rstrip("0")
    return str(measured)


def form_context(assessment: SelfAssessment) -> dict:
    period = assessment.period
    summary = summarise(period, assessment.scores)
    scores = {s.criterion_id: s for s in assessment.scores}
    evidence: dict[int, list] = {}
    for item in sorted(assessment.evidence, key=lambda e: e.id):
        evidence.setdefault(item.criterion_id, []).append(item)
    editable = permissions.may_edit(current_user, assessment) and windows.editable(
        db.session, assessment, utcnow()
    )
    needs = {
        c.id: services.missing_for(c, scores.get(c.id), len(evidence.get(c.id, [])))
        for g in summary.groups
        for c in g.criteria
    }
    return {
        "assessment": assessment,
        "period": period,
        "summary": summary,
        "scores": scores,
        "evidence": evidence,
        "editable": editable,
        "needs": needs,
        "window": windows.window_for(db.session, period, assessment.unit, utcnow()),
        "K": CriterionKind,
        "A": AssessmentStatus,
        "accept": ACCEPT,
        "previewable": PREVIEWABLE,
        "form": ConfirmForm(),
        "remaining": remaining,
        "value_text": value_text,
        "closed_message": windows.closed_message,
        "is_head": authz.has_role(current_user, Role.UNIT_HEAD),
    }


@bp.get("/my-unit/assessments/<int:assessment_id>")
@access.signed_in
def assessment(assessment_id: int):
    return render_template("assessments/form.html", **form_context(readable(assessment_id)))


def _row(assessment, criterion, status: int = 200, **state):
    """The answer to one save: the row's state, plus out-of-band totals and version."""
    db.session.expire_all()
    context = form_context(assessment)
    score = context["scores"].get(criterion.id)
    html = render_template(
        "assessments/_saved.html",
        c=criterion,
        score=score,
        group=next(g for g in context["summary"].groups if criterion in g.criteria),
        **context,
        **state,
    )
    return html, status


@bp.post("/my-unit/assessments/<int:assessment_id>/criteria/<int:criterion_id>")
@access.roles(Role.UNIT_HEAD)
def save_score(assessment_id: int, criterion_id: int):
    assessment = own(assessment_id)
    criterion = criterion_of(assessment, criterion_id)
    form = ScoreForm()
    mine = {"value": form.value.data or "", "note": form.note.data or ""}
    try:
        value = values.parse_value(criterion.kind, form.value.data)
    except values.BadValue as err:
        return _row(assessment, criterion, 422, error=services.value_message(err, criterion))
    if not form.validate_on_submit():
        return _row(assessment, criterion, 422, error=_("This value is not accepted."))
    try:
        services.save_self_score(
            db.session,
            assessment=assessment,
            actor=web.actor(),
            data=services.ScoreInput(criterion.id, value, form.note.data or ""),
            expected_version=form.version.data or 0,
            ip=web.client_ip(),
        )
        web.commit()
    except (StaleDataError, IntegrityError):  # another save landed between read and write
        db.session.rollback()
        message = _(
            "Someone else changed this in the meantime. Reload the page to see their change."
        )
        return _row(assessment, criterion, 409, retry=True, message=message)
    except Conflict as err:
        db.session.rollback()
        if not err.details:  # two saves raced on the server: the browser retries
            return _row(assessment, criterion, 409, retry=True, message=err.message)
        theirs = dict(err.details["theirs"])
        theirs["measured_text"] = value_text(criterion, theirs["measured"])
        conflict = {"version": err.details["version"], "theirs": theirs}
        return _row(assessment, criterion, 409, conflict=conflict, mine=mine)
    except DomainError as err:
        db.session.rollback()
        field = err.details.get("field") if isinstance(err.details, dict) else None
        key = "note_error" if field == "note" else "error"
        return _row(assessment, criterion, err.status, **{key: err.message})
    return _row(assessment, criterion, saved=True)


# --- submit ---------------------------------------------------------------------------------
def _posted_version(form: SubmitForm) -> int:
    """The version the review page showed; anything else (missing, not a number) is 0, which
    no assessment has, so it is refused as a conflict rather than submitted unchecked."""
    raw = str(form.version.data or "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else 0


def _submit(assessment: SelfAssessment, form: SubmitForm) -> None:
    try:
        services.submit_assessment(
            db.session,
            assessment=assessment,
            actor=web.actor(),
            expected_version=_posted_version(form),
            explanation=form.explanation.data or "",
            ip=web.client_ip(),
        )
        web.commit()
    except StaleDataError:  # a save from another tab landed between our read and our write
        raise Conflict(
            _("The self-assessment changed since you reviewed it. Review it again.")
        ) from None


@bp.route("/my-unit/assessments/<int:assessment_id>/submit", methods=["GET", "POST"])
@access.roles(Role.UNIT_HEAD)
def submit(assessment_id: int):
    assessment = own(assessment_id)
    form = SubmitForm()
    context = form_context(assessment)
    criteria = [c for g in context["summary"].groups for c in g.criteria]
    missing = services.missing_items(assessment, criteria)
    if request.method == "GET":
        form.version.data = assessment.version
    elif form.validate_on_submit():
        try:
            _submit(assessment, form)
        except DomainError as err:
            if isinstance(err.details, list):  # the page lists what is missing
                db.session.rollback()
            else:
                web.fail(err)
            context = form_context(own(assessment_id))
            form.version.data = context["assessment"].version
        else:
            return redirect(url_for("assessments.assessment", assessment_id=assessment.id))
    context["form"] = form
    return render_template("assessments/submit.html", missing=missing, **context)


from emulation.assessments import admin_views, evidence_views, results_views  # noqa: E402, F401
