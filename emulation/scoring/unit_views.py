"""The unit head's side of the appraisal: the board's provisional result to explain
(giải trình). My unit (assessments) lists the requests; the published board results are on
the assessments' results page."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from emulation import access, web
from emulation.accounts import authz
from emulation.accounts.models import Role
from emulation.errors import InvalidInput, NotFound
from emulation.extensions import db
from emulation.forms import version_of
from emulation.org.models import Unit
from emulation.scoring import chair as svc
from emulation.scoring import results
from emulation.scoring.models import Explanation
from emulation.scoring.review_forms import AnswerForm

bp = Blueprint("appraisal", __name__, url_prefix="/scoring/unit")


@bp.app_template_global()
def explanation_requests(unit: Unit) -> list[Explanation]:
    """The board's explanation requests to `unit` (for the unit head's My unit page)."""
    return list(
        db.session.scalars(
            select(Explanation)
            .where(Explanation.unit_id == unit.id)
            .order_by(Explanation.deadline.desc())
        )
    )


@bp.after_request
def _private(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _explanation(explanation_id: int) -> Explanation:
    explanation = db.session.get(Explanation, explanation_id)
    if explanation is None:
        raise NotFound()
    authz.require(web.actor(), "self_assess", explanation.unit)
    return explanation


@bp.route("/explanations/<int:explanation_id>", methods=["GET", "POST"])
@access.roles(Role.UNIT_HEAD)
def explanation(explanation_id: int):
    explanation = _explanation(explanation_id)
    board = explanation.board
    view = results.unit_results(db.session, board.period, explanation.unit)
    answers = {a.criterion_id: a.text for a in explanation.answers}

    def render(form):
        return render_template(
            "scoring/explanation.html",
            explanation=explanation,
            view=view,
            answers=answers | _typed(),
            answerable=svc.is_answerable(explanation),
            form=form,
        )

    return web.form_action(
        AnswerForm(version=explanation.version),
        lambda form: svc.answer_explanation(
            db.session,
            explanation=explanation,
            answers=_checked(_typed()),
            actor=web.actor(),
            expected_version=version_of(form),  # required: never saved unchecked
            ip=web.client_ip(),
        ),
        success=_("Your explanation is sent to the board."),
        to=url_for("appraisal.explanation", explanation_id=explanation.id),
        render=render,
    )


MAX_ANSWER = 4000


def _checked(answers: dict[int, str]) -> dict[int, str]:
    if any(len(text) > MAX_ANSWER for text in answers.values()):
        raise InvalidInput(_("Keep each answer under %(n)d characters.", n=MAX_ANSWER))
    return answers


def _typed() -> dict[int, str]:
    """The answers typed in the form, by criterion id (`answer-<id>` fields)."""
    out = {}
    for key, value in request.form.items():
        if key.startswith("answer-") and key[7:].isdigit():
            out[int(key[7:])] = value
    return out
