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
    FilingStatus,
    MediaPlatform,
    NewMediaAccount,
    NewMediaAlert,
    NewMediaMonthlyCount,
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
    "FilingStatus",
    "IncidentSeverity",
    "IncidentSource",
    "IngestedLog",
    "MediaPlatform",
    "NewMediaAccount",
    "NewMediaAlert",
    "NewMediaMonthlyCount",
    "OpinionEvent",
    "ReportFigure",
    "ReportKind",
    "ReportStatus",
    "SecurityIncident",
    "SiteChange",
    "VisitorSalt",
    "VisitorSet",
]
