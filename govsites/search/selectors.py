"""Reads of the search app: the public search (results, facets, suggestions) and statistics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from . import analysis, engine, rerank, snippets
from .models import BestBet, QueryStat, SearchDocument, Synonym

PAGE_SIZE = 10
SORTS = ("relevance", "date")
ITEM_TYPE_LABELS = {
    "articlepage": _("文章"),
    "policydocumentpage": _("政策文件"),
    "interpretationpage": _("政策解读"),
    "serviceguidepage": _("办事指南"),
}
VALIDITY_LABELS = {"in_force": _("现行有效"), "amended": _("已修订"), "repealed": _("已废止"),
                   "expired": _("已失效")}


@dataclass(frozen=True)
class Result:
    """One search result as pages and the API show it."""

    page_id: int
    title: str
    title_html: SafeString
    url: str
    site: str
    site_hostname: str
    column: str
    column_type: str
    item_type: str
    item_type_label: str
    published_at: dt.datetime | None
    snippet_html: SafeString
    snippet_text: str
    score: float
    validity: str
    validity_label: str
    best_bet: bool = False


@dataclass
class SearchPage:
    """One page of results with the facets, the total and the help for empty results."""

    query: str
    total: int = 0
    page: int = 1
    page_size: int = PAGE_SIZE
    sort: str = "relevance"
    results: list[Result] = field(default_factory=list)
    best_bets: list[Result] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    relaxed: bool = False
    exact: bool = True  # False: `total` and the facet counts are estimates (very many matches)
    reachable: int = 0  # how many results paging can reach (all of them unless estimated)
    suggestions: list[str] = field(default_factory=list)
    popular: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, self.reachable or self.total) // self.page_size))


def synonyms_for(site: Site | None) -> dict[str, list[str]]:
    """The synonym table in force for a site's search (its own groups and the cluster's)."""
    groups = Synonym.objects.filter(Q(site__isnull=True) | Q(site=site) if site else
                                    Q(site__isnull=True))
    return analysis.synonym_table([*analysis.default_synonym_groups(),
                                   *(g.term_list() for g in groups)])


def site_for_parameter(value: str) -> Site | None:
    """Return the site a `site` parameter names: a hostname, a registered domain or 网站标识码."""
    from govsites.sites.selectors import all_sites

    value = value.strip().lower()
    if not value:
        return None
    for profile in all_sites():
        if value in (profile.domain.lower(), profile.site_code, profile.site.hostname.lower()):
            return profile.site
    return None


def _site_names() -> dict[int, tuple[str, str, str]]:
    """site id → (name, hostname, root URL) for every registered site."""
    from govsites.sites.selectors import site_directory

    return {row["site_id"]: (row["name"], row["hostname"], row["root_url"])
            for row in site_directory()}


def _result(doc: SearchDocument, query: analysis.Query, score: float, *, absolute: bool,
            sites: dict[int, tuple[str, str, str]], best_bet: bool = False) -> Result:
    terms = query.highlight_terms()
    name, hostname, root = sites.get(doc.site_id, ("", "", ""))
    text_snippet = snippets.snippet(doc.text, terms)
    return Result(
        page_id=doc.pk, title=doc.title, title_html=snippets.highlight(doc.title, terms),
        url=(root + doc.url_path) if absolute else doc.url_path, site=name,
        site_hostname=hostname, column=doc.column_title, column_type=doc.column_type,
        item_type=doc.item_type,
        item_type_label=str(ITEM_TYPE_LABELS.get(doc.item_type, doc.item_type)),
        published_at=doc.published_at, snippet_html=text_snippet,
        snippet_text=" ".join(doc.text.split())[:120], score=score, validity=doc.validity,
        validity_label=str(VALIDITY_LABELS.get(doc.validity, "")), best_bet=best_bet)


def _candidates(ids: Sequence[int]) -> dict[int, SearchDocument]:
    return SearchDocument.objects.in_bulk(list(ids))


def _rerank_candidates(ids: Sequence[int]) -> list[rerank.Candidate]:
    """The stored fields the rerank reads, for up to a few hundred documents (no model objects:
    building them was a third of a search)."""
    rows = SearchDocument.objects.filter(pk__in=list(ids)).values_list(
        "pk", "terms_title", "terms_ids", "terms_body", "document_number", "title",
        "published_at", "text")
    return [rerank.Candidate(*row) for row in rows]


def search(text: str, *, site: Site | None = None, filters: engine.Filters | None = None,
           sort: str = "relevance", page: int = 1, page_size: int = PAGE_SIZE,
           absolute_urls: bool = False) -> SearchPage:
    """Search the public index: one site (`site`) or the whole cluster (`site=None`).

    All query words must match; when nothing does, any word may (`relaxed`), and the page
    offers "did you mean" suggestions and popular searches. Best bets for the query come first.
    """
    filters = filters or engine.Filters()
    if site is not None and not filters.site_ids:
        filters = engine.Filters(**{**filters.__dict__, "site_ids": [site.pk]})
    result = SearchPage(query=text, page=page, page_size=page_size, sort=sort)
    query = analysis.parse_query(text, synonyms_for(site))
    if query.empty:
        return result
    offset = (page - 1) * page_size
    limit = page_size if sort == "date" else offset + page_size
    hits = engine.search(query, filters, sort=sort, limit=limit, offset=offset)
    if hits.total == 0 and len(query.clauses) > 1:
        hits = engine.search(query, filters, sort=sort, limit=limit, offset=offset, relaxed=True)
        result.relaxed = hits.total > 0
    result.total, result.facets, result.exact = hits.total, hits.facets, hits.exact
    result.reachable = hits.reachable if sort == "relevance" else hits.total
    sites = _site_names()
    if sort == "relevance":
        ordered = rerank.order(query, _rerank_candidates([pk for pk, _s in
                                                           hits.ranked[:hits.head]]))
        sequence = [(c.page_id, s) for c, s in ordered] + hits.ranked[hits.head:]
        window = sequence[offset:offset + page_size]
        docs = _candidates([pk for pk, _score in window])
    else:
        window = list(hits.ranked)
        docs = _candidates([pk for pk, _score in window])
    result.results = [_result(docs[pk], query, s, absolute=absolute_urls, sites=sites)
                      for pk, s in window if pk in docs]
    if page == 1:
        result.best_bets = best_bets_for(text, site=site, query=query, sites=sites,
                                         absolute=absolute_urls)
    if result.total == 0:
        result.suggestions = suggestions_for(query, site=site)
        result.popular = popular_queries(site=site, limit=8)
    return result


def best_bets_for(text: str, *, site: Site | None, query: analysis.Query,
                  sites: dict[int, tuple[str, str, str]], absolute: bool) -> list[Result]:
    """推荐结果 configured for this query (the site's and the cluster's), if still indexed."""
    key = analysis.normalise(text).strip()
    bets = BestBet.objects.filter(Q(site__isnull=True) | Q(site=site) if site
                                  else Q(site__isnull=True))
    page_ids = [b.page_id for b in bets if analysis.normalise(b.query).strip() == key]
    docs = _candidates(page_ids)
    return [_result(docs[pk], query, 0.0, absolute=absolute, sites=sites, best_bet=True)
            for pk in page_ids if pk in docs]


def suggestions_for(query: analysis.Query, *, site: Site | None) -> list[str]:
    """"Did you mean": the query without the words no document holds, and popular neighbours."""
    known = [c.source for c in query.clauses
             if engine.documents_matching_any([t for t in c.tokens()]) > 0]
    out: list[str] = []
    if known and len(known) < len(query.clauses):
        out.append("".join(known))
    for term in popular_queries(site=site, limit=50):
        if any(k and k in term for k in known) and term not in out:
            out.append(term)
        if len(out) >= 5:
            break
    return out


def popular_queries(*, site: Site | None, limit: int = 10, days: int = 30) -> list[str]:
    """The most searched queries that found something, over the last days."""
    since = timezone.localdate() - dt.timedelta(days=days)
    stats = QueryStat.objects.filter(day__gte=since)
    if site is not None:
        stats = stats.filter(site_id_or_zero=site.pk)
    rows = (stats.values("query").annotate(n=Sum("searches"), z=Sum("zero_results"))
            .order_by("-n", "query"))[: limit * 2]
    return [r["query"] for r in rows if r["n"] > r["z"]][:limit]


@dataclass(frozen=True)
class QueryReportRow:
    query: str
    searches: int
    zero_results: int
    clicks: int

    @property
    def click_through(self) -> float:
        return self.clicks / self.searches if self.searches else 0.0


def query_report(*, since: dt.date, until: dt.date, site_id: int | None = None,
                 zero_only: bool = False, limit: int = 50) -> list[QueryReportRow]:
    """Top queries (or zero-result queries) in a period, for one site or all."""
    stats = QueryStat.objects.filter(day__gte=since, day__lte=until)
    if site_id is not None:
        stats = stats.filter(site_id_or_zero=site_id)
    if zero_only:
        stats = stats.filter(zero_results__gt=0)
    rows = (stats.values("query").annotate(s=Sum("searches"), z=Sum("zero_results"),
                                           c=Sum("clicks"))
            .order_by("-z" if zero_only else "-s", "query"))[:limit]
    return [QueryReportRow(r["query"], r["s"] or 0, r["z"] or 0, r["c"] or 0) for r in rows]


def index_size() -> int:
    """How many documents the public index holds."""
    return SearchDocument.objects.count()
