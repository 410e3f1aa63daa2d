"""Open-data records: a dataset release is a page; table versions, findings and counts are rows.

- `DatasetPage` (a `ContentItem`): the catalogue metadata (DT-04) and, as child rows saved in
  each revision, its resources and charts. A revision is a release: publishing it through the
  review chain releases exactly the table versions its resources name.
- `ResourceVersion`: one uploaded table, validated and stored (original file + Parquet), never
  changed or deleted afterwards. Versions holding personal data are `held` and can be part of
  no release.
- `CellFinding`: what screening found in one cell of a version (row, column).
- `UsageCount`: downloads and API calls per dataset and day.
- `DataCatalogPage`: the cluster-wide 数据开放 section on the portal.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from govsites.content.models import ContentItem
from govsites.content.models.pages import SitePageMixin

from .choices import ChartKind, OpenAttribute, ResourceKind, TableFormat, VersionStatus, industries


class DatasetPage(ContentItem):
    """A dataset (数据集) with the catalogue's core metadata; each published revision is a release."""

    dataset_code = models.CharField(
        _("信息资源代码"), max_length=60, blank=True,
        help_text=_("留空则使用索引号"))
    industry = models.CharField(_("行业分类"), max_length=2, blank=True, choices=industries())
    update_frequency = models.CharField(
        _("更新频率"), max_length=10,
        help_text=_("可选值见 设置 → 规则（opendata.update_frequency_days）"))
    open_attribute = models.CharField(_("开放属性"), max_length=10, choices=OpenAttribute.choices,
                                      default=OpenAttribute.UNCONDITIONAL)
    open_conditions = models.TextField(_("开放条件"), blank=True,
                                       help_text=_("有条件开放时必填"))
    license = models.CharField(_("使用许可"), max_length=100, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    spatial_coverage = models.CharField(_("空间范围"), max_length=100, blank=True)
    temporal_start = models.DateField(_("时间范围起"), null=True, blank=True)
    temporal_end = models.DateField(_("时间范围止"), null=True, blank=True)

    is_creatable = True
    parent_page_types = ["content.ColumnPage"]
    subpage_types: list[str] = []
    template = "opendata/dataset_page.html"

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("dataset_code"), FieldPanel("industry")]),
            FieldRowPanel([FieldPanel("update_frequency"), FieldPanel("open_attribute")]),
            FieldPanel("open_conditions"),
            FieldRowPanel([FieldPanel("license"), FieldPanel("spatial_coverage")]),
            FieldRowPanel([FieldPanel("temporal_start"), FieldPanel("temporal_end")]),
            FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_phone"),
                           FieldPanel("contact_email")]),
        ], heading=_("数据集目录信息")),
        InlinePanel("resources", label=_("数据资源")),
        InlinePanel("charts", label=_("图表")),
        FieldPanel("body"),
        *ContentItem.metadata_panels,
    ]

    class Meta:
        verbose_name = _("数据集")
        verbose_name_plural = _("数据集")

    def clean(self) -> None:
        super().clean()
        from . import policies

        problems = policies.release_problems(self)
        if problems:
            raise ValidationError(problems)

    def code(self) -> str:
        """信息资源代码: the one given, else the 索引号."""
        return self.dataset_code or self.index_no

    def provider(self) -> Any:
        """提供单位: the stated 发布机构, else the organisation answerable for the dataset."""
        if self.publisher_id:
            return self.publisher
        if self.owner_organisation_id:
            return self.owner_organisation
        parent = self.get_parent() if self.path else None
        effective_owner = getattr(parent.specific if parent else None, "effective_owner", None)
        return effective_owner() if callable(effective_owner) else None

    def item_type_label(self) -> str:
        return str(_("数据集"))

    def screening_findings(self, screener: Any) -> list[Any]:
        """What screening found in the cells of this release's tables (the review chain's
        内容检查 step lists them with the cell: 数据表“人口”v2 第5行“身份证号”列)."""
        from .selectors import release_cell_findings

        return release_cell_findings(self)

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.dataset_page_context(self))
        return context


