"""索引号: allocated per organisation and year from a counter, unique and never reused."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexNumberCounter(models.Model):
    """The last sequence number handed out for one organisation in one year."""

    organisation = models.ForeignKey("govsites_sites.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("索引号计数器")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="index_counter_org_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_value}"


class IndexNumber(models.Model):
    """Every 索引号 ever allocated. Rows are never deleted, so a number is never reused."""

    value = models.CharField(_("索引号"), max_length=60, unique=True)
    organisation = models.ForeignKey("govsites_sites.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("单位"))
    year = models.PositiveSmallIntegerField(_("年份"))
    sequence = models.PositiveIntegerField(_("流水号"))
    page_id_at_allocation = models.BigIntegerField(_("信息编号"), null=True, blank=True)
    allocated_at = models.DateTimeField(_("分配时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("索引号")
        verbose_name_plural = _("索引号")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "sequence"],
                                    name="index_number_org_year_seq"),
        ]

    def __str__(self) -> str:
        return self.value


class ImportedItem(models.Model):
    """Maps an external id from a migration file to the page it became (re-runs update it)."""

    site_root_id = models.BigIntegerField()
    external_id = models.CharField(max_length=200)
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64, blank=True,
                                   help_text="SM3 of the record as last imported")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("导入记录")
        constraints = [
            models.UniqueConstraint(fields=["site_root_id", "external_id"],
                                    name="imported_item_site_external_id"),
        ]

    def __str__(self) -> str:
        return self.external_id
