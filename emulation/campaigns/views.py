"""Administration of campaigns and periods: details, lifecycle, windows, rules.

National admins manage; provincial admins see the same pages read-only (periods are
national). Criteria editor views are in `criteria_views.py` on the same blueprint."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from emulation import access
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.audit.models import AuditEvent
from emulation.campaigns import services
from emulation.campaigns.criteria import criteria_editable, group_codes, validate_period
from emulation.campaigns.forms import (
    CampaignForm,
    ExtendWindowForm,
    PeriodForm,
    RulesForm,
    TransitionForm,
    today,
    version_of,
)
from emulation.campaigns.models import Campaign, Period, PeriodStatus
from emulation.campaigns.next_period import propose_next_year
from emulation.campaigns.validation import Rules, tie_break_keys
from emulation.errors import Conflict, DomainError, NotAllowed, NotFound
from emulation.extensions import db

bp = Blueprint("campaigns", __name__, url_prefix="/admin")


# --- helpers shared with criteria_views -----------------------------------------------
def can_manage() -> bool:
    return authz.is_national_admin(current_user)


def require_manage() -> None:
    if not can_manage():
        raise NotAllowed(_("Only national administrators can change campaigns and periods."))


def get_or_404(model, ident: int):
    obj = db.session.get(model, ident)
    if obj is None:
        raise NotFound()
    authz.require(current_user, "view", obj)
    return obj


def client_ip() -> str:
    return request.remote_addr or ""


def commit() -> None:
    """Commit; a row changed underneath us (version mismatch) becomes a clear 409."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(
            _("Someone else changed this in the meantime. Reload the page to see their change.")
        ) from None


def fail(err: DomainError) -> int:
    db.session.rollback()
    flash(err.message, "danger")
    return err.status


# --- campaigns ------------------------------------------------------------------------
@bp.get("/campaigns/")
@access.roles(Role.ADMIN)
def index():
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.starts_on)).all()
    return render_template("campaigns/index.html", campaigns=campaigns, can_manage=can_manage())


