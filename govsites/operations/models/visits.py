"""First-party visit statistics (访问统计) built from the sites' access logs.

Only daily aggregates are kept. A visitor is a keyed BLAKE2 digest of address and user
agent with a salt that changes every day and is deleted a few days later, so the stored
digests cannot be linked across days or traced back to an address; the address itself is
never stored.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

SITE = "govsites_sites.SiteProfile"


class IngestedLog(models.Model):
    """How far one log file (identified by its first line) has been counted.

    A rotated or gzipped copy of the same log has the same first line, so importing it again
    resumes after the counted bytes instead of counting them twice.
    """

    fingerprint = models.CharField(_("文件指纹"), max_length=64, unique=True)
    name = models.CharField(_("最近读取的文件"), max_length=500)
    bytes_done = models.BigIntegerField(_("已统计字节数"), default=0)
    lines_done = models.BigIntegerField(_("已统计行数"), default=0)
    first_imported_at = models.DateTimeField(_("首次导入时间"), auto_now_add=True)
    last_imported_at = models.DateTimeField(_("最近导入时间"), auto_now=True)

    class Meta:
        verbose_name = _("已导入的访问日志")
        verbose_name_plural = _("已导入的访问日志")

    def __str__(self) -> str:
        return self.name


class VisitorSalt(models.Model):
    """The salt of one day's visitor digests; deleted after the retention window."""

    day = models.DateField(_("日期"), unique=True)
    salt = models.CharField(_("盐值"), max_length=64)

    class Meta:
        verbose_name = _("访客摘要盐值")
        verbose_name_plural = _("访客摘要盐值")

    def __str__(self) -> str:
        return f"{self.day}"


class VisitorSet(models.Model):
    """The distinct visitors of one site on one day, for 独立访客 counts.

    `digests` is the sorted concatenation of the visitors' 8-byte salted digests; it is
    deleted with the day's salt after the retention window, the day's count staying.
    """

    site = models.ForeignKey(SITE, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    digests = models.BinaryField(_("访客摘要"), default=b"")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "day"],
                                               name="operations_visitor_set_unique")]

    def __str__(self) -> str:
        return f"{self.site_id} {self.day}"


class DailySiteVisits(models.Model):
    """Totals of one site on one day (Beijing time)."""

    site = models.ForeignKey(SITE, verbose_name=_("网站"), on_delete=models.CASCADE,
                             related_name="+")
    day = models.DateField(_("日期"))
    page_views = models.PositiveIntegerField(_("浏览量"), default=0)
    unique_visitors = models.PositiveIntegerField(_("独立访客"), default=0)
    not_found = models.PositiveIntegerField(_("404 次数"), default=0)
    hant_views = models.PositiveIntegerField(_("繁体浏览量"), default=0)
    care_views = models.PositiveIntegerField(_("适老化浏览量"), default=0)
    mobile_views = models.PositiveIntegerField(_("手机浏览量"), default=0)
    tablet_views = models.PositiveIntegerField(_("平板浏览量"), default=0)
    desktop_views = models.PositiveIntegerField(_("电脑浏览量"), default=0)
    bot_hits = models.PositiveIntegerField(_("爬虫请求"), default=0)


    class Meta:
        verbose_name = _("网站日访问量")
        verbose_name_plural = _("网站日访问量")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["site", "day"],
                                               name="operations_daily_site_unique")]

    def __str__(self) -> str:
        return f"{self.site_id} {self.day} {self.page_views}"


class DailyPageViews(models.Model):
    """Page views of one address (简体 and 繁体 together) of one site on one day."""

    site = models.ForeignKey(SITE, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    path = models.CharField(_("页面地址"), max_length=500)
    views = models.PositiveIntegerField(_("浏览量"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "day", "path"],
                                               name="operations_daily_page_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.path}"


class DailyNotFound(models.Model):
    """Requests answered 404 for one address of one site on one day."""

    site = models.ForeignKey(SITE, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    path = models.CharField(_("页面地址"), max_length=500)
    hits = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "day", "path"],
                                               name="operations_daily_404_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.path}"


class DailyReferrer(models.Model):
    """Page views that came from another host (来源网站) on one day."""

    site = models.ForeignKey(SITE, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    host = models.CharField(_("来源网站"), max_length=253)
    views = models.PositiveIntegerField(_("浏览量"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "day", "host"],
                                               name="operations_daily_referrer_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.host}"


class SearchSource(models.TextChoices):
    ENGINE = "engine", _("搜索引擎")
    ON_SITE = "on_site", _("站内搜索")


class DailySearchTerm(models.Model):
    """A search term that brought a visitor (搜索引擎) or was searched on the site (站内搜索)."""

    site = models.ForeignKey(SITE, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    source = models.CharField(_("来源"), max_length=10, choices=SearchSource.choices)
    term = models.CharField(_("搜索词"), max_length=100)
    count = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "day", "source", "term"],
                                               name="operations_daily_term_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.term}"
