"""What every page of a site shows around its content besides the registry data: the emblem or
banner of the 标识区 and the 党政机关网站标识 (ID-15)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

CONAC_HOSTS = ("conac.cn", "www.conac.cn", "bszs.conac.cn", "dzjg.conac.cn")


@register_setting(icon="image")
class SiteFurniture(BaseSiteSetting):
    """One site's emblem, banner and 党政机关网站标识, shown on every page."""

    emblem = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("标志（国徽或单位标志）"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("显示在页面头部标识区网站名称之前；国徽须使用标准图案"))
    banner = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("头部横幅"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("页面头部标识区的背景横幅；不影响网站名称的显示"))
    conac_mark = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("党政机关网站标识"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("机构编制部门核发的标识图片，悬挂在每个页面底部居中"))
    conac_url = models.URLField(
        _("标识链接地址"), blank=True,
        help_text=_("核发部门提供的验证地址（conac.cn），点击标识时打开"))
    conac_notified_on = models.DateField(
        _("收到悬挂通知日期"), null=True, blank=True,
        help_text=_("自该日起应在规定工作日内悬挂标识"))

    panels = [
        MultiFieldPanel([FieldPanel("emblem"), FieldPanel("banner")], heading=_("头部标识区")),
        MultiFieldPanel([FieldPanel("conac_mark"), FieldPanel("conac_url"),
                         FieldPanel("conac_notified_on")], heading=_("党政机关网站标识")),
    ]

    class Meta:
        verbose_name = _("网站页面标识")
        verbose_name_plural = _("网站页面标识")

    def clean(self) -> None:
        super().clean()
        if self.conac_mark_id and not self.conac_url:
            raise ValidationError({"conac_url": _("悬挂党政机关网站标识须填写其验证链接地址。")})
        if self.conac_url:
            from urllib.parse import urlsplit

            host = (urlsplit(self.conac_url).hostname or "").lower()
            if host not in CONAC_HOSTS and not host.endswith(".conac.cn"):
                raise ValidationError({"conac_url": _(
                    "标识链接须指向机构编制部门的验证地址（conac.cn）。")})
