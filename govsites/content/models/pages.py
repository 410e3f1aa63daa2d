"""Page types: a site's home, its columns (栏目) and the items of the one resource library.

Every item type inherits ContentItem, one concrete table holding the shared metadata schema,
so the 资源库 can filter every item of the cluster in one query.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..choices import (
    ArticleKind,
    ColumnStatus,
    ColumnType,
    DisclosureMode,
    Importance,
    InterpretationForm,
    Validity,
)
from ..column_children import ColumnChildMixin
from ..fields import SanitisedRichTextField

# 审图号: GS(2024)0650号 (national), 粤S(2023)123号 (provincial), also with full-width brackets
# and the 京审字 form of older approvals.
MAP_APPROVAL_NUMBER = re.compile(
    r"^(GS|[\u4e00-\u9fff]S|[\u4e00-\u9fff]审字)\s*[(（〔]\d{4}[)）〕]\s*第?\d{1,6}号$")

ITEM_TYPES = [
    "content.ArticlePage",
    "content.PolicyDocumentPage",
    "content.InterpretationPage",
    "content.ServiceGuidePage",
    "content.OrganisationFunctionsPage",
    "content.LeaderPage",
]
LIST_PAGE_SIZE = 20

# Page permissions follow the user's organisation. accounts (a layer above content) installs
# its tester at startup (AccountsConfig.ready), so content never imports accounts.
_page_permission_tester: Callable[[Any, Any], Any] | None = None


def set_page_permission_tester(tester: Callable[[Any, Any], Any] | None) -> None:
    """Install the factory `tester(user, page)` that permissions_for_user returns."""
    global _page_permission_tester
    _page_permission_tester = tester


class SitePageMixin:
    """Context every public page needs (the site's registry record), and permissions that
    follow the user's organisation (see accounts.page_permissions)."""

    def permissions_for_user(self, user: Any) -> Any:
        if _page_permission_tester is None:
            return super().permissions_for_user(user)  # type: ignore[misc]
        return _page_permission_tester(user, self)

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from govsites.sites.selectors import profile_for_page

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)  # type: ignore[misc]
        context["site_profile"] = profile_for_page(self)
        self._site_profile = context["site_profile"]  # read once per render (ServiceGuidePage)
        return context


