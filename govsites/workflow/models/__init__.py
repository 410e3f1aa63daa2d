"""Models of the review chain, re-exported by concern."""

from .countersign import CountersignDecision, CountersignSignature, CountersignTask
from .policy import ReviewPolicy, ReviewPolicyStep
from .records import ForcePublication
from .screening import ScreeningFinding, ScreeningRun
from .tasks import (
    ProofreadTask,
    ReviewAssignment,
    ReviewTaskBase,
    ReviewTaskState,
    RoleReviewTask,
    ScreeningTask,
)

__all__ = [
    "CountersignDecision",
    "CountersignSignature",
    "CountersignTask",
    "ForcePublication",
    "ProofreadTask",
    "ReviewAssignment",
    "ReviewPolicy",
    "ReviewPolicyStep",
    "ReviewTaskBase",
    "ReviewTaskState",
    "RoleReviewTask",
    "ScreeningFinding",
    "ScreeningRun",
    "ScreeningTask",
]
