from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from govsites.content.models import (
    ArticlePage,
    ColumnPage,
    ContentItem,
    InterpretationPage,
    PolicyDocumentPage,
    ServiceGuidePage,
    SiteHomePage,
)

ITEMS = {ArticlePage, PolicyDocumentPage, InterpretationPage, ServiceGuidePage}


class PageTreeRules(WagtailPageTestCase):
    def test_a_site_home_sits_only_at_the_tree_root(self):
        self.assertAllowedParentPageTypes(SiteHomePage, {Page})

    def test_a_home_page_holds_only_columns(self):
        # the installed opendata app adds the cluster's 数据开放 catalogue (ADR 4)
        from govsites.opendata.models import DataCatalogPage

        self.assertAllowedSubpageTypes(SiteHomePage, {ColumnPage, DataCatalogPage})

    def test_columns_nest_and_hold_every_item_type(self):
        self.assertAllowedParentPageTypes(ColumnPage, {SiteHomePage, ColumnPage})
        from govsites.opendata.models import DatasetPage  # added by the opendata app (ADR 4)

        self.assertAllowedSubpageTypes(ColumnPage, {ColumnPage, *ITEMS, DatasetPage})

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
