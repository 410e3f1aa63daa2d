"""Operations records: visit statistics, annual reports (more concerns join as modules)."""

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
    "VisitorSalt",
    "VisitorSet",
]