@bp.route("/campaigns/new", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def new_campaign():
    require_manage()
    form = CampaignForm()
    status = 200
    if form.validate_on_submit():
        try:
            campaign = services.create_campaign(
                db.session, data=form.to_input(), actor=current_user, ip=client_ip()
            )
            commit()
            flash(_("Campaign created."), "success")
            return redirect(url_for("campaigns.index", _anchor=f"campaign-{campaign.id}"))
        except DomainError as err:
            status = fail(err)
    elif form.is_submitted():
        status = 422
    return render_template("campaigns/campaign_form.html", form=form, campaign=None), status


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def edit_campaign(campaign_id: int):
    campaign = get_or_404(Campaign, campaign_id)
    require_manage()
    form = CampaignForm(obj=campaign)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_campaign(
                db.session,
                campaign=campaign,
                data=form.to_input(),
                actor=current_user,
                expected_version=version_of(form),
                ip=client_ip(),
            )
            commit()
            flash(_("Campaign saved."), "success")
            return redirect(url_for("campaigns.index"))
        except DomainError as err:
            status = fail(err)
    elif form.is_submitted():
        status = 422
    else:
        form.version.data = campaign.version
    return render_template("campaigns/campaign_form.html", form=form, campaign=campaign), status


# --- periods --------------------------------------------------------------------------
def _source_choices(exclude: Period | None = None) -> list[tuple[str, str]]:
    periods = db.session.scalars(select(Period).order_by(Period.starts_on.desc())).all()
    choices = []
    for p in periods:
        if p is not exclude:
            label = p.code + " · " + p.name_vi
            choices.append((str(p.id), _("Copy from %(period)s", period=label)))
    return choices


@bp.route("/campaigns/<int:campaign_id>/periods/new", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def new_period(campaign_id: int):
    campaign = get_or_404(Campaign, campaign_id)
    require_manage()
    source = _proposal_source(campaign)
    form = (
        PeriodForm(data=_proposal(source)) if source and request.method == "GET" else PeriodForm()
    )
    form.based_on.choices = [*_source_choices(), ("", _("Start empty"))]
    if source and request.method == "GET":
        form.based_on.data = str(source.id)
    status = 200
    if form.validate_on_submit():
        source = db.session.get(Period, int(form.based_on.data)) if form.based_on.data else None
        try:
            period = services.create_period(
                db.session,
                campaign=campaign,
                data=form.to_input(),
                actor=current_user,
                based_on=source,
                ip=client_ip(),
            )
            commit()
            flash(_("Period created."), "success")
            return redirect(url_for("campaigns.period", period_id=period.id))
        except DomainError as err:
            status = fail(err)
    elif form.is_submitted():
        status = 422
    return render_template(
        "campaigns/period_form.html", form=form, campaign=campaign, period=None, source=source
    ), status


def _proposal_source(campaign: Campaign) -> Period | None:
    """`?from=<id>`: a period of this campaign to prepare the same period next year from."""
    ident = request.args.get("from", type=int)
    source = db.session.get(Period, ident) if ident else None
    return source if source is not None and source.campaign_id == campaign.id else None


def _proposal(source: Period) -> dict:
    proposal = vars(propose_next_year(source)).copy()
    proposal["kind"] = str(proposal["kind"])
    return proposal


@bp.get("/periods/<int:period_id>")
@access.roles(Role.ADMIN)
def period(period_id: int):
    period = get_or_404(Period, period_id)
    return _render_period(period)


def _render_period(period: Period, status: int = 200, transition_form=None):
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == "Period", AuditEvent.object_id == str(period.id))
        .order_by(AuditEvent.id.desc())
        .limit(10)
    ).all()
    return render_template(
        "campaigns/period.html",
        period=period,
        can_manage=can_manage(),
        moves=services.allowed_transitions(period),
        backward=services.BACKWARD.get(period.status),
        flow=list(PeriodStatus),
        report=validate_period(period),
        editable=criteria_editable(period),
        events=events,
        form=transition_form or TransitionForm(),
    ), status


