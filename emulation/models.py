"""Import every model module so metadata and mappers are complete (for Alembic and tests)."""

from emulation.accounts.models import RecoveryCode, Role, RoleGrant, RolePolicy, User
from emulation.assessments.models import (
    AssessmentStatus,
    DeadlineExtension,
    Evidence,
    SelfAssessment,
    SelfScore,
)
from emulation.audit.models import AuditCheck, AuditEvent, AuditHead
from emulation.campaigns.models import (
    Aggregation,
    Campaign,
    Classification,
    Criterion,
    CriterionKind,
    Period,
    PeriodKind,
    PeriodStatus,
)
from emulation.leaderboards.models import JobRun, RosterEntry, ScopeType, Snapshot, Standing
from emulation.org.models import Cluster, Unit, UnitKind
from emulation.scoring.models import (
    Assignment,
    AssignmentMode,
    Board,
    BoardMember,
    BoardScore,
    Explanation,
    ExplanationAnswer,
    ScoreSheet,
    SheetStatus,
    VetoDecision,
)

__all__ = [
    "Aggregation",
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
    "DeadlineExtension",
    "Evidence",
    "Explanation",
    "ExplanationAnswer",
    "JobRun",
    "Period",
    "PeriodKind",
    "PeriodStatus",
    "RecoveryCode",
    "Role",
    "RoleGrant",
    "RolePolicy",
    "RosterEntry",
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
    "VetoDecision",
]