class ResourceVersion(models.Model):
    """One uploaded table of a dataset: validated, screened, stored; never changed afterwards."""

    dataset = models.ForeignKey(DatasetPage, verbose_name=_("数据集"), on_delete=models.CASCADE,
                                related_name="table_versions")
    resource_name = models.CharField(_("数据资源名称"), max_length=100)
    number = models.PositiveIntegerField(_("版本号"))
    original_name = models.CharField(_("原文件名"), max_length=200)
    format = models.CharField(_("格式"), max_length=10, choices=TableFormat.choices)
    encoding = models.CharField(_("文字编码"), max_length=20, blank=True)
    size = models.PositiveBigIntegerField(_("文件大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    row_count = models.PositiveBigIntegerField(_("行数"))
    table_schema = models.JSONField(_("表结构（Table Schema）"), default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=VersionStatus.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    released_at = models.DateTimeField(_("首次发布时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("数据表版本")
        verbose_name_plural = _("数据表版本")
        ordering = ["dataset", "resource_name", "-number"]
        constraints = [models.UniqueConstraint(fields=["dataset", "resource_name", "number"],
                                               name="opendata_version_number")]

    def __str__(self) -> str:
        return f"{self.resource_name} v{self.number}（{self.original_name}）"

    def field_names(self) -> list[str]:
        return [str(f["name"]) for f in self.table_schema.get("fields", [])]

    def download_name(self, fmt: str = "") -> str:
        """The file name offered for download: <resource>-v<n>.<ext>."""
        ext = (fmt or self.format).lower()
        return f"{self.resource_name}-v{self.number}.{ext}"


class DatasetResource(Orderable):
    """One resource of a release: a table version (CSV/XLSX/JSON) or an external API link."""

    dataset = ParentalKey(DatasetPage, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("名称"), max_length=100)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=ResourceKind.choices,
                            default=ResourceKind.FILE)
    version = models.ForeignKey(ResourceVersion, verbose_name=_("数据表版本"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    api_url = models.URLField(_("接口地址"), blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]), FieldPanel("description"),
              FieldPanel("version"), FieldPanel("api_url")]

    class Meta(Orderable.Meta):
        verbose_name = _("数据资源")
        verbose_name_plural = _("数据资源")

    def __str__(self) -> str:
        return self.name

    @property
    def format(self) -> str:
        if self.kind == ResourceKind.API:
            return str(TableFormat.API)
        return str(self.version.format) if self.version_id and self.version else ""


class DatasetChart(Orderable):
    """A chart the dataset owner configures: one table, an x column and one or more y columns."""

    dataset = ParentalKey(DatasetPage, on_delete=models.CASCADE, related_name="charts")
    title = models.CharField(_("图表标题"), max_length=100)
    kind = models.CharField(_("图表类型"), max_length=10, choices=ChartKind.choices,
                            default=ChartKind.BAR)
    resource_name = models.CharField(_("数据资源名称"), max_length=100)
    x_column = models.CharField(_("分类（横轴）字段"), max_length=100)
    y_columns = models.CharField(_("数值字段"), max_length=300,
                                 help_text=_("多个字段用逗号分隔；按分类字段汇总（求和）"))

    panels = [FieldRowPanel([FieldPanel("title"), FieldPanel("kind")]),
              FieldRowPanel([FieldPanel("resource_name"), FieldPanel("x_column"),
                             FieldPanel("y_columns")])]

    class Meta(Orderable.Meta):
        verbose_name = _("图表")
        verbose_name_plural = _("图表")

    def y_list(self) -> list[str]:
        return [c.strip() for c in self.y_columns.replace("，", ",").split(",") if c.strip()]


class CellFinding(models.Model):
    """Something screening found in one cell of a table version (row numbers count data rows
    from 1, as a spreadsheet shows them below the header)."""

    version = models.ForeignKey(ResourceVersion, verbose_name=_("数据表版本"),
                                on_delete=models.CASCADE, related_name="findings")
    row = models.PositiveBigIntegerField(_("行"))
    column = models.CharField(_("列"), max_length=200)
    rule_id = models.CharField(_("规则"), max_length=80)
    category = models.CharField(_("类别"), max_length=30)
    severity = models.CharField(_("严重程度"), max_length=10)
    evidence = models.CharField(_("内容（已遮盖）"), max_length=200)
    holds = models.BooleanField(_("扣留发布"), default=False)

    class Meta:
        verbose_name = _("单元格检查发现")
        verbose_name_plural = _("单元格检查发现")
        ordering = ["version", "row", "pk"]

    def __str__(self) -> str:
        return f"第{self.row}行“{self.column}”列：{self.evidence}"


class UsageCount(models.Model):
    """Downloads and API calls of one dataset on one day (statistics)."""

    dataset = models.ForeignKey(DatasetPage, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField(_("日期"))
    downloads = models.PositiveBigIntegerField(_("下载次数"), default=0)
    api_calls = models.PositiveBigIntegerField(_("接口调用次数"), default=0)

    class Meta:
        verbose_name = _("数据集使用统计")
        verbose_name_plural = _("数据集使用统计")
        constraints = [models.UniqueConstraint(fields=["dataset", "day"],
                                               name="opendata_usage_day")]

    def __str__(self) -> str:
        return f"{self.dataset_id} {self.day}"


class DataCatalogPage(SitePageMixin, Page):
    """The cluster-wide 数据开放 section: every live dataset, with facets."""

    intro = models.TextField(_("简介"), blank=True)

    parent_page_types = ["content.SiteHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "opendata/catalog_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("数据开放目录")
        verbose_name_plural = _("数据开放目录")

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from . import selectors

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context.update(selectors.catalogue_context())
        return context
