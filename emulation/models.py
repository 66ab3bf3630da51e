"""Import every model module so metadata and mappers are complete (for Alembic and tests)."""

from emulation.accounts.models import RecoveryCode, Role, RoleGrant, RolePolicy, User
from emulation.assessments.models import AssessmentStatus, Evidence, SelfAssessment, SelfScore
from emulation.audit.models import AuditCheck, AuditEvent, AuditHead
from emulation.campaigns.models import (
    Campaign,
    Classification,
    Criterion,
    CriterionKind,
    Period,
    PeriodKind,
    PeriodStatus,
)
from emulation.leaderboards.models import JobRun, ScopeType, Snapshot, Standing
from emulation.org.models import Cluster, Unit, UnitKind
from emulation.scoring.models import (
    Assignment,
    AssignmentMode,
    Board,
    BoardMember,
    BoardScore,
    ScoreSheet,
    SheetStatus,
)

__all__ = [
    "AssessmentStatus",
    "Assignment",
    "AssignmentMode",
    "AuditCheck",
    "AuditEvent",
    "AuditHead",
    "Board",
    "BoardMember",
    "BoardScore",
    "Campaign",
    "Classification",
    "Cluster",
    "Criterion",
    "CriterionKind",
    "Evidence",
    "JobRun",
    "Period",
    "PeriodKind",
    "PeriodStatus",
    "RecoveryCode",
    "Role",
    "RoleGrant",
    "RolePolicy",
    "ScopeType",
    "ScoreSheet",
    "SelfAssessment",
    "SelfScore",
    "SheetStatus",
    "Snapshot",
    "Standing",
    "Unit",
    "UnitKind",
    "User",
]
