"""Helpers of the generated bad-input tests: the state that must not change, and whether a
page carries an error a Vietnamese user can read."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, settings
from sqlalchemy import func, select

from emulation.audit.models import AuditHead
from emulation.extensions import db

# Few examples each: the whole suite must stay well under 10 minutes on both databases.
FUZZ = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
VIETNAMESE = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
# Where pages put errors: alerts and field feedback, the import error table, the error page's
# message, and the htmx fragments of the score sheet and the self-assessment.
ERROR_BLOCK = re.compile(
    r'class="[^"]*(?:alert-danger|alert-warning|invalid-feedback|import-errors|save-error|sa-error)[^"]*"[^>]*>(.*?)</(?:div|ul|table|span)'
    r'|<p class="lead">(.*?)</p>',
    re.S,
)


def state() -> tuple:
    """Row counts of every table and the audit head: what bad input must leave alone."""
    session = db.session
    counts = tuple(
        session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    )
    head = session.execute(select(AuditHead.count, AuditHead.hash)).first()
    session.rollback()
    return counts, tuple(head) if head else None


def vietnamese_error(html: str) -> bool:
    """The page shows an error block whose text is Vietnamese."""
    return any(VIETNAMESE.search("".join(groups)) for groups in ERROR_BLOCK.findall(html))
