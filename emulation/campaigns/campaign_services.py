"""Campaigns (emulation movements): creation, edits and the list of them.

A campaign's periods, their lifecycle and windows are in `services.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from emulation.audit import services as audit
from emulation.campaigns.criteria import check_version
from emulation.campaigns.models import Campaign
from emulation.errors import InvalidInput


@dataclass(frozen=True)
class CampaignInput:
    slug: str
    name_vi: str
    name_en: str
    starts_on: date
    description_vi: str = ""
    description_en: str = ""


def _campaign_state(campaign: Campaign) -> dict:
    return {
        "slug": campaign.slug,
        "name_vi": campaign.name_vi,
        "name_en": campaign.name_en,
        "starts_on": campaign.starts_on.isoformat(),
        "description_vi": campaign.description_vi,
        "description_en": campaign.description_en,
    }


def _check_slug(session: Session, slug: str, campaign: Campaign | None) -> None:
    other = session.scalar(select(Campaign).where(Campaign.slug == slug))
    if other is not None and other is not campaign:
        raise InvalidInput(_("Another campaign already uses the short name “%(slug)s”.", slug=slug))


def create_campaign(session: Session, *, data: CampaignInput, actor: Any, ip: str = "") -> Campaign:
    """Create a campaign (an emulation movement)."""
    _check_slug(session, data.slug, None)
    campaign = Campaign(**vars(data))
    session.add(campaign)
    session.flush()
    audit.record(
        session, actor, "campaign.created", campaign, after=_campaign_state(campaign), ip=ip
    )
    return campaign


def update_campaign(
    session: Session,
    *,
    campaign: Campaign,
    data: CampaignInput,
    actor: Any,
    expected_version: int | None,
    ip: str = "",
) -> Campaign:
    """Edit a campaign's names, description and start."""
    check_version(campaign, expected_version)
    _check_slug(session, data.slug, campaign)
    before = _campaign_state(campaign)
    for key, value in vars(data).items():
        setattr(campaign, key, value)
    session.flush()
    after = _campaign_state(campaign)
    audit.record(session, actor, "campaign.updated", campaign, before=before, after=after, ip=ip)
    return campaign


def first_campaign(session: Session) -> Campaign | None:
    return session.scalar(select(Campaign).order_by(Campaign.starts_on).limit(1))


def campaigns(session: Session) -> list[Campaign]:
    """Every campaign, oldest first."""
    return list(session.scalars(select(Campaign).order_by(Campaign.starts_on)))
