from __future__ import annotations

import os

import pytest
from django.core.management import CommandError, call_command

from govsites import testing
from govsites.core.models import AuditRecord
from govsites.publishing.guard import verify
from govsites.publishing.models import PublishedFile
from govsites.publishing.services import rebuild_sites


@pytest.fixture
def published(cluster, publish_root):
    article = testing.make_article(cluster["news"], title="防篡改测试文章")
    rebuild_sites(acting_user=None)
    return publish_root / "localhost", testing.published_file(article)


def test_clean_tree_passes(published):
    report = verify()
    assert report.clean and report.checked_files > 10


def test_guard_reports_modified_injected_and_deleted_files_and_restores_them(published):
    site, rel = published
    page = site / rel
    original = page.read_bytes()
    page.write_bytes(original.replace("防篡改测试文章".encode(), "<script>挂马</script>".encode()))
    (site / "shell.php").write_text("<?php eval($_POST['x']); ?>")
    (site / "robots.txt").unlink()
    report = verify()
    kinds = {(i.kind, i.path) for i in report.incidents}
    assert kinds == {("modified", rel), ("injected", "shell.php"),
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
    (site / (rel + ".gz")).write_bytes(b"\x1f\x8bnot what we wrote")
    report = verify()
    assert [(i.kind, i.path) for i in report.incidents] == [("modified", rel + ".gz")]


def test_guard_command_fails_without_restore_and_repairs_with_it(published, capsys):
    site, _rel = published
    (site / "index.html").write_text("hacked")
    with pytest.raises(CommandError):
        call_command("guard", "verify")
    call_command("guard", "verify", "--restore")
    assert "hacked" not in (site / "index.html").read_text()
    call_command("guard", "verify")


def test_planted_symlinked_directory_and_file_are_reported_and_quarantined_as_links(
        published, tmp_path):
    site, rel = published
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text("服务器上的其他文件")
    (site / "leak").symlink_to(outside, target_is_directory=True)
    (site / "passwd.html").symlink_to(outside / "secret.html")
    page = site / rel
    original = page.read_bytes()
    page.unlink()
    page.symlink_to(outside / "secret.html")  # a link where a published page belongs
    report = verify()
    assert {(i.kind, i.path) for i in report.incidents} == {
        ("symlink", "leak"), ("symlink", "passwd.html"), ("symlink", rel)}
    report = verify(restore=True)
    assert not os.path.lexists(site / "leak") and not os.path.lexists(site / "passwd.html")
    assert not page.is_symlink() and page.read_bytes() == original
    assert (outside / "secret.html").read_text() == "服务器上的其他文件"  # the link, not its target
    quarantine = tmp_path / "guard-quarantine"
    assert [p.name for p in quarantine.rglob("leak") if p.is_symlink()] == ["leak"]
    assert verify().clean


def test_lost_manifest_is_not_trusted_nothing_is_quarantined_and_the_sites_are_rebuilt(
        published):
    site, _rel = published
    files_before = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    PublishedFile.objects.all().delete()  # a restored backup without the manifest, say
    report = verify(restore=True)
    assert report.quarantined == []
    assert report.alerts and "发布清单" in report.alerts[0]
    assert "localhost" in report.rebuilt_sites
    assert sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file()) == files_before
    alert = AuditRecord.objects.get(action="publishing.guard.alert")
    assert alert.details["kind"] == "manifest_implausible"
    assert verify().clean  # the rebuild wrote a complete manifest again


def test_truncated_or_malformed_manifest_raises_an_alert_through_the_signal_and_command(
        published, capsys):
    from govsites.publishing.signals import guard_alert

    site, _rel = published
    keep = PublishedFile.objects.filter(path="robots.txt").values_list("pk", flat=True)
    PublishedFile.objects.exclude(pk__in=list(keep)).delete()
    heard = []
    guard_alert.connect(lambda sender, **kw: heard.append(kw["kind"]), weak=False,
                        dispatch_uid="test-guard-alert")
    try:
        with pytest.raises(CommandError, match="发布清单不可信"):
            call_command("guard", "verify")
        assert heard and set(heard) == {"manifest_implausible"}  # one per affected site
        assert all(p.exists() for p in [site / "index.html", site / "robots.txt"])
        rebuild_sites(acting_user=None)
        PublishedFile.objects.filter(path="robots.txt").update(sm3="not-a-digest")
        report = verify(restore=True)
        assert report.alerts and "格式错误" in report.alerts[0] and report.quarantined == []
    finally:
        guard_alert.disconnect(dispatch_uid="test-guard-alert")


def test_a_few_injected_files_are_still_quarantined_when_the_manifest_is_plausible(published):
    site, _rel = published
    for n in range(3):
        (site / f"ad{n}.html").write_text("广告")
    report = verify(restore=True)
    assert not report.alerts and len(report.quarantined) == 3


def test_the_periodic_guard_job_rebuilds_instead_of_quarantining_a_site_it_cannot_trust(
        published):
    from govsites.publishing.tasks import run_guard

    site, _rel = published
    PublishedFile.objects.filter(hostname="localhost").delete()
    summary = run_guard.call()
    assert summary["quarantined"] == 0 and summary["alerts"]
    assert summary["rebuilt_sites"] == ["localhost"]
    assert (site / "index.html").is_file()
