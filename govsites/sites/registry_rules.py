"""Rules of the site registry (ID-01, ID-02, ID-30), checked when a site is registered and
reported by the inspector for the sites already registered.

- ID-01 one body, one website: a body that runs a (non-专题) site opens no second one; county-level
  departments and townships open none (they publish through the county portal); where the variant
  says so (南通) neither do the units below a department.
- ID-02 no separate 专项网站 where the variant forbids them (丹东): a campaign gets a 专题专栏
  on its body's site instead.
- ID-30 hosting: the server's region (`SiteProfile.hosting_region`) must lie within the region
  the variant allows (丹东 境内; 梅州 市本级行政区域).

The numbers and switches are rule parameters (`site.subordinate_units_may_open_sites`,
`site.special_sites_allowed`, `site.hosting.allowed_region`); the messages are Chinese and name
the rule, so the admin form shows them and the inspector lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from .choices import HostingRegion, OrganisationKind, SiteKind, SiteStatus

#: The hosting regions each value of `site.hosting.allowed_region` admits, narrowest first.
ALLOWED_HOSTING = {
    "市本级行政区域": (HostingRegion.LOCAL,),
    "省内": (HostingRegion.LOCAL, HostingRegion.PROVINCE),
    "境内": (HostingRegion.LOCAL, HostingRegion.PROVINCE, HostingRegion.DOMESTIC),
}

Value = Callable[[str], Any]


@dataclass(frozen=True)
class RegistryProblem:
    """One way a site's registration breaks a registry rule."""

    rule: str  # checklist id
    field: str  # the registry field the message belongs to
    message: str


def _is_county_level(organisation: Any) -> bool:
    """A body under a government that itself has a government above it (a county's)."""
    parent = organisation.parent
    return (parent is not None and parent.kind == OrganisationKind.GOVERNMENT
            and parent.parent_id is not None)


def registry_problems(profile: Any, *, value: Value, others: list[Any]) -> list[RegistryProblem]:
    """Return how `profile` breaks the registry rules, given the rule values and the other sites.

    `others` are the other registered sites; `value(key)` reads a rule parameter in force.
    """
    problems: list[RegistryProblem] = []
    body = profile.host_organisation
    kind = profile.kind
    if kind == SiteKind.SPECIAL and not value("site.special_sites_allowed"):
        problems.append(RegistryProblem(
            "ID-02", "kind", "本市规定开展专项工作不单独开设专项网站，请在门户网站或本单位网站开设专题专栏"))
    if kind != SiteKind.SPECIAL:
        running = [o for o in others if o.host_organisation_id == body.pk
                   and o.kind != SiteKind.SPECIAL and o.status != SiteStatus.RETIRED]
        if running:
            problems.append(RegistryProblem(
                "ID-01", "host_organisation",
                f"“{body.name}”已开设网站“{running[0].name}”：一个单位最多开设一个网站"))
        if body.kind == OrganisationKind.TOWNSHIP:
            problems.append(RegistryProblem(
                "ID-01", "host_organisation",
                "乡镇（街道）不单独开设网站，请通过县级政府门户网站发布信息"))
        elif body.kind == OrganisationKind.DEPARTMENT and _is_county_level(body):
            problems.append(RegistryProblem(
                "ID-01", "host_organisation",
                "县级政府部门不单独开设网站，请通过县级政府门户网站发布信息"))
        elif (body.kind == OrganisationKind.DEPARTMENT and body.parent is not None
              and body.parent.kind == OrganisationKind.DEPARTMENT
              and not value("site.subordinate_units_may_open_sites")):
            problems.append(RegistryProblem(
                "ID-01", "host_organisation",
                "本市规定部门下属单位不单独开设网站，请通过主管部门网站发布信息"))
    allowed_region = value("site.hosting.allowed_region")
    if allowed_region:
        allowed = ALLOWED_HOSTING.get(allowed_region, ())
        region = profile.hosting_region
        if not region:
            problems.append(RegistryProblem(
                "ID-30", "hosting_region", f"本市规定网站服务器须托管在{allowed_region}，请填写服务器托管地区"))
        elif region not in allowed:
            shown = HostingRegion(region).label
            problems.append(RegistryProblem(
                "ID-30", "hosting_region",
                f"网站服务器托管在“{shown}”，本市规定须托管在{allowed_region}"))
    return problems


def validate_registration(profile: Any) -> None:
    """Refuse a new site that breaks a registry rule (ValidationError by field, in Chinese).

    Reads the rule values in force for the cluster (a site not yet registered has no variant
    of its own) and the sites already registered.
    """
    from govsites import rules

    from .models import SiteProfile

    values = rules.snapshot()
    others = list(SiteProfile.objects.exclude(pk=profile.pk).select_related("host_organisation"))
    problems = registry_problems(profile, value=values.value, others=others)
    if problems:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.field, []).append(problem.message)
        raise ValidationError(errors)


def name_initials(name: str) -> str:
    """The lower-case pinyin initials of a unit's name (梅州市教育局 → mzsjyj); Latin letters
    and digits are kept, other characters dropped."""
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for ch in "".join(letters).lower() if ch.isascii() and ch.isalnum())


def department_channel_paths(template: str, organisation: Any) -> list[str]:
    """The channel addresses the rule template allows a unit (ID-09), preferred first: the
    initials of its full name (单位名称), then of its short name (简称) if it has one."""
    names = [organisation.name, organisation.short_name] if organisation.short_name else [
        organisation.name]
    paths: list[str] = []
    for name in names:
        path = template.replace("{initials}", name_initials(name))
        if path not in paths:
            paths.append(path)
    return paths
