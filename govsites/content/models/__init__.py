"""Content models, re-exported by concern."""

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
    "PolicyDocumentPage",
    "ServiceGuidePage",
    "SiteHomePage",
    "Topic",
]
