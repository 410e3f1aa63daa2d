from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from govsites import testing
from govsites.core.models import AuditRecord
from govsites.publishing.guard import verify
from govsites.publishing.services import rebuild_sites


@pytest.fixture
def published(cluster, publish_root):
    article = testing.make_article(cluster["news"], title="防篡改测试文章")
    rebuild_sites(acting_user=None)
    return publish_root / "localhost", article.url_path.split("/", 2)[2]


def test_clean_tree_passes(published):
    report = verify()
    assert report.clean and report.checked_files > 10


def test_guard_reports_modified_injected_and_deleted_files_and_restores_them(published):
    site, rel = published
    page = site / rel / "index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace("防篡改测试文章".encode(), "<script>挂马</script>".encode()))
    (site / "shell.php").write_text("<?php eval($_POST['x']); ?>")
    (site / "robots.txt").unlink()
    report = verify()
    kinds = {(i.kind, i.path) for i in report.incidents}
    assert kinds == {("modified", rel + "index.html"), ("injected", "shell.php"),
                     ("deleted", "robots.txt")}
    assert AuditRecord.objects.filter(action="publishing.guard.incident").count() == 3

    report = verify(restore=True)
    assert len(report.restored) == 2 and report.quarantined == ["localhost/shell.php"]
    assert page.read_bytes() == original
    assert (site / "robots.txt").is_file()
    assert not (site / "shell.php").exists()
    assert AuditRecord.objects.filter(action="publishing.guard.restore").count() == 1
    assert verify().clean


def test_tampered_precompressed_copy_is_caught_too(published):
    site, rel = published
    (site / rel / "index.html.gz").write_bytes(b"\x1f\x8bnot what we wrote")
    report = verify()
    assert [(i.kind, i.path) for i in report.incidents] == [("modified", rel + "index.html.gz")]


def test_guard_command_fails_without_restore_and_repairs_with_it(published, capsys):
    site, _rel = published
    (site / "index.html").write_text("hacked")
    with pytest.raises(CommandError):
        call_command("guard", "verify")
    call_command("guard", "verify", "--restore")
    assert "hacked" not in (site / "index.html").read_text()
    call_command("guard", "verify")
