"""Operations records: visit statistics (more concerns join as modules of this package)."""

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
    "DailyNotFound",
    "DailyPageViews",
    "DailyReferrer",
    "DailySearchTerm",
    "DailySiteVisits",
    "IngestedLog",
    "VisitorSalt",
    "VisitorSet",
]
