"""Shared fixtures: a portal with a department site, columns and an editor."""

from __future__ import annotations

from typing import Any

import pytest

from govsites import testing


@pytest.fixture(autouse=True)
def _remember_current_test(request: Any) -> Any:
    """Let testing.tools.require() check that its caller carries the optional_tool mark."""
    from govsites.testing import tools

    tools.current_test = request.node
    yield
    tools.current_test = None


@pytest.fixture(autouse=True)
def _migration_data_after_a_flush(request: Any) -> None:
    """A transactional test starts on whatever an earlier one left: Django flushes the tables
    after each, which removes the rows the data migrations made (Wagtail's root page and
    collection, the default locale). Put them back before a transactional test runs."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from govsites.testing.processes import ensure_page_tree

    ensure_page_tree()


@pytest.fixture
def portal(db: Any) -> Any:
    """示例市人民政府 portal, served at localhost."""
    return testing.make_site()


@pytest.fixture
def portal_home(portal: Any) -> Any:
    return portal.site.root_page.specific


@pytest.fixture
def department_site(portal: Any) -> Any:
    """示例市教育局, a department site under the portal's domain."""
    org = testing.make_organisation("示例市教育局", kind="department",
                                    parent=portal.host_organisation)
    return testing.make_site(name="示例市教育局", kind="department", organisation=org,
                             domain="jyj.shili.gov.cn", hostname="jyj.localhost",
                             portal=portal, is_default=False)


@pytest.fixture
def news_column(portal_home: Any) -> Any:
    return testing.make_column(portal_home, title="工作动态", column_type="工作动态")


@pytest.fixture
def policy_column(portal_home: Any) -> Any:
    return testing.make_column(portal_home, title="政策文件", column_type="政策文件")


@pytest.fixture
def superuser_client(client: Any, django_user_model: Any) -> Any:
    """A test client logged into the admin as a superuser who has passed two-factor."""
    user = django_user_model.objects.create_superuser(
        "chief", password="Chief@2026x", real_name="总编", mobile="13900000000")
    return testing.login_verified(client, user)
