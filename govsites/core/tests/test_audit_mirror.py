"""Wagtail's own log entries are copied into the chained trail as `wagtail.<action>`."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from wagtail.log_actions import log
from wagtail.models import Page

from govsites.core import audit
from govsites.core.audit_actions import ACTIONS
from govsites.core.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db: Any) -> Any:
    return get_user_model().objects.create_user(username="editor", password="x",
                                                real_name="编辑", mobile="13800000000")


def test_a_page_published_in_wagtail_is_in_the_chain(editor: Any) -> None:
    root = Page.get_first_root_node()
    page = Page(title="页面", slug="mirror-page")
    root.add_child(instance=page)
    revision = page.save_revision(user=editor, log_action=True)
    revision.publish(user=editor, skip_permission_checks=True)
    records = {r.action: r for r in AuditRecord.objects.filter(object_id=str(page.pk))}
    assert {"wagtail.edit", "wagtail.publish"} <= set(records)
    published = records["wagtail.publish"]
    assert published.actor_id == editor.pk
    assert published.details["revision"] == revision.pk
    assert published.object_type == "wagtailcore.page"
    assert audit.chain_pending() >= 2
    assert audit.verify_chain() is None


def test_a_model_change_logged_by_wagtail_is_in_the_chain(editor: Any) -> None:
    log(editor, "wagtail.edit", user=editor)
    record = AuditRecord.objects.filter(action="wagtail.edit").latest("pk")
    assert record.object_type == "accounts.user" and record.object_id == str(editor.pk)
    assert record.details["log_model"] == "model"


def test_a_new_wagtail_action_gets_a_label_on_first_use(editor: Any) -> None:
    log(editor, "wagtail.lock", user=editor)
    assert ACTIONS["wagtail.lock"].startswith("后台：")
