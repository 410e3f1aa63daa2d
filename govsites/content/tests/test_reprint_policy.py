"""Who may reprint (转载) into which column (content/policies.py), as real roles, not a superuser."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from govsites import testing
from govsites.accounts.roles import Role, group_name
from govsites.content.exceptions import ReprintRefused
from govsites.content.models import ContentItem
from govsites.content.policies import may_reprint_at_all, reprint_targets
from govsites.content.services import reprint_item

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def _user(organisation: Any, role: Role) -> Any:
    from govsites.accounts.services import create_user

    n = next(_numbers)
    return create_user(username=f"reprinter{n}", password="Zq7!mesa-Lk", real_name=f"转载人{n}",
                       mobile=f"1370000{n:04d}", organisation=organisation, acting_user=None,
                       groups=[Group.objects.get(name=group_name(role))])


@pytest.fixture
def places(portal: Any, news_column: Any, policy_column: Any, department_site: Any) -> Any:
    """A portal item, the department's own column, and a third organisation's column."""
    dept_home = department_site.site.root_page
    finance = testing.make_organisation("示例市财政局", kind="department",
                                        parent=portal.host_organisation)
    return {
        "item": testing.make_article(news_column, title="市政府要闻"),
        "dept_column": testing.make_column(dept_home, title="转载区"),
        "finance_column": testing.make_column(portal.site.root_page, title="财政专栏",
                                              owner=finance),
        "portal_column": policy_column,
        "dept_org": department_site.host_organisation,
    }


def test_a_site_administrator_may_reprint_only_into_columns_of_their_own_organisation(
        client: Client, places: Any) -> None:
    admin = _user(places["dept_org"], Role.SITE_ADMIN)
    item = places["item"]
    assert list(reprint_targets(admin, item)) == [places["dept_column"]]
    for foreign in (places["portal_column"], places["finance_column"]):
        with pytest.raises(ReprintRefused, match="本单位"):
            reprint_item(item=item, column=foreign, acting_user=admin)
    assert not ContentItem.objects.filter(alias_of=item).exists()

    testing.login_verified(client, admin)
    url = reverse("govsites_item_action", args=[item.pk, "reprint"])
    form = client.get(url).content.decode()
    assert "转载区" in form and "财政专栏" not in form and "政策文件" not in form
    assert client.post(url, {"column": places["finance_column"].pk}).status_code == 200
    done = client.post(url, {"column": places["dept_column"].pk})
    assert done.status_code == 302
    assert ContentItem.objects.child_of(places["dept_column"]).filter(alias_of=item).exists()


def test_an_ordinary_editor_may_not_reprint_anywhere(client: Client, places: Any) -> None:
    editor = _user(places["dept_org"], Role.EDITOR)
    item = places["item"]
    assert not may_reprint_at_all(editor)
    assert not reprint_targets(editor, item).exists()
    with pytest.raises(ReprintRefused, match="站点管理员"):
        reprint_item(item=item, column=places["dept_column"], acting_user=editor)

    testing.login_verified(client, editor)
    url = reverse("govsites_item_action", args=[item.pk, "reprint"])
    for response in (client.get(url), client.post(url, {"column": places["dept_column"].pk})):
        # Wagtail's admin answers a PermissionDenied with a redirect to its dashboard.
        assert (response.status_code, response.get("Location")) == (302, "/admin/")
    assert not ContentItem.objects.filter(alias_of=item).exists()


def test_a_platform_administrator_may_reprint_into_any_organisations_active_column(
        places: Any) -> None:
    from govsites.content.services import archive_column

    platform = _user(places["dept_org"], Role.PLATFORM_ADMIN)
    item = places["item"]
    archive_column(column=places["portal_column"], acting_user=platform)
    targets = set(reprint_targets(platform, item))
    assert {places["dept_column"], places["finance_column"]} <= targets
    assert places["portal_column"] not in targets  # archived
    assert item.get_parent().specific not in targets  # its own column
    copy = reprint_item(item=item, column=places["finance_column"], acting_user=platform)
    assert copy.alias_of_id == item.pk
    with pytest.raises(ReprintRefused, match="已归档"):
        reprint_item(item=item, column=places["portal_column"], acting_user=platform)
