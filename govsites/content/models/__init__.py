"""Content models, re-exported by concern."""

from .furniture import SiteFurniture
from .identifiers import ImportedItem, IndexNumber, IndexNumberCounter
from .imports import ImportRun, ImportRunEntry
from .pages import (
    ArticlePage,
    ColumnPage,
    ContentAttachment,
    ContentItem,
    InterpretationPage,
    PolicyDocumentPage,
    ServiceGuidePage,
    SiteHomePage,
)
from .structured import LeaderPage, OrganisationFunctionsPage
from .subscriptions import Subscription
from .taxonomy import Topic

__all__ = [
    "ArticlePage",
    "ColumnPage",
    "ContentAttachment",
    "ContentItem",
    "ImportRun",
    "ImportRunEntry",
    "ImportedItem",
    "IndexNumber",
    "IndexNumberCounter",
    "InterpretationPage",
    "LeaderPage",
    "OrganisationFunctionsPage",
    "PolicyDocumentPage",
    "ServiceGuidePage",
    "SiteFurniture",
    "SiteHomePage",
    "Subscription",
    "Topic",
]
