"""The public search index and what editors and analytics keep about searching.

`SearchDocument` is one row per live, published item (withdrawn and unpublished items are never
in it): the facet columns, what a result shows, and the analysed text. The full-text index over
`terms_title`, `terms_ids` and `terms_body` is database-specific and made by the migration:
an FTS5 table kept by triggers on SQLite, a generated weighted tsvector with a GIN index on
PostgreSQL (govsites/search/engine.py queries both).
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

_SPLIT = re.compile(r"[,，、;；\s]+")


class SearchDocument(models.Model):
    """One searchable item: its facets, what a result shows, and its analysed text."""

    page = models.OneToOneField("wagtailcore.Page", primary_key=True, on_delete=models.CASCADE,
                                related_name="+", verbose_name=_("页面"))
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("网站"))
    column_id = models.BigIntegerField(_("栏目"), null=True, blank=True)
    column_title = models.CharField(_("栏目名称"), max_length=255, blank=True)
    column_type = models.CharField(_("栏目类别"), max_length=20, blank=True)
    item_type = models.CharField(_("信息类型"), max_length=40)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布日期"), null=True, blank=True)
    topic = models.CharField(_("主题分类"), max_length=60, blank=True)
    validity = models.CharField(_("有效性"), max_length=10, blank=True)
    title = models.CharField(_("标题"), max_length=255)
    url_path = models.CharField(_("地址"), max_length=1000)
    document_number = models.CharField(_("发文字号"), max_length=60, blank=True)
    index_no = models.CharField(_("索引号"), max_length=60, blank=True)
    text = models.TextField(_("正文摘录"), blank=True)
    terms_title = models.TextField(blank=True)
    terms_ids = models.TextField(blank=True)
    terms_body = models.TextField(blank=True)
    indexed_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        verbose_name = _("搜索索引条目")
        verbose_name_plural = _("搜索索引条目")
        indexes = [
            models.Index(fields=["site", "published_at"], name="search_doc_site_date"),
            models.Index(fields=["published_at"], name="search_doc_date"),
            # Covers the facet columns by page id: a search counts the facets of its pool of
            # matches through this narrow index instead of reading the wide rows.
            models.Index(fields=["page", "site", "column_type", "item_type", "year", "topic",
                                 "validity"], name="search_doc_facets"),
        ]

    def __str__(self) -> str:
        return self.title


class Synonym(models.Model):
    """A group of equivalent terms (同义词) expanding queries, for one site or the cluster."""

    site = models.ForeignKey("wagtailcore.Site", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("网站"),
                             help_text=_("留空则对站群所有网站生效"))
    terms = models.CharField(_("同义词组"), max_length=500,
                             help_text=_("用逗号或空格分隔的等义词，如：公租房，公共租赁住房"))

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")

    def __str__(self) -> str:
        return self.terms

    def term_list(self) -> list[str]:
        """Return the terms of this group."""
        return [t for t in _SPLIT.split(self.terms) if t.strip()]


class BestBet(models.Model):
    """A 推荐结果: for a query, an item shown above the ranked results (per site or cluster)."""

    site = models.ForeignKey("wagtailcore.Site", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("网站"),
                             help_text=_("留空则对站群所有网站生效"))
    query = models.CharField(_("搜索词"), max_length=100)
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("推荐页面"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("推荐结果")
        verbose_name_plural = _("推荐结果")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.query} → {self.page_id}"


class QueryStat(models.Model):
    """Daily counts for one normalised query on one site: no person, address or cookie is kept."""

    day = models.DateField(_("日期"))
    site_id_or_zero = models.PositiveIntegerField(
        _("网站"), default=0, help_text=_("搜索所在网站的 Wagtail 站点编号；0 表示站群统一搜索"))
    query = models.CharField(_("搜索词"), max_length=100)
    searches = models.PositiveIntegerField(_("搜索次数"), default=0)
    zero_results = models.PositiveIntegerField(_("无结果次数"), default=0)
    clicks = models.PositiveIntegerField(_("点击次数"), default=0)

    class Meta:
        verbose_name = _("搜索统计")
        verbose_name_plural = _("搜索统计")
        constraints = [
            models.UniqueConstraint(fields=["day", "site_id_or_zero", "query"],
                                    name="search_stat_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.query}"
