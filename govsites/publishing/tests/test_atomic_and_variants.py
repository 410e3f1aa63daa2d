from __future__ import annotations

import os
import threading

import pytest

from govsites import testing
from govsites.publishing import paths
from govsites.publishing.services import rebuild_sites, save_protected_term
from govsites.publishing.variants import TermTable, convert_text, html_to_hant


def test_readers_never_see_a_half_written_file(tmp_path):
    target = tmp_path / "page" / "index.html"
    a, b = b"A" * 3_000_000, b"B" * 2_000_000
    paths.write_atomic(target, a)
    seen: set[int] = set()
    bad: list[int] = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            data = target.read_bytes()
            if data not in (a, b):
                bad.append(len(data))
            seen.add(len(data))

    thread = threading.Thread(target=reader)
    thread.start()
    for n in range(60):
        paths.write_atomic(target, a if n % 2 else b)
    stop.set()
    thread.join()
    assert not bad
    assert seen == {len(a), len(b)}
    assert [p.name for p in target.parent.iterdir()] == ["index.html"]


def test_failed_write_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "index.html"
    paths.write_atomic(target, b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        paths.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


def test_conversion_is_phrase_level_mainland_traditional():
    assert convert_text("发展改革委员会关于头发的通知") == "發展改革委員會關於頭髮的通知"
    assert convert_text("信息公开") == "信息公開"  # s2t, not Taiwan vocabulary (資訊)


def test_protected_terms_are_left_as_the_dictionary_says():
    terms = TermTable.build([("梅州", ""), ("后台", "後臺")])
    assert convert_text("梅州市后台系统", terms) == "梅州市後臺系統"
    assert convert_text("梅州发展", TermTable.build([])) == "梅州發展"


def test_hant_page_converts_text_keeps_meta_and_links_inside_the_hant_tree():
    html = ('<!DOCTYPE html><html lang="zh-Hans"><head><title>发展</title>'
            '<meta name="SiteName" content="示例市人民政府"></head><body>'
            '<!--govsites:variant-switch--><a href="/zh-hant/news/" data-hans-href="/news/">繁體'
            '</a><!--/govsites:variant-switch-->'
            '<a href="/news/a/" title="发展">发展</a><a href="/static/x.css">样式</a>'
            '<a href="/_govsites/mode/care/?next=%2Fnews%2F">适老化</a>'
            '<img alt="头发" src="/media/a.png"><script>var s="发展";</script></body></html>')
    out = html_to_hant(html)
    assert '<html lang="zh-Hant">' in out
    assert "<title>發展</title>" in out
    assert '<meta name="SiteName" content="示例市人民政府">' in out
    assert '<a href="/zh-hant/news/a/" title="發展">發展</a>' in out
    assert 'href="/static/x.css"' in out
    assert 'alt="頭髮"' in out
    assert 'var s="发展";' in out
    assert 'href="/_govsites/mode/care/?next=%2Fzh-hant%2Fnews%2F"' in out
    assert '<a class="variant-switch" lang="zh-Hans" hreflang="zh-Hans" href="/news/">简体</a>' in out


def test_every_published_page_has_a_hant_twin_with_a_switch_back(cluster, publish_root):
    save_protected_term(acting_user=None, term="示例市")
    article = testing.make_article(cluster["news"], title="示例市发展改革委员会召开会议")
    rebuild_sites(acting_user=None)
    site = publish_root / "localhost"
    hans_files = {p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).as_posix().startswith("zh-hant/")}
    assert hans_files
    for rel in hans_files:
        assert (site / "zh-hant" / rel).is_file(), rel
    hans = (site / testing.published_file(article)).read_text()
    hant = (site / testing.published_file(article, hant=True)).read_text()
    rel = testing.published_file(article)
    assert f'href="/zh-hant/{rel}"' in hans and "繁體</a>" in hans
    assert f'href="/{rel}">简体</a>' in hant
    assert "示例市發展改革委員會召開會議" in hant  # 示例市 protected, the rest converted
    assert '<html lang="zh-Hant">' in hant and '<html lang="zh-Hans">' in hans
