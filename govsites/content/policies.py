"""Who may do what with library items: reprint targets (转载) and who sees an unpublished item.

**The reprint rule.** A reprint (a Wagtail alias) is live in its column the moment it is made
and follows the original's reviewed text from then on; it has no draft of its own for a review
chain to act on. Placing one is therefore a *publishing act in the target column*, and:

- a person may reprint a live original item into a live, active (not archived) column other
  than the item's own, when they may publish directly in that column
  (`accounts.policies.can_publish_page`: the column lies in their organisation scope and their
  role publishes, i.e. 站点管理员 of the column's organisation, 平台管理员, superusers);
- a reprint into another organisation's column is made by *that* organisation's publisher, who
  pulls the item in: it does not go through the column's review chain, because the person who
  decides is the one who may publish there without it, and the text itself passed the review
  chain where it was first published. A department's 站点管理员 cannot push into the portal's or
  another department's columns; only platform administrators act across organisations;
- ordinary editors (信息员) publish only through the review chain and may not reprint; they
  ask their site administrator;
- `acting_user=None` is the platform itself (the demo loader, commands), which is not checked.

The form lists only the allowed targets (`reprint_targets`) and the service checks the same
rule (`reprint_refusal`) before Wagtail's own alias check runs.

Each function puts one condition per line so that coverage shows every branch.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from wagtail.models import Page

from govsites.accounts import policies as account_policies
from govsites.accounts.page_permissions import organisation_anchor_pages

from .choices import ColumnStatus
from .models import ColumnPage, ContentItem


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and getattr(user, "is_active", False))


def _page_policy() -> Any:
    """The page permission policy in force (accounts registers the organisation-anchored one)."""
    from wagtail.permissions import policy_registry

    return policy_registry.get_by_type(Page)


def may_reprint_at_all(user: Any) -> bool:
    """Say whether a user publishes directly anywhere (so a 转载 button is worth showing)."""
    if not _active(user):
        return False
    if account_policies.is_read_only(user):
        return False
    return bool(_page_policy().user_has_permission(user, "publish"))


def reprint_targets(user: Any, item: ContentItem) -> QuerySet[ColumnPage]:
    """Return the columns a user may reprint an item into (the form lists exactly these)."""
    original = item.original
    candidates = (ColumnPage.objects.live().filter(status=ColumnStatus.ACTIVE)
                  .exclude(pk=original.get_parent().pk).order_by("path"))
    if not may_reprint_at_all(user):
        return candidates.none()
    if account_policies.is_cluster_wide_administrator(user):
        return candidates
    publishable = _page_policy().instances_user_has_permission_for(user, "publish")
    columns = candidates.filter(pk__in=publishable.values("pk"))
    # A subtree grant also covers another organisation's column nested in one's own site.
    allowed = [c.pk for c in columns if account_policies.can_act_on_page(user, c)]
    return candidates.filter(pk__in=allowed)


def reprint_refusal(user: Any, item: ContentItem, column: ColumnPage) -> str:
    """Return why a user may not reprint an item into a column (one sentence), or ""."""
    if user is None:
        return ""  # the platform itself: demo loader, commands
    if not _active(user):
        return _("您的账号不可用，不能转载。")
    if column.status != ColumnStatus.ACTIVE:
        return _("该栏目已归档，不能转载到其中。")
    if not column.live:
        return _("该栏目未发布，不能转载到其中。")
    if not account_policies.can_act_on_page(user, column):
        return _("只能转载到本单位的栏目；转载到其他单位的栏目，请由该单位的站点管理员操作。")
    if not account_policies.can_publish_page(user, column):
        return _("转载即在该栏目发布，只有可直接发布该栏目的人员（站点管理员）可以转载。")
    return ""


# --- who sees an item, in the library and through its attachments ------------------------
#
# Published items are public: everybody sees them, on the sites, in the 资源库 and through
# their attachments at /documents/ID/…. An unpublished item (a draft, an item held by
# screening or by the import, one taken offline) is seen only by those who may read it in
# the page tree: its own organisation (`accounts.policies.read_scope`), platform
# administrators and 监管员. The library is scoped the same way.


def library_visibility(user: Any) -> Q:
    """Return the condition on ContentItem rows a user may see in the 资源库."""
    scope = account_policies.read_scope(user)
    if scope.everywhere:
        return Q()
    own = Q(owner_organisation_id__in=sorted(scope.organisation_ids))
    inherited = Q(pk__in=[])
    for organisation_id in sorted(scope.organisation_ids):
        for anchor in organisation_anchor_pages(organisation_id):
            inherited |= Q(path__startswith=anchor.path)
    # An item without its own owner answers to its column's (accounts.policies).
    return Q(live=True) | own | (Q(owner_organisation__isnull=True) & inherited)


def can_see_item(user: Any, page: Any) -> bool:
    """Say whether a user may see a page of the library (published: everybody)."""
    if page.live:
        return True
    if not _active(user):
        return False
    return account_policies.can_read_page(user, page)


def can_download_document(user: Any, document: Any) -> bool:
    """Say whether a user may download a document (what `/documents/ID/…` serves).

    A document a published page uses (as an attachment or a link in its body) is public. One
    that only unpublished pages use is served to those who may see one of them. One that
    something other than a page uses stays public (nothing says whose it is); one nothing
    uses yet (just uploaded) is served to admin users only.
    """
    from .selectors import document_users

    uses = document_users(document)
    if uses.used_outside_pages:
        return True
    if any(page.live for page in uses.pages):
        return True
    if not _active(user):
        return False
    if not uses.pages:
        return bool(user.has_perm("wagtailadmin.access_admin"))
    return any(account_policies.can_read_page(user, page) for page in uses.pages)
