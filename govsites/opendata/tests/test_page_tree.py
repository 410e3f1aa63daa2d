"""Where the open-data page types may stand in the page tree (ADR 4)."""

from wagtail.test.utils import WagtailPageTestCase

from govsites.content.models import ColumnPage, SiteHomePage
from govsites.opendata.models import DataCatalogPage, DatasetPage


class OpenDataPageTree(WagtailPageTestCase):
    def test_a_dataset_is_released_into_a_column_and_has_no_children(self):
        self.assertAllowedParentPageTypes(DatasetPage, {ColumnPage})
        self.assertAllowedSubpageTypes(DatasetPage, set())
        self.assertCanCreateAt(ColumnPage, DatasetPage)

    def test_the_catalogue_page_sits_directly_under_a_site_home(self):
        self.assertAllowedParentPageTypes(DataCatalogPage, {SiteHomePage})
        self.assertCanCreateAt(SiteHomePage, DataCatalogPage)
