"""DCAT-AP style JSON-LD for a dataset page and for the whole catalogue (/data/catalog.jsonld).

Harvesters (ckanext-dcat's RDF harvester, data.europa.eu style tools) read `dcat:Dataset`
with `dct:title`, `dct:description`, `dct:publisher`, `dcat:keyword`, `dcat:theme`,
`dct:accrualPeriodicity`, `dct:spatial`, `dct:temporal`, `dcat:contactPoint` and
`dcat:distribution` (one per resource: `dcat:downloadURL` or `dcat:accessURL`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
#: 更新频率 labels → the EU frequency vocabulary DCAT-AP uses (unknown labels are left out).
FREQUENCY_URIS = {
    "实时": "CONT", "每日": "DAILY", "每周": "WEEKLY", "每月": "MONTHLY", "每季": "QUARTERLY",
    "每半年": "BIENNIAL", "每年": "ANNUAL", "不定期": "IRREG",
}
FREQUENCY_BASE = "http://publications.europa.eu/resource/authority/frequency/"
MEDIA_TYPES = {"CSV": "text/csv", "XLSX": ("application/vnd.openxmlformats-officedocument."
                                           "spreadsheetml.sheet"), "JSON": "application/json"}


def _root(dataset: Any) -> str:
    site = dataset.get_site()
    return str(site.root_url) if site is not None else ""


def download_url(dataset: Any, version: Any) -> str:
    path = reverse("opendata:download", args=[version.pk, version.download_name()])
    return _root(dataset).rstrip("/") + path


def dataset_jsonld(dataset: Any, *, with_context: bool = True) -> dict[str, Any]:
    """The dataset as a `dcat:Dataset` node."""
    from .selectors import data_updated_at

    url = dataset.get_full_url() or ""
    node: dict[str, Any] = {
        "@id": url,
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.code(),
        "dct:title": dataset.title,
        "dct:description": dataset.summary,
        "dcat:landingPage": url,
        "dcat:keyword": [k.strip() for k in dataset.keywords.replace("，", ",").split(",")
                         if k.strip()],
        "dct:accessRights": dataset.open_attribute,
    }
    if with_context:
        node = {"@context": CONTEXT, **node}
    provider = dataset.provider()
    if provider is not None:
        node["dct:publisher"] = {"@type": "foaf:Organization", "foaf:name": provider.name}
    if dataset.topic_id:
        node["dcat:theme"] = str(dataset.topic)
    if dataset.industry:
        node["dcat:theme_industry"] = dataset.get_industry_display()
    if dataset.update_frequency in FREQUENCY_URIS:
        node["dct:accrualPeriodicity"] = {
            "@id": FREQUENCY_BASE + FREQUENCY_URIS[dataset.update_frequency]}
    if dataset.license:
        node["dct:license"] = dataset.license
    if dataset.spatial_coverage:
        node["dct:spatial"] = dataset.spatial_coverage
    if dataset.temporal_start or dataset.temporal_end:
        period: dict[str, Any] = {"@type": "dct:PeriodOfTime"}
        if dataset.temporal_start:
            period["dcat:startDate"] = {"@value": dataset.temporal_start.isoformat(),
                                        "@type": "xsd:date"}
        if dataset.temporal_end:
            period["dcat:endDate"] = {"@value": dataset.temporal_end.isoformat(),
                                      "@type": "xsd:date"}
        node["dct:temporal"] = period
    if dataset.contact_name or dataset.contact_phone or dataset.contact_email:
        contact: dict[str, Any] = {"@type": "vcard:Kind", "vcard:fn": dataset.contact_name}
        if dataset.contact_phone:
            contact["vcard:hasTelephone"] = dataset.contact_phone
        if dataset.contact_email:
            contact["vcard:hasEmail"] = "mailto:" + dataset.contact_email
        node["dcat:contactPoint"] = contact
    if dataset.first_published_at:
        node["dct:issued"] = dataset.first_published_at.isoformat()
    modified = data_updated_at(dataset)
    if modified:
        node["dct:modified"] = modified.isoformat()
    distributions = []
    for resource in dataset.resources.all():
        item: dict[str, Any] = {"@type": "dcat:Distribution", "dct:title": resource.name,
                                "dct:description": resource.description,
                                "dct:format": resource.format}
        if resource.kind == "api":
            item["dcat:accessURL"] = resource.api_url
        elif resource.version_id and resource.version and resource.version.released_at:
            item["dcat:downloadURL"] = download_url(dataset, resource.version)
            item["dcat:mediaType"] = MEDIA_TYPES.get(resource.version.format, "")
            item["dcat:byteSize"] = resource.version.size
        else:
            continue
        distributions.append(item)
    node["dcat:distribution"] = distributions
    return node


def catalog_jsonld(datasets: Iterable[Any], *, title: str = "数据开放目录") -> dict[str, Any]:
    """The whole catalogue as one `dcat:Catalog`."""
    return {"@context": CONTEXT, "@type": "dcat:Catalog", "dct:title": title,
            "dcat:dataset": [dataset_jsonld(d, with_context=False) for d in datasets]}
