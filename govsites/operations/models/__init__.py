"""Operations records: visit statistics, annual reports (more concerns join as modules)."""

from .lifecycle import ChangeAction, ChangeStatus, SiteChange
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
    "AnnualReport",
    "ChangeAction",
    "ChangeStatus",
    "DailyNotFound",
    "DailyPageViews",
    "DailyReferrer",
    "DailySearchTerm",
    "DailySiteVisits",
    "FigureOrigin",
    "IngestedLog",
    "ReportFigure",
    "ReportKind",
    "ReportStatus",
    "SiteChange",
    "VisitorSalt",
    "VisitorSet",
]
