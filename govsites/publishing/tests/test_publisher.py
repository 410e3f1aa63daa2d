from __future__ import annotations

from pathlib import Path

from govsites import testing
from govsites.publishing.models import PublishedFile
from govsites.publishing.services import rebuild_sites


def read(root: Path, host: str, rel: str) -> str:
    return (root / host / rel).read_text(encoding="utf-8")


def test_full_rebuild_writes_every_page_in_both_variants(cluster, publish_root):
    testing.make_article(cluster["news"], title="市政府召开常务会议")
    result = rebuild_sites(acting_user=None)
    assert not result.stats.errors
    home = read(publish_root, "localhost", "index.html")
    assert "市政府召开常务会议" in home
    hant_home = read(publish_root, "localhost", "zh-hant/index.html")
    assert '<html lang="zh-Hant">' in hant_home
    assert "市政府召開常務會議" in hant_home
    assert (publish_root / "localhost" / "index.html.gz").is_file()
    assert PublishedFile.objects.filter(hostname="localhost", path="index.html").exists()
