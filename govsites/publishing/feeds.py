"""Feeds (RSS 2.0 and Atom, per site and per column), sitemap.xml and robots.txt.

Each has a 繁体 copy under /zh-hant/ (the same entries, text converted, links to the 繁体
pages): /zh-hant/rss.xml, /zh-hant/<column>/atom.xml, /zh-hant/sitemap.xml, …
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from io import StringIO
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import F, IntegerField, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import strip_tags
from wagtail.models import Page

from govsites.content.models import ColumnPage, ContentItem
from govsites.content.selectors import items_in_column
from govsites.sites.selectors import profile_for_site

from .paths import HANT_PREFIX, hant_path
from .render import RenderSession, SiteInfo
from .variants import convert_segments

FEED_LENGTH = 20
SITEMAP_CHUNK = 2000
RSS_NAME = "rss.xml"
ATOM_NAME = "atom.xml"


def _profile(info: SiteInfo) -> Any:
    if not hasattr(info, "_profile_cache"):
        object.__setattr__(info, "_profile_cache", profile_for_site(info.site))
    return info._profile_cache  # type: ignore[attr-defined]


def public_base(info: SiteInfo) -> str:
    """Return scheme://domain of a site as the public sees it (registry domain)."""
    profile = _profile(info)
    scheme = getattr(settings, "GOVSITES_PUBLIC_SCHEME", "https")
    domain = profile.domain if profile is not None else info.host_header
    return f"{scheme}://{domain}"


def _site_name(info: SiteInfo) -> str:
    profile = _profile(info)
    return profile.name if profile is not None else str(info.site.site_name or info.hostname)


def _description(item: ContentItem) -> str:
    original = item.original
    text = original.summary or strip_tags(original.body)
    return " ".join(text.split())[:300]


def _feed_items(session: RenderSession, info: SiteInfo, column: ColumnPage | None
                ) -> list[ContentItem]:
    if column is not None:
        return list(items_in_column(column)[:FEED_LENGTH])
    home = Page.objects.get(pk=info.root_page_id)
    return list(ContentItem.objects.live().descendant_of(home)
                .select_related("publisher", "alias_of")
                .order_by("-first_published_at", "-pk")[:FEED_LENGTH])


@dataclass(frozen=True)
class FeedEntry:
    title: str
    url: str
    description: str
    published: dt.datetime | None
    updated: dt.datetime | None
    author: str


def _entries(session: RenderSession, info: SiteInfo, column: ColumnPage | None
             ) -> list[FeedEntry]:
    base = public_base(info)
    entries = []
    for item in _feed_items(session, info, column):
        original = item.original
        entries.append(FeedEntry(
            title=item.title, url=base + info.relative_url(item),
            description=_description(item), published=original.first_published_at,
            updated=original.last_published_at or original.first_published_at,
            author=original.content_source()))
    return entries


def _to_hant(session: RenderSession, info: SiteInfo, entries: list[FeedEntry],
             texts: list[str]) -> tuple[list[FeedEntry], list[str]]:
    """The 繁体 copy of feed entries (and the feed's own texts): text converted, links to the
    繁体 pages."""
    base = public_base(info)
    segments = texts + [t for e in entries for t in (e.title, e.description, e.author)]
    converted = convert_segments(segments, session.terms)
    out_texts, rest = converted[:len(texts)], converted[len(texts):]
    hant = []
    for n, e in enumerate(entries):
        title, description, author = rest[3 * n:3 * n + 3]
        url = base + hant_path(e.url[len(base):]) if e.url.startswith(base + "/") else e.url
        hant.append(FeedEntry(title, url, description, e.published, e.updated, author))
    return hant, out_texts


def _build(feed_class: type[SyndicationFeed], info: SiteInfo, column: ColumnPage | None,
           feed_url: str, entries: list[FeedEntry], *, variant: str = "hans",
           texts: list[str] | None = None) -> bytes:
    base = public_base(info)
    title, description = texts or _feed_texts(info, column)
    page = info.relative_url(column) if column is not None else "/"
    link = base + (hant_path(page) if variant == "hant" else page)
    feed = feed_class(title=title, link=link, feed_url=base + feed_url,
                      description=description,
                      language="zh-Hant" if variant == "hant" else "zh-Hans",
                      feed_guid=base + feed_url)
    for entry in entries:
        feed.add_item(title=entry.title, link=entry.url, description=entry.description,
                      unique_id=entry.url, unique_id_is_permalink=True,
                      pubdate=entry.published, updateddate=entry.updated,
                      author_name=entry.author or None)
    out = StringIO()
    feed.write(out, "utf-8")
    return out.getvalue().encode("utf-8")


