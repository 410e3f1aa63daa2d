"""Writes for columns and library items. Each is atomic and writes one audit record.

Publishing goes through Wagtail's revision actions (which also update reprints, i.e. aliases);
the review chain decides elsewhere *whether* an item may be published.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.actions.create_alias import CreatePageAliasAction
from wagtail.models import Page

from govsites.core import audit

from .choices import ColumnStatus, DisclosureMode, Validity
from .exceptions import ItemNotPublishable, ReprintRefused
from .models import ColumnPage, ContentItem, PolicyDocumentPage, SiteHomePage


def _org(page: Any) -> Any:
    return getattr(page, "owner_organisation", None)


def unique_child_slug(parent: Page, base: str) -> str:
    """Return a slug not yet used under parent (Chinese titles get a numeric slug)."""
    stem = slugify(base, allow_unicode=False)[:40] or "item"
    slug = stem
    n = 1
    while Page.objects.child_of(parent).filter(slug=slug).exists():
        n += 1
        slug = f"{stem}-{n}"
    return slug


def create_column(*, parent: Page, title: str, column_type: str, description: str,
                  keywords: str, acting_user: Any, slug: str = "",
                  owner_organisation: Any = None, update_interval_days: int | None = None,
                  responsible_person: Any = None, publish: bool = True,
                  show_in_menus: bool = True) -> ColumnPage:
    """Create a column under a site's home page or another column (shown in menus by default)."""
    with transaction.atomic():
        column = ColumnPage(
            title=title, slug=slug or unique_child_slug(parent, title), column_type=column_type,
            description=description, keywords=keywords, owner_organisation=owner_organisation,
            update_interval_days=update_interval_days, responsible_person=responsible_person,
            owner=acting_user, show_in_menus=show_in_menus)
        parent.add_child(instance=column)
        revision = column.save_revision(user=acting_user, log_action=True)
        if publish:
            revision.publish(user=acting_user)
        column.refresh_from_db()
        audit.record(action="content.column.create", actor=acting_user, obj=column,
                     organisation=column.effective_owner(),
                     details={"column_type": column_type, "parent": parent.pk})
    return column


def create_site_home(*, title: str, slug: str, acting_user: Any, intro: str = "") -> SiteHomePage:
    """Create and publish a new site's home page at the top of the page tree.

    The site itself is registered afterwards with sites.services.create_site (root_page=…).
    """
    with transaction.atomic():
        root = Page.get_first_root_node()
        home = SiteHomePage(title=title, slug=unique_child_slug(root, slug), intro=intro)
        root.add_child(instance=home)
        revision = home.save_revision(user=acting_user)
        revision.publish(user=acting_user)
        home.refresh_from_db()
        audit.record(action="content.home.create", actor=acting_user, obj=home,
                     details={"revision": revision.pk, "slug": home.slug})
    return home


def archive_column(*, column: ColumnPage, acting_user: Any, when: dt.datetime | None = None
                   ) -> ColumnPage:
    """Mark a column 已归档: it stays readable with the archive date and leaves freshness counts."""
    with transaction.atomic():
        column.status = ColumnStatus.ARCHIVED
        column.archived_at = when or timezone.now()
        revision = column.save_revision(user=acting_user)
        if column.live:
            revision.publish(user=acting_user)
        audit.record(action="content.column.archive", actor=acting_user, obj=column,
                     organisation=column.effective_owner(),
                     details={"archived_at": column.archived_at.isoformat()})
    return column


def check_publishable(item: ContentItem) -> None:
    """Raise ItemNotPublishable with the reason when an item may not go live."""
    if item.disclosure_mode != DisclosureMode.PROACTIVE:
        raise ItemNotPublishable(
            _("“%(mode)s”的信息不能在网站上主动发布。") % {"mode": item.get_disclosure_mode_display()})
    item.full_clean()


def publish_item(*, item: ContentItem, acting_user: Any) -> ContentItem:
    """Publish the latest revision of an item (and update every reprint of it)."""
    with transaction.atomic():
        check_publishable(item)
        revision = item.save_revision(user=acting_user)
        revision.publish(user=acting_user)
        item.refresh_from_db()
        audit.record(action="content.item.publish", actor=acting_user, obj=item,
                     organisation=_org(item), details={"revision": revision.pk})
    return item


def _republish(item: ContentItem, acting_user: Any) -> None:
    revision = item.save_revision(user=acting_user)
    if item.live:
        revision.publish(user=acting_user)


def withdraw_item(*, item: ContentItem, reason: str, acting_user: Any) -> ContentItem:
    """撤稿: the item stays readable with a notice and the reason, on every reprint too."""
    if not reason.strip():
        raise ItemNotPublishable(_("撤稿必须填写原因。"))
    if item.alias_of_id:
        raise ItemNotPublishable(_("转载的信息随原文变化，请在原文上撤稿。"))
    with transaction.atomic():
        item.withdrawn_at = timezone.now()
        item.withdrawal_reason = reason.strip()
        _republish(item, acting_user)
        audit.record(action="content.item.withdraw", actor=acting_user, obj=item,
                     organisation=_org(item), details={"reason": item.withdrawal_reason})
    return item


