"""The static 政府信息公开目录 page of a body on one of its sites (条例第12条)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page

from govsites.core import audit

from .. import audit as actions
from .. import policies
from ..models import DisclosureBody, DisclosureCataloguePage


def create_catalogue_page(*, body: DisclosureBody, parent: Page, acting_user: Any,
                          title: str = "", slug: str = "xxgkml", intro: str = "",
                          show_in_menus: bool = False) -> DisclosureCataloguePage:
    """Add and publish the body's 目录 page under a site home or a column.

    One page per body and site; publishing writes it as static files and rewrites it when an
    item of the body is published or withdrawn (handlers.py).
    """
    from govsites.content.models import ColumnPage, SiteHomePage

    if acting_user is not None:
        policies.refuse_unless(policies.can_handle(acting_user, body))
    parent = parent.specific
    if (not isinstance(parent, SiteHomePage | ColumnPage)
            or not DisclosureCataloguePage.can_create_at(parent)):
        raise ValidationError(_("政府信息公开目录只能建在网站首页或“信息公开目录”类栏目之下。"))
    site = parent.get_site()
    if site is not None and DisclosureCataloguePage.objects.descendant_of(site.root_page).filter(
            disclosure_body=body).exists():
        raise ValidationError(_("该网站已有本公开主体的政府信息公开目录。"))
    with transaction.atomic():
        page = DisclosureCataloguePage(
            title=title.strip() or _("%(name)s政府信息公开目录") % {"name": body.name},
            slug=slug, intro=intro.strip(), disclosure_body=body, show_in_menus=show_in_menus)
        parent.add_child(instance=page)
        page.save_revision(user=acting_user).publish(user=acting_user)
        page.refresh_from_db()
        audit.record(action=actions.CATALOGUE_CREATE, actor=acting_user, obj=page,
                     organisation=body.organisation_id,
                     details={"parent": parent.pk, "page": page.pk})
    return page