def _feed_texts(info: SiteInfo, column: ColumnPage | None) -> list[str]:
    title = _site_name(info) + (f" - {column.title}" if column is not None else "")
    return [title, (column.description if column is not None else title) or title]


def render_feeds(session: RenderSession, info: SiteInfo, column: ColumnPage | None
                 ) -> list[tuple[str, bytes]]:
    """Return (tree-relative file, bytes) for the RSS and Atom feed of a site or column, in
    简体 and in 繁体."""
    prefix = info.relative_url(column) if column is not None else "/"
    entries = _entries(session, info, column)
    hant_entries, hant_texts = _to_hant(session, info, entries, _feed_texts(info, column))
    out = []
    for name, feed_class in ((RSS_NAME, Rss201rev2Feed), (ATOM_NAME, Atom1Feed)):
        out.append((prefix.lstrip("/") + name,
                    _build(feed_class, info, column, prefix + name, entries)))
        hant = hant_path(prefix) + name
        out.append((hant.lstrip("/"), _build(feed_class, info, column, hant, hant_entries,
                                             variant="hant", texts=hant_texts)))
    return out


def feed_urls(info: SiteInfo, column: ColumnPage | None) -> tuple[str, str]:
    prefix = info.relative_url(column) if column is not None else "/"
    return prefix + RSS_NAME, prefix + ATOM_NAME


def _site_pages(info: SiteInfo) -> Iterable[Page]:
    home = Page.objects.get(pk=info.root_page_id)
    return Page.objects.live().descendant_of(home, inclusive=True)


def sitemap_chunks(info: SiteInfo) -> list[int]:
    """Return the chunk numbers (page id // SITEMAP_CHUNK) that hold live pages of a site."""
    chunks = (_site_pages(info)  # type: ignore[attr-defined]
              .annotate(chunk=Cast(F("pk") / Value(SITEMAP_CHUNK), IntegerField()))
              .values_list("chunk", flat=True).distinct())
    return sorted(set(chunks))


def _lastmod(value: dt.datetime | None) -> str:
    when = value or timezone.now()
    return timezone.localtime(when).isoformat(timespec="seconds")


def render_sitemap_chunk(info: SiteInfo, chunk: int, variant: str = "hans") -> bytes:
    """Return one sitemap file: the live pages whose id falls in the chunk, with their
    简体/繁体 alternates (variant hant: the 繁体 addresses are the <loc>)."""
    base = public_base(info)
    pages = (_site_pages(info)
             .filter(pk__gte=chunk * SITEMAP_CHUNK, pk__lt=(chunk + 1) * SITEMAP_CHUNK)  # type: ignore[attr-defined]
             .only("pk", "url_path", "last_published_at", "content_type_id",
                   "first_published_at").order_by("pk"))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for page in pages:
        rel = info.relative_url(page)
        hans = escape(base + rel)
        hant = escape(base + hant_path(rel))
        loc = hant if variant == "hant" else hans
        lines.append(
            f"<url><loc>{loc}</loc><lastmod>{_lastmod(page.last_published_at)}</lastmod>"
            f'<xhtml:link rel="alternate" hreflang="zh-Hans" href="{hans}"/>'
            f'<xhtml:link rel="alternate" hreflang="zh-Hant" href="{hant}"/></url>')
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemap_chunk_name(chunk: int) -> str:
    return f"sitemap-{chunk}.xml"


def render_sitemap_index(info: SiteInfo, chunks: list[int], variant: str = "hans") -> bytes:
    """Return sitemap.xml (or /zh-hant/sitemap.xml): the index of the site's sitemap chunks."""
    base = public_base(info) + (HANT_PREFIX if variant == "hant" else "")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<sitemap><loc>{escape(base)}/{sitemap_chunk_name(c)}</loc></sitemap>"
              for c in chunks]
    lines.append("</sitemapindex>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_robots(info: SiteInfo) -> bytes:
    """Return robots.txt: everything public may be crawled except the dynamic back office."""
    base = public_base(info)
    return ("User-agent: *\nDisallow: /admin/\nDisallow: /_govsites/\n"
            f"Sitemap: {base}/sitemap.xml\nSitemap: {base}{HANT_PREFIX}/sitemap.xml\n").encode()
