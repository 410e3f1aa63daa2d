"""Several web nodes serve the published tree from their own disks, pulled from object storage
by the manifest (`govsites sync`), SM3-checked, deletions applied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govsites import testing
from govsites.deployment.treesync import TREE_PREFIX, sync_tree
from govsites.publishing import guard
from govsites.publishing.selectors import manifest_rows
from govsites.publishing.services import rebuild_sites

pytestmark = pytest.mark.django_db


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def nodes(tmp_path: Path, settings: Any, bucket: Any) -> dict[str, Path]:
    """Node A publishes (the worker's node); node B only serves and syncs."""
    a, b = tmp_path / "a" / "published", tmp_path / "b" / "published"
    settings.GOVSITES_PUBLISH_ROOT = str(a)
    return {"a": a, "b": b}


def _on(settings: Any, root: Path) -> None:
    settings.GOVSITES_PUBLISH_ROOT = str(root)
    settings.DATA_DIR = root.parent


def test_the_publisher_stores_every_confirmed_file_in_the_bucket(nodes: dict[str, Path],
                                                                  bucket: Any,
                                                                  settings: Any) -> None:
    testing.make_site()
    rebuild_sites(acting_user=None)
    keys = {o["Key"] for o in bucket.list_objects_v2(
        Bucket=settings.GOVSITES_S3_BUCKET, MaxKeys=1000)["Contents"]}
    assert {TREE_PREFIX + sm3 for _h, _p, sm3, _s in manifest_rows()} <= keys


def test_a_second_node_gets_the_same_tree_and_the_guard_passes_there(
        nodes: dict[str, Path], settings: Any) -> None:
    portal = testing.make_site()
    column = testing.make_column(portal.site.root_page.specific, title="工作动态")
    testing.make_article(column, title="第一篇")
    rebuild_sites(acting_user=None)
    _on(settings, nodes["b"])
    report = sync_tree()
    assert report.fetched and not report.failed and not report.deleted
    assert _files(nodes["b"]) == _files(nodes["a"])
    assert guard.verify().clean
    again = sync_tree()  # nothing changed: nothing fetched, nothing hashed again
    assert not again.changed


def test_changes_and_removals_reach_the_second_node(
        nodes: dict[str, Path], settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    portal = testing.make_site()
    column = testing.make_column(portal.site.root_page.specific, title="工作动态")
    rebuild_sites(acting_user=None)
    _on(settings, nodes["b"])
    sync_tree()
    _on(settings, nodes["a"])
    with django_capture_on_commit_callbacks(execute=True):
        article = testing.make_article(column, title="新发布的通知")
    assert "新发布的通知" in (nodes["a"] / "localhost" / testing.published_file(article)
                              ).read_text(encoding="utf-8")
    _on(settings, nodes["b"])
    report = sync_tree()
    assert f"localhost/{testing.published_file(article)}" in report.fetched
    assert _files(nodes["b"]) == _files(nodes["a"])
    _on(settings, nodes["a"])
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    _on(settings, nodes["b"])
    report = sync_tree()
    assert f"localhost/{testing.published_file(article)}" in report.deleted
    assert _files(nodes["b"]) == _files(nodes["a"])


def test_an_object_that_is_not_what_the_manifest_says_is_not_installed(
        nodes: dict[str, Path], settings: Any, bucket: Any) -> None:
    testing.make_site()
    rebuild_sites(acting_user=None)
    host, rel, sm3, _size = next(r for r in manifest_rows() if r[1] == "index.html")
    bucket.put_object(Bucket=settings.GOVSITES_S3_BUCKET, Key=TREE_PREFIX + sm3,
                      Body=b"<html>tampered in the bucket</html>")
    _on(settings, nodes["b"])
    report = sync_tree()
    assert report.failed == [f"{host}/{rel}"]
    assert not (nodes["b"] / host / rel).exists()


def test_a_file_planted_on_a_node_is_removed_by_the_next_sync(
        nodes: dict[str, Path], settings: Any) -> None:
    testing.make_site()
    rebuild_sites(acting_user=None)
    _on(settings, nodes["b"])
    sync_tree()
    planted = nodes["b"] / "localhost" / "casino.html"
    planted.write_text("<a href='https://casino.example'>", encoding="utf-8")
    index = nodes["b"] / "localhost" / "index.html"
    original = index.read_bytes()
    index.write_bytes(original.replace(b"</body>", b"<script>evil()</script></body>"))
    report = sync_tree()
    assert "localhost/casino.html" in report.deleted and not planted.exists()
    assert "localhost/index.html" in report.fetched and index.read_bytes() == original


def test_uploads_go_to_the_bucket_and_keep_the_sites_media_address(
        bucket: Any, settings: Any) -> None:
    from django.core.files.base import ContentFile

    from govsites.deployment.storage import MediaStorage

    storage = MediaStorage(**{**settings.GOVSITES_S3, "location": "media"})
    name = storage.save("images/photo.jpg", ContentFile(b"jpeg bytes"))
    assert storage.url(name) == "/media/images/photo.jpg"
    body = bucket.get_object(Bucket=settings.GOVSITES_S3_BUCKET, Key="media/" + name)["Body"]
    assert body.read() == b"jpeg bytes"
