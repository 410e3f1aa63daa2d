"""The demo's open data: the 统计局 dataset is released with its GBK table and chart, as a CKAN
client and the rows API see it, and the table with an ID number is held."""


import pytest

from govsites.opendata.models import DatasetPage, ResourceVersion

pytestmark = pytest.mark.xdist_group("demo")


def test_the_demo_dataset_is_released_with_its_table_chart_and_rows(demo, client):
    dataset = DatasetPage.objects.live().get()
    resources = list(dataset.resources.all())
    assert [r.version.encoding for r in resources] == ["GBK"]
    assert resources[0].version.released_at is not None
    assert dataset.charts.count() >= 1
    shown = client.get(f"/api/3/action/package_show?id={dataset.slug}").json()["result"]
    assert shown["num_resources"] == 1
    rows = client.get(f"/api/v1/datasets/{dataset.pk}/rows?limit=5").json()
    assert rows["total"] == 10 and len(rows["rows"]) == 5
    held = ResourceVersion.objects.get(status="held")
    assert held.released_at is None and held.findings.filter(holds=True).exists()
