"""Administration of campaigns and periods: details, lifecycle, windows, rules.

National admins manage; provincial admins see the same pages read-only (periods are
national). Criteria editor views are in `criteria_views.py` on the same blueprint."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from emulation import access, web
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.audit import services as audit
from emulation.campaigns import campaign_services, services
from emulation.campaigns.criteria import criteria_editable, group_codes, validate_period
from emulation.campaigns.domain import tie_break_keys
from emulation.campaigns.forms import (
    CampaignForm,
    ExtendWindowForm,
    PeriodForm,
    RulesForm,
    TransitionForm,
)
from emulation.campaigns.models import Campaign, Period, PeriodStatus
from emulation.campaigns.next_period import propose_next_year
from emulation.campaigns.validation import Rules
from emulation.errors import InvalidInput
from emulation.extensions import db
from emulation.forms import version_of
from emulation.labels import period_status_label

bp = Blueprint("campaigns", __name__, url_prefix="/admin")


# --- helpers shared with criteria_views -----------------------------------------------
def can_manage() -> bool:
    """Campaigns, periods and criteria are national: national admins manage them."""
    return authz.can(web.actor(), "administer", authz.NATIONAL)


def managed(model, ident: int):
    """The object, if the current user may change it (404 unseen, 403 read-only)."""
    return authz.get_or_404(model, ident, "administer")


# --- campaigns ------------------------------------------------------------------------
@bp.get("/campaigns/")
@access.roles(Role.ADMIN)
def index():
    return render_template(
        "campaigns/index.html",
        campaigns=campaign_services.campaigns(db.session),
        can_manage=can_manage(),
    )


@bp.route("/campaigns/new", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def new_campaign():
    authz.require(web.actor(), "administer", authz.NATIONAL)
    return web.form_action(
        CampaignForm(),
        lambda form: campaign_services.create_campaign(
            db.session, data=form.to_input(), actor=web.actor(), ip=web.client_ip()
        ),
        success=_("Campaign created."),
        to=lambda campaign: url_for("campaigns.index", _anchor=f"campaign-{campaign.id}"),
        render=lambda form: render_template(
            "campaigns/campaign_form.html", form=form, campaign=None
        ),
    )


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def edit_campaign(campaign_id: int):
    campaign = managed(Campaign, campaign_id)
    form = CampaignForm(obj=campaign)
    if not form.is_submitted():
        form.version.data = campaign.version
    return web.form_action(
        form,
        lambda form: campaign_services.update_campaign(
            db.session,
            campaign=campaign,
            data=form.to_input(),
            actor=web.actor(),
            expected_version=version_of(form),
            ip=web.client_ip(),
        ),
        success=_("Campaign saved."),
        to=url_for("campaigns.index"),
        render=lambda form: render_template(
            "campaigns/campaign_form.html", form=form, campaign=campaign
        ),
    )


# --- periods --------------------------------------------------------------------------
def _source_choices(exclude: Period | None = None) -> list[tuple[str, str]]:
    choices = []
    for p in services.periods(db.session):
        if p is not exclude:
            label = p.code + " · " + p.name_vi
            choices.append((str(p.id), _("Copy from %(period)s", period=label)))
    return choices


@bp.route("/campaigns/<int:campaign_id>/periods/new", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def new_period(campaign_id: int):
    campaign = managed(Campaign, campaign_id)
    source = _proposal_source(campaign)
    prefill = source is not None and request.method == "GET"
    form = PeriodForm(data=_proposal(source)) if prefill else PeriodForm()
    form.based_on.choices = [*_source_choices(), ("", _("Start empty"))]
    if prefill:
        form.based_on.data = str(source.id)

    def create(form: PeriodForm) -> Period:
        source = db.session.get(Period, int(form.based_on.data)) if form.based_on.data else None
        return services.create_period(
            db.session,
            campaign=campaign,
            data=form.to_input(),
            actor=web.actor(),
            based_on=source,
            ip=web.client_ip(),
        )

    return web.form_action(
        form,
        create,
        success=_("Period created."),
        to=lambda period: url_for("campaigns.period", period_id=period.id),
        render=lambda form: render_template(
            "campaigns/period_form.html", form=form, campaign=campaign, period=None, source=source
        ),
    )


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
    period = authz.get_or_404(Period, period_id)
    form = TransitionForm()
    return render_template(
        "campaigns/period.html",
        period=period,
        can_manage=can_manage(),
        moves=services.allowed_transitions(period),
        backward=services.BACKWARD.get(period.status),
        flow=list(PeriodStatus),
        report=validate_period(period),
        editable=criteria_editable(period),
        events=audit.object_history(db.session, period, limit=10),
        form=form,
    )


@bp.route("/periods/<int:period_id>/edit", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def edit_period(period_id: int):
    period = managed(Period, period_id)
    form = PeriodForm(obj=period)
    form.based_on.choices = [("", "")]
    form.based_on.data = ""
    if not form.is_submitted():
        form.version.data = period.version
    return web.form_action(
        form,
        lambda form: services.update_period(
            db.session,
            period=period,
            data=form.to_input(),
            actor=web.actor(),
            expected_version=version_of(form),
            ip=web.client_ip(),
        ),
        success=_("Period saved."),
        to=url_for("campaigns.period", period_id=period.id),
        render=lambda form: render_template(
            "campaigns/period_form.html", form=form, campaign=period.campaign, period=period
        ),
    )


@bp.post("/periods/<int:period_id>/transition")
@access.roles(Role.ADMIN)
def transition(period_id: int):
    period = managed(Period, period_id)

    def move(form: TransitionForm) -> Period:
        if form.to.data not in set(PeriodStatus):
            raise InvalidInput(_("Choose the new status."))
        return services.transition_period(
            db.session,
            period=period,
            to=PeriodStatus(form.to.data),
            actor=web.actor(),
            reason=form.reason.data,
            expected_version=version_of(form),
            ip=web.client_ip(),
        )

    return web.form_action(
        TransitionForm(),
        move,
        success=lambda period: _(
            "The period is now “%(status)s”.", status=period_status_label(period.status)
        ),
        to=url_for("campaigns.period", period_id=period_id),
    )


@bp.route("/periods/<int:period_id>/windows", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
def extend_window(period_id: int):
    period = managed(Period, period_id)
    form = ExtendWindowForm()
    if not form.is_submitted():
        form.version.data = period.version
    return web.form_action(
        form,
        lambda form: services.extend_window(
            db.session,
            period=period,
            window=form.window.data,
            new_value=form.new_value.data,
            reason=form.reason.data,
            actor=web.actor(),
            expected_version=version_of(form),
            ip=web.client_ip(),
        ),
        success=_("Window extended."),
        to=url_for("campaigns.period", period_id=period.id),
        render=lambda form: render_template("campaigns/extend.html", form=form, period=period),
    )


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
    period = authz.get_or_404(Period, period_id)
    form = RulesForm(obj=period)
    if request.method == "GET":
        form.version.data = period.version
        return _render_rules(period, form, list(period.tie_break or []))
    authz.require(web.actor(), "administer", period)
    chain = [key for key in request.form.getlist("tie_break") if key]
    if request.form.get("chain_action"):  # an editing button: show the changed chain
        return _render_rules(period, form, _chain_from_request(chain))

    def save(form: RulesForm) -> None:
        data = Rules(
            band_excellent=form.band_excellent.data,
            band_good=form.band_good.data,
            band_completed=form.band_completed.data,
            excellent_cap_percent=form.excellent_cap_percent.data,
            tie_break=tuple(chain),
            aggregation=form.aggregation.data,
        )
        services.update_rules(
            db.session,
            period=period,
            data=data,
            actor=web.actor(),
            expected_version=version_of(form),
            ip=web.client_ip(),
        )

    return web.form_action(
        form,
        save,
        success=_("Classification rules saved."),
        to=url_for("campaigns.rules", period_id=period.id),
        render=lambda form: _render_rules(period, form, chain),
    )


def _render_rules(period: Period, form: RulesForm, chain: list[str]) -> str:
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
    )


AUDIT_ACTIONS = {
    "period.created": _l("Period created"),
    "period.updated": _l("Details changed"),
    "period.transitioned": _l("Status changed"),
    "period.window_extended": _l("Window extended"),
    "period.rules_updated": _l("Classification rules changed"),
    "criteria.copied": _l("Criteria copied"),
    "criteria.imported": _l("Criteria imported"),
}


def audit_action_label(action: str) -> str:
    label = AUDIT_ACTIONS.get(action)
    return str(label) if label is not None else action
