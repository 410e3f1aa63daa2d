"""A new site's home page is created and published through the content service."""

from __future__ import annotations

from typing import Any

import pytest

from govsites.content.services import create_site_home
from govsites.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def test_a_site_home_is_published_with_one_audit_record(db: Any) -> None:
    before = AuditRecord.objects.filter(action__startswith="content.").count()
    home = create_site_home(title="示例市水利局", slug="slj-shili-gov-cn", acting_user=None,
                            intro="水利")
    assert home.live and home.get_parent().depth == 1
    assert home.live_revision is not None
    records = list(AuditRecord.objects.filter(action__startswith="content.").order_by("pk"))
    assert [r.action for r in records[before:]] == ["content.home.create"]
    assert records[-1].object_id == str(home.pk)


def test_a_taken_slug_gets_a_free_one(db: Any) -> None:
    first = create_site_home(title="一", slug="same", acting_user=None)
    second = create_site_home(title="二", slug="same", acting_user=None)
    assert first.slug == "same" and second.slug == "same-2"
