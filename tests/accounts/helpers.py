"""Helpers for the accounts tests: a cheap sign-in, TOTP codes and the fixture world."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pyotp
from flask_login.utils import _create_identifier

from emulation.accounts import sessions
from emulation.accounts.models import Role, User
from emulation.campaigns.models import PeriodStatus


def sign_in(app, client, user: User) -> None:
    """Put `user` in the client's session exactly as a completed sign-in does, without the
    (deliberately slow) password hash: for tests that walk hundreds of requests."""
    with app.test_request_context(environ_base=client.environ_base):
        ident = _create_identifier()
    now = int(time.time())
    with client.session_transaction() as sess:
        sess.clear()
        sess.update(
            {
                "_user_id": user.get_id(),
                "_fresh": True,
                "_id": ident,
                sessions.LOGIN_AT: now,
                sessions.SEEN_AT: now,
            }
        )


def totp_code(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


ROLE_NAMES = (
    "anonymous",
    "head_a",
    "head_b",
    "member_in",
    "member_out",
    "admin_b",
    "national",
)


@dataclass
class World:
    """Two provinces A and B; every object of the URL map lives in province A."""

    users: dict[str, User | None]
    objects: dict[str, Any]  # URL parameter name -> object (or plain value for public ones)
    values: dict[str, Any] = field(default_factory=dict)  # URL parameter name -> URL value


def build_world(make) -> World:
    prov_a, prov_b = make.province(), make.province()
    unit_a, unit_b = make.unit(parent=prov_a), make.unit(parent=prov_b)
    member_in = make.board_member(scope=prov_a)
    users: dict[str, User | None] = {
        "anonymous": None,
        "head_a": make.unit_head(unit=unit_a),
        "head_b": make.unit_head(unit=unit_b),
        "member_in": member_in,
        "member_out": make.board_member(scope=prov_b),
        "admin_b": make.admin(scope=prov_b),
        "national": make.admin(),
    }
    campaign = make.campaign()
    period = make.period(campaign=campaign, status=PeriodStatus.SCORING)
    criterion = make.criterion(period=period)
    assessment = make.assessment(unit=unit_a, period=period)
    board = make.board(period=period, scope=prov_a)
    member = make.member(board=board, user=member_in)
    assignment = make.assignment(member=member, unit=unit_a)
    sheet = make.sheet(unit=unit_a, period=period, scorer=member_in, assignment=assignment)
    snapshot = make.snapshot(period=period)
    make.standing(snapshot=snapshot, unit=unit_a)
    clerk = make.user(home_unit=unit_a, roles=[(Role.VIEWER, unit_a)])
    objects = {
        "campaign_id": campaign,
        "period_id": period,
        "criterion_id": criterion,
        "snapshot_id": snapshot,
        "unit_id": unit_a,
        "cluster_id": make.cluster(units=[unit_a], owner=prov_a),
        "board_id": board,
        "member_id": member,
        "user_id": clerk,
        "grant_id": clerk.grants[0],
        "assessment_id": assessment,
        "sheet_id": sheet,
        "evidence_id": _evidence_with_file(make, assessment),
        "explanation_id": make.explanation(board=board, unit=unit_a),
    }
    values = {name: obj.id for name, obj in objects.items()}
    values.update(period=period.code, code=unit_a.code, fmt="csv")
    return World(users=users, objects=objects, values=values)


def _evidence_with_file(make, assessment):
    """Evidence whose file exists, so routes serving it can answer 200 to those allowed."""
    from flask import current_app

    from emulation.assessments.evidence import stored_path

    evidence = make.evidence(assessment=assessment, mime="image/png")
    path = stored_path(current_app.config["EVIDENCE_DIR"], evidence.stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    return evidence


def dispose(app) -> None:
    """Close an extra app's connection pool (PostgreSQL warns about connections left open)."""
    from emulation.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
