"""The audit trail in the admin: searchable and filterable, and strictly read-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.permissions import policy_registry

from govsites import testing
from govsites.core import audit
from govsites.core.models import AuditRecord

pytestmark = pytest.mark.django_db

INDEX = "/admin/audit_record/"


def _person(username: str, *group_names: str, superuser: bool = False) -> Any:
    user = get_user_model().objects.create_user(
        username=username, password="Pass#1234x", real_name=username, mobile="13800000000",
        is_superuser=superuser)
    user.groups.set(Group.objects.filter(name__in=group_names))
    return user


@pytest.fixture
def reader(client: Any) -> Any:
    user = _person("auditor", "监管员")
    client.force_login(user)
    return user


@pytest.fixture
def trail(reader: Any, monkeypatch: Any) -> dict[str, Any]:
    """Three records after the reader's own login: an old one (40 days ago) and two today."""
    alice = _person("alice")
    bob = _person("bob")
    past = timezone.now() - dt.timedelta(days=40)
    with monkeypatch.context() as patched:
        patched.setattr(timezone, "now", lambda: past)
        old = audit.record(action="sites.site.update", actor=alice, organisation=7,
                           details={"field": "icp"})
    published = audit.record(action="content.item.publish", actor=bob, obj=bob,
                             organisation=8)
    login = audit.record(action="accounts.auth.login", actor=alice, obj=alice, organisation=7)
    audit.chain_pending()
    for r in (old, published, login):
        r.refresh_from_db()
    return {"alice": alice, "bob": bob, "old": old.seq, "published": published.seq,
            "login": login.seq, "reader_login": login.seq - 3}


def _listed(client: Any, query: str = "") -> list[int]:
    response = client.get(f"{INDEX}results/{query}")
    assert response.status_code == 200
    return sorted(r.seq for r in response.context["object_list"])


def test_the_trail_lists_every_record_for_a_reader(trail: Any, client: Any) -> None:
    assert client.get(INDEX).status_code == 200
    assert _listed(client) == sorted(AuditRecord.objects.values_list("seq", flat=True))
    assert len(_listed(client)) == 4


def test_the_trail_filters_by_action_actor_organisation_object_and_date(
        trail: Any, client: Any) -> None:
    assert _listed(client, "?action=content.item.publish") == [trail["published"]]
    assert _listed(client, "?action_prefix=sites.") == [trail["old"]]
    assert _listed(client, f"?actor={trail['alice'].pk}") == [trail["old"], trail["login"]]
    assert _listed(client, "?organisation_id=8") == [trail["published"]]
    bob = f"?object_id={trail['bob'].pk}&object_type=accounts.user"
    assert _listed(client, bob) == [trail["published"]]
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert trail["old"] not in _listed(client, f"?created_at_from={since}")
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert _listed(client, f"?created_at_to={until}") == [trail["old"]]


def test_the_trail_is_searchable_by_text(trail: Any, client: Any) -> None:
    assert _listed(client, "?q=bob") == [trail["published"]]


def test_a_record_can_be_inspected_with_its_digests(trail: Any, client: Any) -> None:
    record = AuditRecord.objects.get(seq=trail["published"])
    response = client.get(f"{INDEX}inspect/{record.pk}/")
    assert response.status_code == 200
    assert record.hash in response.content.decode()


def test_there_is_no_add_edit_copy_or_delete_screen(trail: Any, client: Any) -> None:
    testing.login_verified(client, _person("root", superuser=True))
    for name in ("add", "edit", "delete", "copy"):
        with pytest.raises(NoReverseMatch):
            reverse(f"audit_record:{name}", args=[] if name == "add" else [1])
    record = AuditRecord.objects.get(seq=trail["old"])
    for url in (f"{INDEX}new/", f"{INDEX}edit/{record.pk}/", f"{INDEX}delete/{record.pk}/"):
        assert client.post(url, {"action": "x"}).status_code == 404
    assert AuditRecord.objects.get(seq=trail["old"]).action == "sites.site.update"
    assert audit.verify_chain() is None


def test_not_even_a_superuser_may_add_change_or_delete_a_record(db: Any) -> None:
    root = _person("root", superuser=True)
    policy = policy_registry.get_by_type(AuditRecord)
    for action in ("add", "change", "delete"):
        assert not policy.user_has_permission(root, action)
    assert policy.user_has_permission(root, "view")


def test_users_without_the_view_permission_cannot_open_the_trail(trail: Any,
                                                                 client: Any) -> None:
    client.force_login(_person("clerk", "信息员"))
    assert client.get(INDEX).status_code == 302