class SiteHomePage(SitePageMixin, Page):
    """The root page of one government website (its 首页)."""

    intro = models.TextField(_("首页简介"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.ColumnPage"]
    template = "content/site_home_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("网站首页")
        verbose_name_plural = _("网站首页")

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from ..selectors import home_page_sections, latest_items_under

        context = super().get_context(request, *args, **kwargs)
        context["latest_items"] = latest_items_under(self, limit=10)
        context["sections"] = home_page_sections(self)
        return context


class ColumnPage(ColumnChildMixin, SitePageMixin, Page):
    """A 栏目: typed by the national list, with an owner, a responsible person and a freshness rule."""

    column_type = models.CharField(_("栏目类别"), max_length=20, choices=ColumnType.choices)
    description = models.TextField(_("栏目描述"), help_text=_("栏目的用途和主要内容（ColumnDescription）"))
    keywords = models.CharField(_("栏目关键词"), max_length=200,
                                help_text=_("多个关键词用逗号分隔（ColumnKeywords）"))
    update_interval_days = models.PositiveIntegerField(
        _("应更新周期（天）"), null=True, blank=True,
        help_text=_("留空则按栏目类别的规则（设置 → 规则：栏目不更新时限，全国默认与本市规则变体）"))
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("栏目负责人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="responsible_columns")
    owner_organisation = models.ForeignKey(
        "govsites_sites.Organisation", verbose_name=_("责任单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="columns",
        help_text=_("留空则继承上级栏目或网站主办单位；部门专栏填写该部门"))
    status = models.CharField(_("栏目状态"), max_length=10, choices=ColumnStatus.choices,
                              default=ColumnStatus.ACTIVE)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    merged_into = models.ForeignKey("self", verbose_name=_("并入栏目"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="merged_columns")

    parent_page_types = ["content.SiteHomePage", "content.ColumnPage"]
    subpage_types = ["content.ColumnPage", *ITEM_TYPES]
    template = "content/column_page.html"

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("column_type"), FieldPanel("status")]),
        FieldPanel("description"),
        FieldPanel("keywords"),
        FieldRowPanel([FieldPanel("update_interval_days"), FieldPanel("responsible_person")]),
        FieldPanel("owner_organisation"),
        FieldPanel("merged_into"),
    ]

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    def clean(self) -> None:
        super().clean()
        if self.status == ColumnStatus.MERGED and not self.merged_into_id:
            raise ValidationError({"merged_into": _("已合并的栏目须指明并入哪个栏目。")})
        if self.merged_into_id and self.merged_into_id == self.pk:
            raise ValidationError({"merged_into": _("栏目不能并入自身。")})

    def effective_update_interval_days(self, values: Any = None) -> int | None:
        """Return this column's update interval: its own, else its type's from the rule set.

        The type's interval is the inspector's freshness limit (`column.stale.max_age_days_by_type`,
        e.g. 工作动态 14 days, 7 under the 梅州 variant) or, for other types, the platform's
        `column.update_interval_days_by_type`. `values` is a `rules.snapshot()` for the column's
        site, taken once by callers that ask for many columns.
        """
        if self.update_interval_days:
            return self.update_interval_days
        if values is None:
            from govsites import rules
            from govsites.sites.selectors import profile_for_page

            values = rules.snapshot(site=profile_for_page(self))
        typed = values.value("column.stale.max_age_days_by_type").get(self.column_type)
        if typed is not None:
            return int(typed)
        other = values.value("column.update_interval_days_by_type").get(self.column_type)
        return int(other) if other is not None else None

    def effective_owner(self) -> Any:
        """Return the organisation answerable for this column (inherited up the tree)."""
        node: Page | None = self
        while node is not None:
            specific = node.specific
            owner = getattr(specific, "owner_organisation", None)
            if owner is not None:
                return owner
            if isinstance(specific, SiteHomePage):
                break
            node = node.get_parent()
        from govsites.sites.selectors import profile_for_page

        profile = profile_for_page(self)
        return profile.host_organisation if profile else None

    def route(self, request: Any, path_components: list[str]) -> Any:
        """Find an item by its short address below this column (content/addresses.py);
        everything else routes by slug as Wagtail does."""
        from django.http import Http404

        from ..addresses import item_id_in

        tail = "/".join(path_components)
        item_id = item_id_in(tail) if tail.endswith(".html") else None
        if item_id is None:
            return super().route(request, path_components)
        item = self.get_children().filter(pk=item_id).specific().first()
        if not isinstance(item, ContentItem) or item.address_tail() != tail:
            raise Http404
        return item.route(request, [])

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from ..listing import listing_page, page_number
        from ..selectors import items_in_column

        context = super().get_context(request, *args, **kwargs)
        number = page_number(request.GET.get("page")) if request is not None else 0
        context["items_page"] = listing_page(items_in_column(self), number, LIST_PAGE_SIZE)
        context["subcolumns"] = self.get_children().live().type(ColumnPage).specific()
        return context


class ContentItem(ColumnChildMixin, SitePageMixin, Page):
    """One item of the resource library, with the metadata schema every type shares."""

    index_no = models.CharField(_("索引号"), max_length=60, blank=True, editable=False,
                                db_index=True)
    topic = models.ForeignKey("content.Topic", verbose_name=_("主题分类"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    publisher = models.ForeignKey("govsites_sites.Organisation", verbose_name=_("发布机构"),
                                  null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner_organisation = models.ForeignKey(
        "govsites_sites.Organisation", verbose_name=_("责任单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="items",
        help_text=_("留空则取所在栏目的责任单位"))
    source = models.CharField(_("来源"), max_length=100, blank=True,
                              help_text=_("留空则使用发布机构名称（ContentSource）"))
    source_url = models.URLField(
        _("来源网址"), blank=True,
        help_text=_("转载本站群以外网站的信息时填写来源网站或原文地址；转载的信息不另编本单位索引号"))
    author = models.CharField(_("作者/责任编辑"), max_length=50, blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    summary = models.TextField(_("摘要"), blank=True)
    importance = models.CharField(_("重要程度"), max_length=10, choices=Importance.choices,
                                  default=Importance.NORMAL)
    disclosure_mode = models.CharField(_("公开属性"), max_length=15,
                                       choices=DisclosureMode.choices,
                                       default=DisclosureMode.PROACTIVE)
    body = SanitisedRichTextField(_("正文"), blank=True)  # allow-list: content/richtext.py
    cover_image = models.ForeignKey("wagtailimages.Image", verbose_name=_("题图"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    has_map = models.BooleanField(
        _("含有地图"), default=False,
        help_text=_("正文、题图或附件中含有地图时勾选，并填写审图号（标准地图也有审图号）"))
    map_approval_number = models.CharField(
        _("审图号"), max_length=60, blank=True,
        help_text=_("例如：GS(2024)0650号、粤S(2023)123号"))
    withdrawn_at = models.DateTimeField(_("撤稿时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤稿原因"), blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    is_creatable = False
    parent_page_types = ["content.ColumnPage"]
    subpage_types: list[str] = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("index_no"),
    ]

    metadata_panels = [
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("topic"), FieldPanel("importance")]),
            FieldRowPanel([FieldPanel("publisher"), FieldPanel("owner_organisation")]),
            FieldRowPanel([FieldPanel("source"), FieldPanel("author")]),
            FieldPanel("source_url"),
            FieldPanel("keywords"),
            FieldPanel("summary"),
            FieldPanel("disclosure_mode"),
        ], heading=_("元数据")),
    ]
    body_panels = [
        FieldPanel("body"),
        FieldPanel("cover_image"),
        InlinePanel("attachments", label=_("附件")),
        FieldRowPanel([FieldPanel("has_map"), FieldPanel("map_approval_number")],
                      heading=_("地图")),
    ]

    class Meta:
        verbose_name = _("信息")
        verbose_name_plural = _("信息")

    def clean(self) -> None:
        """CC-17: an item that carries a map names the map's 审图号."""
        super().clean()
        if self.has_map and not self.map_approval_number.strip():
            raise ValidationError({"map_approval_number": _(
                "含有地图的信息须填写审图号（使用标准地图的，填写标准地图的审图号）。")})
        if self.map_approval_number.strip() and not MAP_APPROVAL_NUMBER.match(
                self.map_approval_number.strip()):
            raise ValidationError({"map_approval_number": _(
                "审图号格式应为“GS(2024)0650号”或“粤S(2023)123号”。")})

    @property
    def original(self) -> ContentItem:
        """Return the item this page reprints, or itself when it is the original."""
        if self.alias_of_id:
            return self.alias_of.specific
        return self

    @property
    def pub_date(self) -> Any:
        """发布日期: fixed at first publication of the original item."""
        original = self.original
        return original.first_published_at

    def address_tail(self) -> str:
        """The part of this item's address below its column (content/addresses.py)."""
        from ..addresses import item_tail

        return item_tail(int(self.pk), self.first_published_at)

    def get_url_parts(self, request: Any = None) -> Any:
        """Publish the item at its short stable address, not at its slug."""
        from ..addresses import item_path

        parts = super().get_url_parts(request)
        if parts is None or self.pk is None:
            return parts
        site_id, root_url, page_path = parts
        return site_id, root_url, item_path(page_path, int(self.pk), self.first_published_at)

    def serve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        """Answer the item at its own address; its slug address 301s there."""
        from django.http import HttpResponsePermanentRedirect

        parts = self.get_url_parts(request)
        if (parts is not None and request.path_info.endswith("/")
                and not getattr(request, "is_preview", False)):
            return HttpResponsePermanentRedirect(parts[2])
        return super().serve(request, *args, **kwargs)

    def is_external_reprint(self) -> bool:
        """转载 from a site outside the cluster (its 来源网址 is given)."""
        return bool(self.original.source_url)

    def content_source(self) -> str:
        """Return 来源 (ContentSource): the stated source or the publishing body."""
        if self.source:
            return self.source
        if self.publisher_id and self.publisher is not None:
            return self.publisher.name
        return ""

    def item_type_label(self) -> str:
        return str(self._meta.verbose_name)


class ContentAttachment(Orderable):
    """A document attached to an item (附件)."""

    item = ParentalKey(ContentItem, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", verbose_name=_("文件"),
                                 on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("显示名称"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("附件")

    def display_title(self) -> str:
        return self.title or self.document.title


class ArticlePage(ContentItem):
    """An article: 工作动态 or 通知公告."""

    kind = models.CharField(_("类别"), max_length=10, choices=ArticleKind.choices,
                            default=ArticleKind.NEWS)

    is_creatable = True
    template = "content/article_page.html"
    content_panels = [*Page.content_panels, FieldPanel("kind"),
                      *ContentItem.body_panels, *ContentItem.metadata_panels]

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")

    def item_type_label(self) -> str:
        return str(self.get_kind_display())


class PolicyDocumentPage(ContentItem):
    """A 政策文件 with the disclosure metadata block and a validity lifecycle."""

    issuing_authority = models.CharField(_("发文机关"), max_length=100)
    document_number = models.CharField(_("发文字号"), max_length=60, blank=True)
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    validity = models.CharField(_("有效性"), max_length=10, choices=Validity.choices,
                                default=Validity.IN_FORCE)
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    validity_changed_on = models.DateField(_("有效性变更日期"), null=True, blank=True,
                                           help_text=_("修订、废止或失效的日期"))
    # Editors look a policy up by its 发文字号 in the 资源库 and the page chooser (issue 11).
    search_fields = [
        *ContentItem.search_fields,
        index.SearchField("document_number", boost=3),
        index.SearchField("issuing_authority"),
    ]
    superseded_by = models.ForeignKey("self", verbose_name=_("被以下文件替代"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    normative = models.BooleanField(
        _("规范性文件"), default=False,
        help_text=_("行政规范性文件须有政策解读，按规则变体同步或限期发布（监测提醒缺少解读的文件）"))
    regulation = models.BooleanField(
        _("规章"), default=False,
        help_text=_("以政府令公布的规章；计入政府信息公开工作年度报告表二“规章”行（与规范性文件二选一）"))

    is_creatable = True
    template = "content/policy_document_page.html"
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("issuing_authority"), FieldPanel("document_number")]),
            FieldRowPanel([FieldPanel("written_date"), FieldPanel("effective_date")]),
            FieldRowPanel([FieldPanel("validity"), FieldPanel("validity_changed_on")]),
            FieldRowPanel([FieldPanel("superseded_by"), FieldPanel("normative"),
                           FieldPanel("regulation")]),
        ], heading=_("发文信息")),
        *ContentItem.body_panels,
        *ContentItem.metadata_panels,
    ]

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if not self.topic_id:
            errors["topic"] = str(_("政策文件须选择主题分类。"))
        if self.validity != Validity.IN_FORCE and not self.validity_changed_on:
            errors["validity_changed_on"] = str(_("已修订、已废止或已失效的文件须填写变更日期。"))
        if self.validity == Validity.IN_FORCE and self.superseded_by_id:
            errors["superseded_by"] = str(_("现行有效的文件不应有替代文件。"))
        if self.superseded_by_id and self.superseded_by_id == self.pk:
            errors["superseded_by"] = str(_("文件不能被自身替代。"))
        if self.regulation and self.normative:
            errors["regulation"] = str(_("规章不是行政规范性文件，两者只能选其一。"))
        if errors:
            raise ValidationError(errors)

    def is_no_longer_in_force(self) -> bool:
        return self.validity in (Validity.REPEALED, Validity.EXPIRED)

    def interpretations(self) -> Any:
        """Return the live interpretations of this document (for a reprint, of its original)."""
        original = self.original
        return InterpretationPage.objects.live().filter(policy_id=original.pk,
                                                        alias_of__isnull=True)


class InterpretationPage(ContentItem):
    """A 政策解读; it must name the policy document it interprets."""

    policy = models.ForeignKey(PolicyDocumentPage, verbose_name=_("解读的政策文件"),
                               on_delete=models.PROTECT, related_name="interpretation_pages")
    form = models.CharField(_("解读形式"), max_length=15, choices=InterpretationForm.choices,
                            default=InterpretationForm.TEXT)

    is_creatable = True
    template = "content/interpretation_page.html"
    content_panels = [*Page.content_panels,
                      FieldRowPanel([FieldPanel("policy"), FieldPanel("form")]),
                      *ContentItem.body_panels, *ContentItem.metadata_panels]

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")

    def clean(self) -> None:
        super().clean()
        policy_id: int | None = getattr(self, "policy_id", None)
        if not policy_id:
            raise ValidationError({"policy": _("政策解读必须关联被解读的政策文件。")})
        policy = PolicyDocumentPage.objects.filter(pk=policy_id).first()
        if policy is not None and policy.alias_of_id:
            self.policy = PolicyDocumentPage.objects.get(pk=policy.alias_of_id)


# The national elements are all required; a variant (丹东、亳州) may require these too, named in
# the rule parameter service_guide.extra_elements by their Chinese labels (CC-16).
SERVICE_GUIDE_EXTRA_ELEMENTS = [
    ("time_limits", _("流程时限")),
    ("notes", _("注意事项")),
    ("blank_forms", _("规范表格")),
    ("form_instructions", _("填写说明")),
    ("sample_forms", _("示范文本")),
]

SERVICE_GUIDE_ELEMENTS = [
    ("item_name", _("事项名称")),
    ("legal_basis", _("设定依据")),
    ("conditions", _("申请条件")),
    ("materials", _("办理材料")),
    ("location", _("办理地点")),
    ("handling_body", _("办理机构")),
    ("fees", _("收费标准")),
    ("hours", _("办理时间")),
    ("phone", _("联系电话")),
    ("procedure", _("办理流程")),
]


class ServiceGuidePage(ContentItem):
    """A 办事指南; all ten elements that inspectors check are required."""

    item_name = models.CharField(_("事项名称"), max_length=200)
    legal_basis = models.TextField(_("设定依据"))
    conditions = models.TextField(_("申请条件"))
    materials = models.TextField(_("办理材料"))
    location = models.TextField(_("办理地点"))
    handling_body = models.CharField(_("办理机构"), max_length=200)
    fees = models.TextField(_("收费标准"))
    hours = models.TextField(_("办理时间"))
    phone = models.CharField(_("联系电话"), max_length=100)
    procedure = models.TextField(_("办理流程"))
    time_limits = models.TextField(_("流程时限"), blank=True,
                                   help_text=_("法定办结时限、承诺办结时限及各环节时限"))
    notes = models.TextField(_("注意事项"), blank=True)
    blank_forms = models.TextField(_("规范表格"), blank=True,
                                   help_text=_("办理材料的空白表格：名称及下载位置（可在附件中上传）"))
    form_instructions = models.TextField(_("填写说明"), blank=True)
    sample_forms = models.TextField(_("示范文本"), blank=True,
                                    help_text=_("填写示例：名称及下载位置（可在附件中上传）"))

    is_creatable = True
    template = "content/service_guide_page.html"
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel(name) for name, _label in SERVICE_GUIDE_ELEMENTS],
                        heading=_("办事指南要素（十项均为必填）")),
        MultiFieldPanel([FieldPanel(name) for name, _label in SERVICE_GUIDE_EXTRA_ELEMENTS],
                        heading=_("附加要素（按本市规则必填的项目）")),
        *ContentItem.body_panels,
        *ContentItem.metadata_panels,
    ]

    class Meta:
        verbose_name = _("办事指南")
        verbose_name_plural = _("办事指南")

    def clean(self) -> None:
        super().clean()
        missing = {name: str(_("“%(label)s”为办事指南必备要素，不能为空。") % {"label": label})
                   for name, label in self.required_elements()
                   if not str(getattr(self, name) or "").strip()}
        if missing:
            raise ValidationError(missing)

    def required_elements(self) -> list[tuple[str, Any]]:
        """The ten national elements plus the extra ones the site's rule variant requires
        (CC-16, rule parameter service_guide.extra_elements)."""
        from govsites import rules

        extra = {str(label) for label in rules.value("service_guide.extra_elements",
                                                     site=self._profile_or_none())}
        return [*SERVICE_GUIDE_ELEMENTS,
                *[(name, label) for name, label in SERVICE_GUIDE_EXTRA_ELEMENTS
                  if str(label) in extra]]

    def _profile_or_none(self) -> Any:
        from govsites.sites.selectors import profile_for_page

        if not self.url_path:
            return None  # not placed in the tree yet: the cluster's rules
        if hasattr(self, "_site_profile"):
            return self._site_profile  # the render already read it (SitePageMixin)
        return profile_for_page(self)

    def elements(self) -> list[tuple[str, str]]:
        """Every element shown on the page: the required ones, then extras that are filled."""
        required = self.required_elements()
        names = {name for name, _label in required}
        shown = [(name, label) for name, label in SERVICE_GUIDE_EXTRA_ELEMENTS
                 if name not in names and str(getattr(self, name) or "").strip()]
        return [(str(label), getattr(self, name)) for name, label in [*required, *shown]]
