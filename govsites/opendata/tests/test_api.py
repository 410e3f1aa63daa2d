"""The query API, the CKAN subset (with a real CKAN client against a running server), the
catalogue's JSON-LD, rate limits and usage counts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from govsites.opendata.models import UsageCount


def rows(client: Any, dataset: Any, query: str) -> Any:
    return client.get(f"/api/v1/datasets/{dataset.pk}/rows?{query}")


def test_an_equality_filter_returns_only_matching_rows(client: Any, released: Any) -> None:
    body = rows(client, released, "filter=地区:eq:东区&sort=-年份").json()
    assert body["total"] == 2
    assert [(r["年份"], r["地区"]) for r in body["rows"]] == [(2024, "东区"), (2023, "东区")]


def test_filters_combine_and_values_are_typed(client: Any, released: Any) -> None:
    body = rows(client, released, "filter=年份:ge:2024&filter=地区生产总值:gt:90&fields=地区").json()
    assert body["rows"] == [{"地区": "东区"}]
    body = rows(client, released, "filter=地区:in:东区|西区&limit=1&offset=3").json()
    assert body["total"] == 4 and len(body["rows"]) == 1


@pytest.mark.parametrize("query,words", [
    ("filter=省份:eq:东区", "没有名为“省份”的列"),
    ("filter=地区:like:东", "不支持的运算符"),
    ("filter=年份:eq:二〇二四", "不是“年份”列需要的类型"),
    ("filter=地区", "格式不正确"),
    ("sort=人口;drop table x", "没有名为"),
    ("limit=100000", "超出范围"),
    ("offset=-1", "超出范围"),
    ("format=xml", "format"),
])
def test_bad_parameters_answer_400_with_a_message(client: Any, released: Any, query: str,
                                                   words: str) -> None:
    response = rows(client, released, query)
    assert response.status_code == 400
    assert words in response.json()["error"]


def test_a_value_that_looks_like_sql_is_only_a_value(client: Any, released: Any) -> None:
    body = rows(client, released, "filter=地区:eq:东区' OR '1'='1").json()
    assert body["total"] == 0


def test_a_withdrawn_dataset_stops_answering_rows_at_once(client: Any, released: Any) -> None:
    assert rows(client, released, "filter=地区:eq:东区").status_code == 200
    released.unpublish()
    assert rows(client, released, "filter=地区:eq:东区").status_code == 404


def test_a_new_release_is_read_by_the_next_rows_call(client: Any, bureau: Any) -> None:
    dataset = bureau.dataset()
    bureau.upload(dataset)
    dataset = bureau.release(dataset)
    assert rows(client, dataset, "filter=地区:eq:东区").json()["total"] == 2
    bureau.upload(dataset, "年份,地区,地区生产总值,人口\n2025,东区,120.0,14\n")
    dataset = bureau.release(dataset)
    body = rows(client, dataset, "filter=地区:eq:东区").json()
    assert body["version"] == 2 and body["total"] == 1


@pytest.mark.parametrize("restricted", ["dataset", "column"])
def test_rows_of_a_dataset_under_a_view_restriction_are_404(client: Any, released: Any,
                                                            restricted: str) -> None:
    from wagtail.models import PageViewRestriction

    assert rows(client, released, "filter=地区:eq:东区").status_code == 200
    page = released if restricted == "dataset" else released.get_parent()
    PageViewRestriction.objects.create(page=page, password="secret-1",
                                       restriction_type=PageViewRestriction.PASSWORD)
    assert rows(client, released, "filter=地区:eq:东区").status_code == 404


def test_rows_as_csv(client: Any, released: Any) -> None:
    response = rows(client, released, "filter=地区:eq:西区&format=csv")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines() == ["年份,地区,地区生产总值,人口", "2023,西区,80.25,9", "2024,西区,85.5,10"]


def test_unknown_dataset_and_draft_datasets_are_404(client: Any, bureau: Any) -> None:
    draft = bureau.dataset()
    bureau.upload(draft)
    assert client.get("/api/v1/datasets/999999").status_code == 404
    assert client.get(f"/api/v1/datasets/{draft.pk}/rows").status_code == 404


def test_the_catalogue_lists_datasets_and_the_openapi_file_is_served(client: Any,
                                                                     released: Any) -> None:
    body = client.get("/api/v1/datasets").json()
    assert body["count"] == 1 and body["results"][0]["title"] == released.title
    spec = json.loads(client.get("/api/v1/openapi.json").content)
    assert "/api/v1/datasets/{id}/rows" in spec["paths"]


def test_calls_beyond_the_per_client_limit_get_429(client: Any, released: Any) -> None:
    from django.core.cache import cache

    from govsites.rules.services import set_override

    set_override(key="opendata.api.rate_limit_per_minute", value=3, reason="测试限流",
                 acting_user=None)
    cache.clear()
    try:
        codes = [client.get("/api/v1/datasets").status_code for _ in range(5)]
    finally:
        cache.clear()
    assert codes == [200, 200, 200, 429, 429]


def test_rule_values_are_resolved_once_per_process_not_per_call(
        client: Any, released: Any, django_assert_max_num_queries: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache import cache

    # A snapshot is kept only when read outside a transaction (rules.resolve); this test runs
    # inside one, rolled back at its end, so it lets the process keep what it reads.
    monkeypatch.setattr("govsites.rules.resolve._keepable", lambda: True)
    cache.clear()
    url = f"/api/v1/datasets/{released.pk}/rows?filter=地区:eq:东区"
    client.get(url)
    with django_assert_max_num_queries(3):  # page, view restrictions, usage count
        assert client.get(url).status_code == 200


def test_a_rule_change_applies_to_the_next_call(client: Any, released: Any) -> None:
    from django.core.cache import cache

    from govsites.rules.services import set_override

    cache.clear()
    assert client.get("/api/v1/datasets").status_code == 200
    set_override(key="opendata.api.rate_limit_per_minute", value=1, reason="测试限流",
                 acting_user=None)
    try:
        assert client.get("/api/v1/datasets").status_code == 429
    finally:
        cache.clear()


def test_downloads_and_api_calls_are_counted_per_dataset(client: Any, released: Any) -> None:
    version = released.resources.first().version
    client.get(f"/data/download/{version.pk}/a.csv")
    client.get(f"/api/v1/datasets/{released.pk}/rows")
    client.get(f"/api/v1/datasets/{released.pk}")
    usage = UsageCount.objects.get(dataset=released)
    assert (usage.downloads, usage.api_calls) == (1, 2)


def test_the_catalogue_jsonld_describes_each_dataset_in_dcat(client: Any, released: Any) -> None:
    body = json.loads(client.get("/data/catalog.jsonld").content)
    dataset = body["dcat:dataset"][0]
    assert body["@type"] == "dcat:Catalog"
    assert dataset["dct:title"] == released.title
    assert dataset["dct:accrualPeriodicity"]["@id"].endswith("/ANNUAL")
    assert dataset["dcat:distribution"][0]["dcat:downloadURL"].endswith(".csv")


def test_the_dataset_page_carries_jsonld_charts_with_a_table_fallback(client: Any, bureau: Any
                                                                      ) -> None:
    from govsites.opendata import services
    from govsites.opendata.models import DatasetChart, DatasetPage

    dataset = bureau.dataset()
    bureau.upload(dataset)
    draft = DatasetPage.objects.get(pk=dataset.pk).get_latest_revision_as_object()
    draft.charts = [DatasetChart(title="各区生产总值", kind="bar", resource_name="主要指标",
                                 x_column="地区", y_columns="地区生产总值")]
    services.save_draft(draft, acting_user=bureau.editor)
    live = bureau.release(dataset)
    html = client.get(live.url).content.decode()
    assert '<script type="application/ld+json">' in html
    assert "echarts.min.js" in html and "https://" not in html.split("echarts.min.js")[0][-80:]
    assert "<caption>各区生产总值（数据表）</caption>" in html
    assert '<th scope="row">东区</th><td>210.5</td>' in html


def test_a_ckan_client_lists_shows_searches_and_queries(bureau: Any, opendata_root: Any) -> None:
    import ckanapi

    from govsites.publishing.liveserver import live_app

    dataset = bureau.dataset()
    bureau.upload(dataset)
    live = bureau.release(dataset)
    resource = live.resources.first()
    # The server shares this test's connections: no commit, no flush of the migrated pages.
    with live_app(share_connections=True) as address, \
            ckanapi.RemoteCKAN(f"http://{address}", user_agent="govsites-test") as ckan:
        assert ckan.action.package_list() == [live.slug]
        package = ckan.action.package_show(id=live.slug)
        assert package["title"] == live.title
        assert package["resources"][0]["datastore_active"] is True
        found = ckan.action.package_search(q="国民经济")
        assert found["count"] == 1
        records = ckan.action.datastore_search(resource_id=package["resources"][0]["id"],
                                               filters={"地区": "西区"}, sort="年份 desc")
        assert records["total"] == 2 and records["records"][0]["年份"] == 2024
        with pytest.raises(ckanapi.NotFound):
            ckan.action.package_show(id="no-such-dataset")
        with pytest.raises(ckanapi.ValidationError):
            ckan.action.datastore_search(resource_id=str(resource.pk), filters={"省份": "x"})


def test_datastore_search_q_finds_rows_containing_the_text_in_any_column(
        client: Any, released: Any) -> None:
    resource = released.resources.get()
    url = f"/api/3/action/datastore_search?resource_id={resource.pk}"
    body = client.get(url + "&q=西区").json()
    assert body["success"] and body["result"]["total"] == 2
    assert {r["地区"] for r in body["result"]["records"]} == {"西区"}
    assert client.get(url + "&q=110.0").json()["result"]["total"] == 1
    assert client.get(url + "&q=" + "很" * 101).status_code == 400
