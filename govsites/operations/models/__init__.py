"""Operations records: visit statistics, annual reports (more concerns join as modules)."""

from .duty import (
    DutyShift,
    EmergencyDrill,
    IncidentSeverity,
    IncidentSource,
    SecurityIncident,
)
from .lifecycle import ChangeAction, ChangeStatus, SiteChange
from .newmedia import (
    AccountStatus,
    AssessmentVerdict,
    FilingAction,
    FilingStatus,
    Ipv6Support,
    MediaPlatform,
    NewMediaAccount,
    NewMediaAlert,
    NewMediaAssessment,
    NewMediaFiling,
    NewMediaMonthlyCount,
    NewMediaPush,
)
from .opinion import OpinionEvent
from .reports import AnnualReport, FigureOrigin, ReportFigure, ReportKind, ReportStatus
from .visits import (
    DailyNotFound,
    DailyPageViews,
    DailyReferrer,
    DailySearchTerm,
    DailySiteVisits,
    IngestedLog,
    VisitorSalt,
    VisitorSet,
)

__all__ = [
    "AccountStatus",
    "AnnualReport",
    "AssessmentVerdict",
    "ChangeAction",
    "ChangeStatus",
    "DailyNotFound",
    "DailyPageViews",
    "DailyReferrer",
    "DailySearchTerm",
    "DailySiteVisits",
    "DutyShift",
    "EmergencyDrill",
    "FigureOrigin",
    "FilingAction",
    "FilingStatus",
    "IncidentSeverity",
    "IncidentSource",
    "IngestedLog",
    "Ipv6Support",
    "MediaPlatform",
    "NewMediaAccount",
    "NewMediaAlert",
    "NewMediaAssessment",
    "NewMediaFiling",
    "NewMediaMonthlyCount",
    "NewMediaPush",
    "OpinionEvent",
    "ReportFigure",
    "ReportKind",
    "ReportStatus",
    "SecurityIncident",
    "SiteChange",
    "VisitorSalt",
    "VisitorSet",
]
