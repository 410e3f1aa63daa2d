"""Reads of open data: the live catalogue, a dataset's released tables, usage statistics."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page, PageViewRestriction

from govsites import rules

from . import storage
from .choices import ResourceKind, VersionStatus
from .models import CellFinding, DatasetPage, DatasetResource, ResourceVersion, UsageCount


def live_datasets() -> QuerySet[DatasetPage]:
    """Every published dataset of the cluster, newest first."""
    return (DatasetPage.objects.live().public().filter(alias_of__isnull=True)
            .select_related("topic", "publisher", "owner_organisation")
            .order_by("-last_published_at", "pk"))


def dataset_by_ref(ref: str | int) -> DatasetPage | None:
    """A live dataset by page id or slug (CKAN clients use either as `id`)."""
    datasets = live_datasets()
    text = str(ref).strip()
    if text.isdigit():
        found = datasets.filter(pk=int(text)).first()
        if found is not None:
            return found
    return datasets.filter(slug=text).order_by("pk").first()


@dataclass(frozen=True)
class LiveTable:
    """A released table: the resource of the live release and its version's Parquet file."""

    dataset: DatasetPage
    resource: DatasetResource
    version: ResourceVersion

    @property
    def parquet(self) -> Path:
        return storage.parquet_path(self.version)


def live_tables(dataset: DatasetPage) -> list[LiveTable]:
    """The tables of a dataset's live release, in order."""
    tables = []
    for resource in dataset.resources.select_related("version").all():
        version = resource.version
        if resource.kind != ResourceKind.FILE or version is None:
            continue
        if version.status != VersionStatus.CLEAN or version.released_at is None:
            continue
        tables.append(LiveTable(dataset=dataset, resource=resource, version=version))
    return tables


def live_table(dataset: DatasetPage, resource_ref: str | None = None) -> LiveTable | None:
    """One released table by resource id or name (default: the first)."""
    tables = live_tables(dataset)
    if not resource_ref:
        return tables[0] if tables else None
    for table in tables:
        if str(table.resource.pk) == str(resource_ref) or table.resource.name == resource_ref:
            return table
    return None


@dataclass(frozen=True)
class RowsSource:
    """What a `rows` call needs of a released table, without the page objects."""

    dataset_id: int
    resource_id: int
    version_number: int
    parquet: Path
    table_schema: dict[str, Any]


def rows_source(dataset_id: int, resource_ref: str | None) -> RowsSource | None:
    """The released table a `rows` call reads, in one query on repeated calls.

    Whether the dataset is live and public, and when it was last published, is read every
    time; what that publication released (resource, version, Parquet file, schema) cannot
    change without a new publication, so it is kept per process keyed by that time.
    """
    # Page, not DatasetPage: the same row without the join to the dataset table (whether the
    # page is a dataset is checked once, below, with what it released).
    found = list(Page.objects.filter(pk=dataset_id, live=True, alias_of__isnull=True)
                 .values_list("last_published_at", "path")[:1])
    if not found or found[0][0] is None:
        return None
    published, path = found[0]
    # Wagtail's public() loads every view restriction to build its filter; a restriction on
    # this page or an ancestor is found with one query on their paths instead.
    ancestors = [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]
    if PageViewRestriction.objects.filter(page__path__in=ancestors).exists():
        return None
    return _released_source(dataset_id, published.isoformat(), resource_ref or "")


@lru_cache(maxsize=1024)
def _released_source(dataset_id: int, published: str, resource_ref: str) -> RowsSource | None:
    dataset = live_datasets().filter(pk=dataset_id).first()
    table = live_table(dataset, resource_ref or None) if dataset is not None else None
    if table is None:
        return None
    return RowsSource(dataset_id=dataset_id, resource_id=table.resource.pk,
                      version_number=table.version.number, parquet=table.parquet,
                      table_schema=table.version.table_schema)


def table_by_resource_id(resource_id: str) -> LiveTable | None:
    """A released table by resource id alone (CKAN's datastore_search)."""
    if not str(resource_id).isdigit():
        return None
    resource = DatasetResource.objects.filter(pk=int(resource_id)).first()
    if resource is None:
        return None
    dataset = live_datasets().filter(pk=resource.dataset_id).first()
    if dataset is None:
        return None
    return live_table(dataset, str(resource.pk))


