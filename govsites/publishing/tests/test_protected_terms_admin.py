"""The 简繁 protected-term dictionary is edited through publishing.services: one audit record
per change, written by the service (not by a signal), and the 繁体 pages are rebuilt."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from govsites import testing
from govsites.core.models import AuditRecord
from govsites.publishing import services
from govsites.publishing.models import ProtectedTerm

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client: Any) -> Any:
    user = get_user_model().objects.create_user(
        username="guanli", password="Pass#1234x", real_name="管理", mobile="13800000000",
        is_superuser=True)
    return testing.login_verified(client, user)


def _new_actions(before: int) -> list[str]:
    return [r.action for r in AuditRecord.objects.order_by("pk")[before:]]


def test_adding_editing_and_deleting_a_term_in_the_admin_writes_one_record_each(
        superuser_client: Any, monkeypatch: Any) -> None:
    rebuilds: list[str] = []
    monkeypatch.setattr(services, "_term_table_changed", lambda: rebuilds.append("x"))
    before = AuditRecord.objects.count()
    response = superuser_client.post("/admin/protected_term/new/",
                                     {"term": " 示例市 ", "replacement": "", "note": "地名"})
    assert response.status_code == 302
    term = ProtectedTerm.objects.get()
    assert term.term == "示例市"
    response = superuser_client.post(f"/admin/protected_term/edit/{term.pk}/",
                                     {"term": "示例市", "replacement": "示例巿", "note": "地名"})
    assert response.status_code == 302
    response = superuser_client.post(f"/admin/protected_term/delete/{term.pk}/")
    assert response.status_code == 302
    assert not ProtectedTerm.objects.exists()
    assert _new_actions(before) == ["publishing.term.create", "publishing.term.update",
                                    "publishing.term.delete"]
    assert len(rebuilds) == 3
    update = AuditRecord.objects.get(action="publishing.term.update")
    assert update.details["before"] == {"term": "示例市", "replacement": ""}
    assert update.actor_name == "管理"


def test_a_term_saved_outside_the_service_writes_no_audit_record_from_a_signal() -> None:
    before = AuditRecord.objects.count()
    ProtectedTerm.objects.create(term="示例县")
    assert _new_actions(before) == []


def test_a_duplicate_term_is_refused_and_changes_nothing(superuser_client: Any) -> None:
    services.save_protected_term(acting_user=None, term="示例市")
    before = AuditRecord.objects.count()
    response = superuser_client.post("/admin/protected_term/new/", {"term": "示例市"})
    assert response.status_code == 200
    assert ProtectedTerm.objects.count() == 1
    assert _new_actions(before) == []


def test_saving_a_term_queues_a_rebuild_of_the_published_tree(
        django_capture_on_commit_callbacks: Any) -> None:
    from django.tasks import signals

    names: list[str] = []

    def seen(sender: Any, task_result: Any, **kwargs: Any) -> None:
        names.append(task_result.task.name)

    signals.task_enqueued.connect(seen, dispatch_uid="test-term-rebuild")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.save_protected_term(acting_user=None, term="示例区")
    finally:
        signals.task_enqueued.disconnect(dispatch_uid="test-term-rebuild")
    assert names.count("rebuild_all") == 1