@bp.route("/periods/<int:period_id>/edit", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def edit_period(period_id: int):
    period = get_or_404(Period, period_id)
    require_manage()
    form = PeriodForm(obj=period)
    form.based_on.choices = [("", "")]
    form.based_on.data = ""
    status = 200
    if form.validate_on_submit():
        try:
            services.update_period(
                db.session,
                period=period,
                data=form.to_input(),
                actor=current_user,
                expected_version=version_of(form),
                ip=client_ip(),
            )
            commit()
            flash(_("Period saved."), "success")
            return redirect(url_for("campaigns.period", period_id=period.id))
        except DomainError as err:
            status = fail(err)
    elif form.is_submitted():
        status = 422
    else:
        form.version.data = period.version
    return render_template(
        "campaigns/period_form.html", form=form, campaign=period.campaign, period=period
    ), status


@bp.post("/periods/<int:period_id>/transition")
@access.roles(Role.ADMIN)
def transition(period_id: int):
    period = get_or_404(Period, period_id)
    require_manage()
    form = TransitionForm()
    if not form.validate_on_submit():
        flash(_("Choose the new status."), "danger")
        return _render_period(period, 422, form)
    try:
        services.transition_period(
            db.session,
            period=period,
            to=PeriodStatus(form.to.data),
            actor=current_user,
            reason=form.reason.data,
            expected_version=version_of(form),
            ip=client_ip(),
        )
        commit()
    except ValueError:
        flash(_("Choose the new status."), "danger")
        return _render_period(period, 422, form)
    except DomainError as err:
        status = fail(err)
        return _render_period(db.session.get(Period, period_id), status, form)
    flash(_("The period is now “%(status)s”.", status=_status_label(period.status)), "success")
    return redirect(url_for("campaigns.period", period_id=period.id))


def _status_label(status: PeriodStatus) -> str:
    from emulation.labels import period_status_label

    return period_status_label(status)


@bp.route("/periods/<int:period_id>/windows", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def extend_window(period_id: int):
    period = get_or_404(Period, period_id)
    require_manage()
    form = ExtendWindowForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.extend_window(
                db.session,
                period=period,
                window=form.window.data,
                new_value=form.new_value.data,
                reason=form.reason.data,
                actor=current_user,
                expected_version=version_of(form),
                ip=client_ip(),
            )
            commit()
            flash(_("Window extended."), "success")
            return redirect(url_for("campaigns.period", period_id=period.id))
        except DomainError as err:
            status = fail(err)
    elif form.is_submitted():
        status = 422
    else:
        form.version.data = period.version
    return render_template("campaigns/extend.html", form=form, period=period), status


# --- classification rules -------------------------------------------------------------
def _chain_from_request(chain: list[str]) -> list[str]:
    """Apply an up/down/remove/add button of the tie-break editor to the posted chain."""
    action = request.form.get("chain_action", "")
    verb, _sep, arg = action.partition(":")
    if verb in ("up", "down", "remove") and arg.isdigit() and int(arg) < len(chain):
        i = int(arg)
        if verb == "remove":
            chain.pop(i)
        elif verb == "up" and i > 0:
            chain[i - 1], chain[i] = chain[i], chain[i - 1]
        elif verb == "down" and i + 1 < len(chain):
            chain[i + 1], chain[i] = chain[i], chain[i + 1]
    elif verb == "add" and request.form.get("new_key"):
        chain.append(request.form["new_key"])
    return chain


@bp.route("/periods/<int:period_id>/rules", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def rules(period_id: int):
    period = get_or_404(Period, period_id)
    form = RulesForm(obj=period)
    chain = list(period.tie_break or [])
    status = 200
    if request.method == "POST":
        require_manage()
        chain = [key for key in request.form.getlist("tie_break") if key]
        if request.form.get("chain_action"):
            chain = _chain_from_request(chain)
        elif form.validate_on_submit():
            data = Rules(
                band_excellent=form.band_excellent.data,
                band_good=form.band_good.data,
                band_completed=form.band_completed.data,
                excellent_cap_percent=form.excellent_cap_percent.data,
                tie_break=tuple(chain),
            )
            try:
                services.update_rules(
                    db.session,
                    period=period,
                    data=data,
                    actor=current_user,
                    expected_version=version_of(form),
                    ip=client_ip(),
                )
                commit()
                flash(_("Classification rules saved."), "success")
                return redirect(url_for("campaigns.rules", period_id=period.id))
            except DomainError as err:
                status = fail(err)
        else:
            status = 422
    else:
        form.version.data = period.version
    keys = tie_break_keys(group_codes(period))
    return render_template(
        "campaigns/rules.html",
        form=form,
        period=period,
        chain=chain,
        addable=[key for key in keys if key not in chain],
        report=validate_period(period),
        can_manage=can_manage(),
        locked=period.status in (PeriodStatus.CLOSED, PeriodStatus.PUBLISHED),
    ), status


@bp.app_template_global()
def tie_break_label(key: str) -> str:
    labels = {
        "total": _("Higher total"),
        "fewer_penalties": _("Fewer penalty points"),
        "bonus": _("More bonus points"),
        "unit_code": _("Unit code (alphabetical)"),
    }
    if key.startswith("group:"):
        return _("Higher points in group %(code)s", code=key.split(":", 1)[1])
    return labels.get(key, key)


AUDIT_ACTIONS = {
    "period.created": _l("Period created"),
    "period.updated": _l("Details changed"),
    "period.transitioned": _l("Status changed"),
    "period.window_extended": _l("Window extended"),
    "period.rules_updated": _l("Classification rules changed"),
    "criteria.copied": _l("Criteria copied"),
    "criteria.imported": _l("Criteria imported"),
}


@bp.app_template_global()
def audit_action_label(action: str) -> str:
    label = AUDIT_ACTIONS.get(action)
    return str(label) if label is not None else action


@bp.app_template_global()
def today_vn():
    return today()


from emulation.campaigns import criteria_views  # noqa: E402,F401  (routes on this blueprint)
