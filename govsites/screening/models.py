"""The editable screening dictionary (内容检查词库): terms, allowed contexts and domains, rules.

National defaults come from `data/` through migration 0002; operators edit them in the admin.
Every save or delete bumps RulesetVersion so that `selectors.default_screener()` rebuilds.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import FindingCategory, SeverityChoice, TermCategory
from .links import normalise_domain_pattern
from .rules import national_rules


class Term(models.Model):
    """One dictionary term: a word or phrase that must not appear in published content."""

    text = models.CharField(_("词语"), max_length=100, unique=True)
    category = models.CharField(_("类别"), max_length=32, choices=TermCategory.choices)
    severity = models.CharField(
        _("严重程度"), max_length=16, choices=SeverityChoice.choices, blank=True,
        help_text=_("留空则使用该类别检查规则的严重程度。"),
    )
    suggestion = models.CharField(
        _("正确表述"), max_length=200, blank=True,
        help_text=_("严重表述错误的正确写法，例如“国务院办公厅”。"),
    )
    enabled = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    is_national_default = models.BooleanField(_("国家默认词"), default=False, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("检查词")
        verbose_name_plural = _("检查词")
        ordering = ["category", "text"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        """Refuse one-character terms: they would match inside ordinary words everywhere."""
        self.text = self.text.strip()
        if len(self.text) < 2:
            raise ValidationError({"text": _("检查词至少需要两个字符。")})


class AllowedContext(models.Model):
    """A phrase inside which a term match is legitimate, e.g. “打击赌博网站”."""

    phrase = models.CharField(_("允许的上下文"), max_length=100)
    category = models.CharField(
        _("适用类别"), max_length=32, choices=TermCategory.choices, blank=True,
        help_text=_("留空则适用于所有类别的检查词。"),
    )
    enabled = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    is_national_default = models.BooleanField(_("国家默认"), default=False, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("允许的上下文")
        verbose_name_plural = _("允许的上下文")
        ordering = ["category", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["phrase", "category"],
                                    name="screening_context_unique_phrase_category"),
        ]

    def __str__(self) -> str:
        return self.phrase

    def clean(self) -> None:
        """Require a phrase of at least two characters."""
        self.phrase = self.phrase.strip()
        if len(self.phrase) < 2:
            raise ValidationError({"phrase": _("上下文至少需要两个字符。")})


class AllowedDomain(models.Model):
    """A host that is not commercial: links to it are never reported."""

    domain = models.CharField(
        _("域名"), max_length=253, unique=True,
        help_text=_("例如 gov.cn、people.com.cn；输入 *.example.cn 表示包括下级域名。"),
    )
    include_subdomains = models.BooleanField(_("包括下级域名"), default=True)
    enabled = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    is_national_default = models.BooleanField(_("国家默认"), default=False, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("允许链接的域名")
        verbose_name_plural = _("允许链接的域名")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def clean(self) -> None:
        """Store the bare host: strip scheme, path and a leading "*." (which means subdomains)."""
        domain, wildcard = normalise_domain_pattern(self.domain)
        if not domain or " " in domain:
            raise ValidationError({"domain": _("请输入有效的域名。")})
        self.domain = domain
        if wildcard:
            self.include_subdomains = True


def _rule_id_choices() -> list[tuple[str, str]]:
    return [(rule.rule_id, f"{rule.rule_id} {rule.label}") for rule in national_rules().values()]


class RuleSetting(models.Model):
    """The severity of one screening rule (term category or detector) and whether it runs."""

    rule_id = models.CharField(_("规则"), max_length=64, unique=True, choices=_rule_id_choices)
    category = models.CharField(_("类别"), max_length=32, choices=FindingCategory.choices)
    severity = models.CharField(_("严重程度"), max_length=16, choices=SeverityChoice.choices)
    enabled = models.BooleanField(_("启用"), default=True)
    label = models.CharField(_("名称"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("检查规则")
        verbose_name_plural = _("检查规则")
        ordering = ["rule_id"]

    def __str__(self) -> str:
        return self.label or self.rule_id

    def clean(self) -> None:
        """Keep the category the rule id belongs to; only severity and switch are editable."""
        rule = national_rules().get(self.rule_id)
        if rule is None:
            raise ValidationError({"rule_id": _("未知的检查规则。")})
        self.category = rule.category.value


class RulesetVersion(models.Model):
    """A single row whose token changes whenever the dictionary changes (cache invalidation)."""

    version = models.PositiveIntegerField(_("版本"), default=0)
    token = models.UUIDField(_("版本标识"), default=uuid.uuid4)
    changed_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("词库版本")
        verbose_name_plural = _("词库版本")

    def __str__(self) -> str:
        return f"{self.version}"
