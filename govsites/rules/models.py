"""What an administrator chose: the variant of the cluster or a site, and overrides with reasons.

Both are written only through `services` (validated, audited once); history lives in the audit
trail. A row with no site applies to the whole cluster; a row with a site to that site only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

SITE_MODEL = "govsites_sites.SiteProfile"
# One row per scope: the cluster (no site, counted as 0) or one site.
_SCOPE = Coalesce("site", models.Value(0), output_field=models.BigIntegerField())


class VariantChoice(models.Model):
    """The variant file a cluster (no site) or one site uses."""

    site = models.ForeignKey(SITE_MODEL, verbose_name=_("网站"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+",
                             help_text=_("留空表示全站群"))
    variant = models.CharField(_("规则变体"), max_length=60)
    reason = models.TextField(_("理由"))
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("选择人"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    chosen_at = models.DateTimeField(_("选择时间"))

    class Meta:
        verbose_name = _("规则变体选择")
        verbose_name_plural = _("规则变体选择")
        constraints = [
            models.UniqueConstraint(_SCOPE, name="rules_one_variant_per_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.site or '全站群'}：{self.variant}"


class RuleOverride(models.Model):
    """An administrator's value for one parameter, for the cluster or one site, with a reason."""

    key = models.CharField(_("参数"), max_length=120)
    site = models.ForeignKey(SITE_MODEL, verbose_name=_("网站"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+",
                             help_text=_("留空表示全站群"))
    value = models.JSONField(_("取值"), null=True, blank=True)
    reason = models.TextField(_("理由"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("调整人"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("调整时间"))

    class Meta:
        verbose_name = _("规则参数调整")
        verbose_name_plural = _("规则参数调整")
        ordering = ["key", "site_id"]
        constraints = [
            models.UniqueConstraint("key", _SCOPE, name="rules_one_override_per_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.key}（{self.site or '全站群'}）"
