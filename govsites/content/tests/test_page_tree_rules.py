from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from govsites.content.models import (
    ArticlePage,
    ColumnPage,
    ContentItem,
    InterpretationPage,
    LeaderPage,
    OrganisationFunctionsPage,
    PolicyDocumentPage,
    ServiceGuidePage,
    SiteHomePage,
)

ITEMS = {ArticlePage, PolicyDocumentPage, InterpretationPage, ServiceGuidePage,
         OrganisationFunctionsPage, LeaderPage}


def _content_types(models):
    return {m for m in models if m._meta.app_label == "content"}


class PageTreeRules(WagtailPageTestCase):
    def test_a_site_home_sits_only_at_the_tree_root(self):
        self.assertAllowedParentPageTypes(SiteHomePage, {Page})

    # Apps above content (opendata, ADR 4) may add their own page types under homes and
    # columns; their tests say so. Here: of content's own types, exactly these.
    def test_a_home_page_holds_only_columns(self):
        self.assertEqual(_content_types(SiteHomePage.allowed_subpage_models()), {ColumnPage})

    def test_columns_nest_and_hold_every_item_type(self):
        self.assertAllowedParentPageTypes(ColumnPage, {SiteHomePage, ColumnPage})
        self.assertEqual(_content_types(ColumnPage.allowed_subpage_models()), {ColumnPage, *ITEMS})

    def test_items_live_only_in_columns_and_have_no_children(self):
        for item in ITEMS:
            self.assertAllowedParentPageTypes(item, {ColumnPage})
            self.assertAllowedSubpageTypes(item, set())

    def test_items_cannot_be_created_on_a_home_page(self):
        for item in ITEMS:
            self.assertCanNotCreateAt(SiteHomePage, item)
        self.assertCanCreateAt(ColumnPage, ArticlePage)

    def test_the_shared_base_type_is_not_creatable(self):
        self.assertFalse(ContentItem.is_creatable)
