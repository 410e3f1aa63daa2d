"""What the review chain's 内容检查 adds to the screening library for a library item: rules that
need the item's metadata or its site's rule data.

- CC-07 (`repost.source_missing`, `repost.source_not_allowed`): an item reposted from outside the
  cluster (it has a 来源网址) names its 来源; where the site's rule data says
  `repost.authoritative_sources_only` (梁平, 南通), the source must be a 党政机关, an
  authoritative medium or a 稿源单位 on the list `repost.allowed_sources` (a name, or `*` and a
  suffix such as `*人民政府`), or the 来源网址 must be on a host under
  `repost.allowed_source_domains`. A reprint inside the cluster (转载, an alias) shows its
  original's source and is not checked.

- CC-33 (`usage.unit`, `usage.punctuation`, `usage.number`, screening/usage.py): 法定计量单位,
  punctuation and numbers in the title, the summary and the body's text.

- CC-18 (`image.flag_emblem`, 亳州 第7条（五）): an image of the item (题图, or an image in the
  body) whose title or alt text names the national flag or emblem (`content.flag_emblem.image_words`)
  is a reminder for the reviewer to check it against the manual checklist in docs/screening.md
  (standard design and proportions, not damaged, not in advertising). The platform cannot judge
  the picture itself.

The findings are ordinary screening findings: their severity and switch are the admin's 检查规则
rows (内容检查词库 → 检查规则), like every other rule.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from govsites.screening.rules import Ruleset, national_rules
from govsites.screening.types import Finding

SOURCE_MISSING = "repost.source_missing"
SOURCE_NOT_ALLOWED = "repost.source_not_allowed"
FLAG_EMBLEM_IMAGE = "image.flag_emblem"
FLAG_EMBLEM_CHECKLIST = ("涉及国旗、国徽的图片：请核对使用标准图案（比例、颜色、图案完整），不得破损、污损、"
                         "倒置，不得用于商标、广告和私人活动（《国旗法》《国徽法》）")
_IMAGE_EMBED = re.compile(r"<embed\b[^>]*\bembedtype=\"image\"[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"\b(id|alt)=\"([^\"]*)\"")


def source_is_allowed(source: str, source_url: str, *, names: list[str],
                      domains: list[str]) -> bool:
    """Say whether a repost's source is on the lists (a name, a `*suffix`, or the URL's host)."""
    source = source.strip()
    for name in names:
        name = name.strip()
        if not name:
            continue
        if name.startswith("*") and len(name) > 1 and source.endswith(name[1:]):
            return True
        if source == name:
            return True
    host = (urlsplit(source_url).hostname or "").lower().rstrip(".")
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains if d)


def _finding(ruleset: Ruleset, rule_id: str, *, evidence: str, context: str,
             location: str = "source") -> list[Finding]:
    rule = ruleset.rule(rule_id)
    if not rule.enabled:
        return []
    return [Finding(rule_id=rule_id, category=rule.category, severity=rule.severity,
                    location=location, evidence=evidence, context=context,
                    extra={"checklist": ",".join(national_rules()[rule_id].checklist)})]


def repost_source_findings(item: Any, ruleset: Ruleset) -> list[Finding]:
    """CC-07 for one item (as a revision gives it)."""
    from govsites import rules
    from govsites.sites.selectors import profile_for_page

    if getattr(item, "alias_of_id", None) or not getattr(item, "source_url", ""):
        return []
    source = (item.source or "").strip()
    if not source:
        return _finding(ruleset, SOURCE_MISSING, evidence=item.source_url,
                        context="转载本站群以外网站的信息，须在“来源”中注明来源单位")
    profile = profile_for_page(item) if item.pk else None
    values = rules.snapshot(site=profile)
    if not values.value("repost.authoritative_sources_only"):
        return []
    if source_is_allowed(source, item.source_url,
                         names=list(values.value("repost.allowed_sources")),
                         domains=list(values.value("repost.allowed_source_domains"))):
        return []
    return _finding(ruleset, SOURCE_NOT_ALLOWED, evidence=source,
                    context=("原则上只转载党政机关、权威媒体或确定的稿源单位发布的信息；"
                             "来源不在稿源单位名单内（设置 → 规则：CC-07）"))


def language_usage_findings(item: Any, ruleset: Ruleset) -> list[Finding]:
    """CC-33 for one item: its title, summary and body text (HTML read as a browser shows it)."""
    from govsites.screening.markup import read_html
    from govsites.screening.usage import usage_findings

    texts = [("title", getattr(item, "title", "") or ""),
             ("summary", getattr(item, "summary", "") or ""),
             ("body", read_html(str(getattr(item, "body", "") or "")).text)]
    return [finding for location, text in texts
            for finding in usage_findings(text, location=location, ruleset=ruleset)]


def _image_names(item: Any) -> list[tuple[str, str]]:
    """(location, name) of the item's images: the 题图's title, each body image's alt and title."""
    from wagtail.images import get_image_model

    names: list[tuple[str, str]] = []
    cover = getattr(item, "cover_image", None)
    if cover is not None:
        names.append(("cover_image", str(cover.title)))
    ids = []
    for embed in _IMAGE_EMBED.findall(str(getattr(item, "body", "") or "")):
        attributes = dict(_ATTRIBUTE.findall(embed))
        if attributes.get("alt"):
            names.append(("body", attributes["alt"]))
        if attributes.get("id", "").isdigit():
            ids.append(int(attributes["id"]))
    if ids:
        titles = get_image_model().objects.filter(pk__in=ids).values_list("title", flat=True)
        names += [("body", str(title)) for title in titles]
    return names


def flag_emblem_findings(item: Any, ruleset: Ruleset) -> list[Finding]:
    """CC-18 for one item: a reminder for each image naming the national flag or emblem."""
    from govsites import rules
    from govsites.sites.selectors import profile_for_page

    names = _image_names(item)
    if not names:
        return []
    profile = profile_for_page(item) if item.pk else None
    words = [str(w) for w in rules.value("content.flag_emblem.image_words", site=profile) if w]
    found: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for location, name in names:
        if (location, name) in seen or not any(word in name for word in words):
            continue
        seen.add((location, name))
        found += _finding(ruleset, FLAG_EMBLEM_IMAGE, evidence=name,
                          context=FLAG_EMBLEM_CHECKLIST, location=location)
    return found


def item_findings(item: Any, screener: Any) -> list[Finding]:
    """Everything this module checks on one item."""
    ruleset = screener.ruleset
    return [*repost_source_findings(item, ruleset), *language_usage_findings(item, ruleset),
            *flag_emblem_findings(item, ruleset)]
