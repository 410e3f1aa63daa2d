"""The tamper guard's findings become 安全事件 records (source 防篡改监测), once per open case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govsites import testing
from govsites.operations.models import IncidentSource, SecurityIncident
from govsites.publishing.guard import verify
from govsites.publishing.services import rebuild_sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(settings: Any, tmp_path: Path, portal: Any) -> tuple[Path, str]:
    settings.GOVSITES_PUBLISH_ROOT = str(tmp_path / "published")
    settings.DATA_DIR = tmp_path
    column = testing.make_column(portal.site.root_page.specific, title="工作动态",
                                 column_type="工作动态")
    article = testing.make_article(column, title="防篡改测试文章")
    rebuild_sites(acting_user=None)
    return tmp_path / "published" / portal.site.hostname, testing.published_file(article)


def test_a_defaced_page_opens_one_incident_of_the_guard_for_its_site(
        portal: Any, published: tuple[Path, str]) -> None:
    site_dir, rel = published
    page = site_dir / rel
    page.write_bytes(page.read_bytes().replace("防篡改测试文章".encode(), "<script>挂马</script>".encode()))
    (site_dir / "shell.php").write_text("<?php eval($_POST['x']); ?>")
    verify()
    [incident] = SecurityIncident.objects.all()
    assert incident.site == portal and incident.source == IncidentSource.GUARD
    assert incident.severity == "larger"
    assert "被篡改1个" in incident.summary and "被植入1个" in incident.summary
    assert rel in incident.summary and "尚未恢复" in incident.summary
    verify()  # the guard runs every few minutes: the open incident covers the same case
    assert SecurityIncident.objects.count() == 1


def test_a_clean_tree_opens_no_incident(published: tuple[Path, str]) -> None:
    assert verify().clean
    assert not SecurityIncident.objects.exists()