def change_validity(*, policy: PolicyDocumentPage, validity: str, changed_on: dt.date,
                    acting_user: Any, superseded_by: PolicyDocumentPage | None = None
                    ) -> PolicyDocumentPage:
    """Mark a policy 已修订 / 已废止 / 已失效 (or back to 现行有效); copies show the banner too."""
    if validity not in Validity.values:
        raise ItemNotPublishable(_("未知的有效性：%(v)s") % {"v": validity})
    if policy.alias_of_id:
        raise ItemNotPublishable(_("转载的文件随原文变化，请在原文上变更有效性。"))
    with transaction.atomic():
        before = policy.validity
        policy.validity = validity
        policy.validity_changed_on = changed_on
        policy.superseded_by = superseded_by
        policy.full_clean()
        _republish(policy, acting_user)
        audit.record(action="content.item.repeal", actor=acting_user, obj=policy,
                     organisation=_org(policy),
                     details={"from": before, "to": validity, "changed_on": changed_on.isoformat(),
                              "superseded_by": superseded_by.pk if superseded_by else None})
    return policy


def archive_item(*, item: ContentItem, acting_user: Any, when: dt.datetime | None = None
                 ) -> ContentItem:
    """Mark an item 已归档: still readable, shown with its archive date."""
    with transaction.atomic():
        item.archived_at = when or timezone.now()
        _republish(item, acting_user)
        audit.record(action="content.item.archive", actor=acting_user, obj=item,
                     organisation=_org(item), details={"archived_at": item.archived_at.isoformat()})
    return item


def reprint_item(*, item: ContentItem, column: ColumnPage, acting_user: Any) -> ContentItem:
    """转载: place a synced copy of an item into a column (usually on another site).

    The copy is a Wagtail alias: it follows every later publication of the original, shows
    the original's 来源 and links back to it; withdrawal and repeal therefore show on it too.
    Who may reprint into which column is policies.reprint_refusal (checked first).
    """
    from .policies import reprint_refusal

    original = item.original
    refusal = reprint_refusal(acting_user, original, column)
    if refusal:
        raise ReprintRefused(refusal)
    if column.pk == original.get_parent().pk:
        raise ReprintRefused(_("信息已在该栏目中，无需转载。"))
    if Page.objects.child_of(column).filter(alias_of=original).exists():
        raise ReprintRefused(_("该栏目已转载过这条信息。"))
    if not original.live:
        raise ReprintRefused(_("只能转载已发布的信息。"))
    with transaction.atomic():
        # The policy above is the permission check: Wagtail's own alias check treats an alias
        # as a copy and wants edit rights on the original, which a reprinting organisation
        # never has on another organisation's item.
        alias = CreatePageAliasAction(
            original, parent=column, update_slug=unique_child_slug(column, original.slug),
            user=acting_user).execute(skip_permission_checks=True)
        audit.record(action="content.item.reprint", actor=acting_user, obj=original,
                     organisation=_org(original),
                     details={"alias": alias.pk, "column": column.pk})
    return alias.specific


# --- bulk import (整合迁移): the writes live in content.imports (runs, writing) -----------

def import_items(*, records: list[Any], site_root: Page, acting_user: Any,
                 progress: Any = None) -> Any:
    """Write validated import records (no import run; the demo loader's path)."""
    from .imports.runs import write_records

    return write_records(records=records, site_root=site_root, acting_user=acting_user,
                         progress=progress)


def archive_expired_columns(*, acting_user: Any = None, now: dt.datetime | None = None
                            ) -> list[ColumnPage]:
    """Archive columns past their type's archive age (专题专栏: 6 months without a new item).

    The ages are the rule set's `column.archive_after_days_by_type` in force for each site
    (national default, the site's variant, administrators' overrides); a column with no item
    counts from its own first publication.
    """
    from django.db.models import Max

    from govsites import rules
    from govsites.sites.selectors import all_sites

    now = now or timezone.now()
    archived: list[ColumnPage] = []
    for profile in all_sites():
        ages = rules.snapshot(site=profile).value("column.archive_after_days_by_type")
        home = profile.site.root_page
        for column_type, days in sorted(ages.items()):
            if days is None:
                continue
            limit = now - dt.timedelta(days=int(days))
            for column in (ColumnPage.objects.live().descendant_of(home)
                           .filter(column_type=column_type, status=ColumnStatus.ACTIVE)):
                last = (ContentItem.objects.live().descendant_of(column)
                        .aggregate(last=Max("first_published_at"))["last"]
                        or column.first_published_at)
                if last is not None and last < limit:
                    archived.append(archive_column(column=column, acting_user=acting_user,
                                                   when=now))
    return archived
