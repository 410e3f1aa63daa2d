"""Operations records: visit statistics, annual reports (more concerns join as modules)."""

from .lifecycle import ChangeAction, ChangeStatus, SiteChange
from .newmedia import (
    AccountStatus,
    FilingStatus,
    MediaPlatform,
    NewMediaAccount,
    NewMediaAlert,
    NewMediaMonthlyCount,
)
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
    "FigureOrigin",
    "FilingStatus",
    "IngestedLog",
    "MediaPlatform",
    "NewMediaAccount",
    "NewMediaAlert",
    "NewMediaMonthlyCount",
    "ReportFigure",
    "ReportKind",
    "ReportStatus",
    "SiteChange",
    "VisitorSalt",
    "VisitorSet",
]