def release_cell_findings(dataset: DatasetPage) -> list[Any]:
    """The stored cell findings of the versions a release (revision) names, as screening
    findings whose location names the table, version, row and column."""
    from govsites.screening.types import Category, Finding, Severity

    version_ids = [r.version_id for r in dataset.resources.all() if r.version_id]
    findings = []
    for cell in (CellFinding.objects.filter(version_id__in=version_ids)
                 .select_related("version").order_by("version_id", "row", "pk")):
        location = (f"数据表“{cell.version.resource_name}”v{cell.version.number} "
                    f"第{cell.row}行“{cell.column}”列")
        findings.append(Finding(rule_id=cell.rule_id, category=Category(cell.category),
                                severity=Severity(cell.severity), location=location,
                                evidence=cell.evidence))
    return findings


def released_versions(dataset: DatasetPage) -> list[ResourceVersion]:
    """Every version of the dataset that was ever part of a published release (all kept)."""
    return list(ResourceVersion.objects.filter(dataset=dataset, released_at__isnull=False,
                                               status=VersionStatus.CLEAN)
                .order_by("resource_name", "-number"))


def released_version(version_id: int) -> ResourceVersion | None:
    """A version the public may download: released, clean, of a live dataset."""
    version = (ResourceVersion.objects.filter(pk=version_id, released_at__isnull=False,
                                              status=VersionStatus.CLEAN)
               .select_related("dataset").first())
    if version is None or not live_datasets().filter(pk=version.dataset_id).exists():
        return None
    return version


def data_updated_at(dataset: DatasetPage) -> Any:
    """When the dataset's data last changed: its newest released version, else its publication."""
    newest = (ResourceVersion.objects.filter(dataset=dataset, released_at__isnull=False)
              .order_by("-released_at").values_list("released_at", flat=True).first())
    return newest or dataset.last_published_at


def usage_totals(dataset: DatasetPage) -> dict[str, int]:
    """Downloads and API calls of a dataset, all time."""
    totals = UsageCount.objects.filter(dataset=dataset).aggregate(
        downloads=Sum("downloads"), api_calls=Sum("api_calls"))
    return {"downloads": int(totals["downloads"] or 0), "api_calls": int(totals["api_calls"] or 0)}


def usage_by_dataset() -> list[dict[str, Any]]:
    """Downloads and API calls per dataset (for the statistics page), busiest first."""
    rows = (UsageCount.objects.values("dataset_id", "dataset__title")
            .annotate(downloads=Sum("downloads"), api_calls=Sum("api_calls"))
            .order_by("-downloads", "-api_calls"))
    return [dict(row) for row in rows]


def chart_specs(dataset: DatasetPage) -> list[dict[str, Any]]:
    """The dataset's charts with their data, summed per category by DuckDB."""
    from .query import QueryError, aggregate

    limit = int(rules.value("opendata.chart.max_points"))
    tables = {t.resource.name: t for t in live_tables(dataset)}
    specs = []
    for chart in dataset.charts.all():
        table = tables.get(chart.resource_name)
        if table is None:
            continue
        try:
            points = aggregate(table.parquet, table.version.table_schema, x=chart.x_column,
                               ys=chart.y_list(), limit=limit)
        except QueryError:
            continue
        specs.append({"id": f"chart-{chart.pk or chart.sort_order}", "title": chart.title,
                      "kind": chart.kind, "x": chart.x_column, "ys": chart.y_list(),
                      "categories": [str(p[0]) for p in points],
                      "series": [[p[1][i] for p in points] for i in range(len(chart.y_list()))],
                      "rows": [[str(p[0]), *p[1]] for p in points]})
    return specs


def _json_script(value: Any) -> SafeString:
    text = json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return mark_safe(text)


def dataset_page_context(dataset: DatasetPage) -> dict[str, Any]:
    """What the dataset page shows: tables, versions, charts and the JSON-LD."""
    from .dcat import dataset_jsonld

    charts = chart_specs(dataset) if dataset.live else []
    return {
        "tables": live_tables(dataset) if dataset.live else [],
        "versions": released_versions(dataset),
        "charts": charts,
        "charts_json": _json_script(charts),
        "jsonld": _json_script(dataset_jsonld(dataset)),
        "data_updated_at": data_updated_at(dataset),
    }


def catalogue_context() -> dict[str, Any]:
    """The cluster-wide catalogue: every live dataset and the facet counts."""
    from .dcat import catalog_jsonld

    datasets = list(live_datasets())
    facets = {
        "主题分类": Counter(str(d.topic) for d in datasets if d.topic_id),
        "提供单位": Counter(str(d.provider()) for d in datasets if d.provider() is not None),
        "行业分类": Counter(d.get_industry_display() for d in datasets if d.industry),
        "更新频率": Counter(d.update_frequency for d in datasets),
        "开放属性": Counter(d.open_attribute for d in datasets),
    }
    return {"datasets": datasets,
            "facets": {name: sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                       for name, counts in facets.items()},
            "jsonld": _json_script(catalog_jsonld(datasets))}
