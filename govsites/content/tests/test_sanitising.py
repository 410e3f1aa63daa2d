"""Every HTML that enters the resource library passes one allow-list sanitiser before it is
stored (content/richtext.py, enforced by the body field), and screening still sees the raw
HTML, so an import with a hidden link is held with its evidence."""

from __future__ import annotations

import importlib
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.models import Revision

from govsites import testing
from govsites.content.models import ContentItem
from govsites.content.richtext import sanitise_rich_text

#: Each active construct of the issue, with a marker that must not survive.
ATTACKS = {
    "script": ("<p>正文<script>alert('x')</script></p>", ["<script", "alert"]),
    "event handler": ('<p><img src="x.png" onerror="alert(1)">图</p>', ["onerror", "alert"]),
    "javascript url": ('<a href="javascript:alert(1)">点我</a>', ["javascript", "alert"]),
    "obfuscated javascript url": ('<a href="JaVaScRiPt&#58;alert(1)">点我</a>',
                                  ["javascript", "alert", "&#58;"]),
    "javascript url with a tab": ('<a href="java\tscript:alert(1)">点我</a>', ["script:", "alert"]),
    "entity-encoded scheme": ('<a href="&#x6A;avascript:alert(1)">点我</a>', ["avascript", "alert"]),
    "data url": ('<a href="data:text/html;base64,PHNjcmlwdD4=">点我</a>', ["data:", "base64"]),
    "iframe": ('<iframe src="https://evil.example/"></iframe><p>正文</p>', ["iframe", "evil"]),
    "meta refresh": ('<meta http-equiv="refresh" content="0;url=https://evil.example/"><p>正文</p>',
                     ["meta", "refresh", "evil"]),
    "base": ('<base href="https://evil.example/"><p><a href="/x">链接</a></p>', ["<base", "evil"]),
    "style attribute": ('<p style="position:absolute;left:-9999px">正文</p>', ["style", "9999"]),
    "style element": ("<style>p{display:none}</style><p>正文</p>", ["<style", "display"]),
    "svg script": ("<svg><script>alert(1)</script></svg><p>正文</p>", ["svg", "alert"]),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_the_sanitiser_removes_every_active_construct(name: str) -> None:
    html, markers = ATTACKS[name]
    clean = sanitise_rich_text(html)
    for marker in markers:
        assert marker.lower() not in clean.lower(), (name, clean)
    assert sanitise_rich_text(clean) == clean


def test_the_sanitiser_keeps_wagtails_rich_text_format_and_converts_the_rest_to_it() -> None:
    stored = ('<p data-block-key="a1b2c">见<a linktype="page" id="12">通知</a>和'
              '<a href="https://www.gov.cn/zhengce/">国务院</a></p>'
              '<embed embedtype="image" id="7" format="left" alt="示意图"/>'
              '<ul><li data-block-key="x9">一</li></ul>')
    assert sanitise_rich_text(stored) == stored
    legacy = ('<div><strong>重要</strong><em>提示</em></div><h1>标题</h1><h5>小节</h5>'
              '<font color="red">红字</font>')
    assert sanitise_rich_text(legacy) == "<p><b>重要</b><i>提示</i></p><h2>标题</h2><h4>小节</h4>红字"


def _import(tmp_path: Any, body: str) -> str:
    path = tmp_path / "items.jsonl"
    record = {"type": "article", "external_id": "x1", "title": "导入的网页", "body": body,
              "body_format": "html"}
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("import", str(path), "--site", "www.shili.gov.cn", "--column", "工作动态",
                 stdout=out, stderr=StringIO())
    return out.getvalue()


def test_an_html_import_is_stored_sanitised_in_the_page_and_its_revision(
        tmp_path: Any, news_column: Any) -> None:
    body = "".join(html for html, _markers in ATTACKS.values())
    _import(tmp_path, body)
    item = ContentItem.objects.get(title="导入的网页")
    revision = Revision.objects.filter(object_id=str(item.pk)).latest("pk")
    for stored in (item.body, revision.content["body"]):
        for _html, markers in ATTACKS.values():
            for marker in markers:
                assert marker.lower() not in stored.lower(), (marker, stored)
        assert "正文" in stored


@pytest.mark.parametrize("body", [
    '<p>正文</p><p style="display:none"><a href="https://casino.example/">澳门赌场</a></p>',
    '<p>正文</p><div style="position:absolute;left:-9999px"><a href="https://casino.example/">'
    "网投</a></div>",
])
def test_an_import_with_a_hidden_link_is_held_with_the_evidence_though_the_style_is_stripped(
        tmp_path: Any, news_column: Any, body: str) -> None:
    out = _import(tmp_path, body)
    item = ContentItem.objects.get(title="导入的网页")
    assert not item.live
    assert "暂缓发布 1 条" in out
    assert "markup.hidden_link" in out and "casino.example" in out
    assert "style" not in item.body


def test_an_import_with_a_script_is_held_so_the_reviewer_sees_what_the_source_had(
        tmp_path: Any, news_column: Any) -> None:
    out = _import(tmp_path, "<p>正文</p><script>document.location='https://evil.example'</script>")
    assert not ContentItem.objects.get(title="导入的网页").live
    assert "markup.script" in out


def test_a_body_written_through_any_channel_is_stored_sanitised(news_column: Any) -> None:
    item = testing.make_article(news_column, title="编辑保存")
    item.body = '<p onclick="steal()">改写<script>alert(1)</script></p>'
    revision = item.save_revision(clean=False)  # no model validation on the way
    assert revision.content["body"] == "<p>改写</p>"
    revision.publish()
    item.refresh_from_db()
    assert item.body == "<p>改写</p>"


def test_the_data_migration_sanitises_bodies_and_revisions_stored_before(
        news_column: Any) -> None:
    from django.apps import apps

    item = testing.make_article(news_column, title="旧数据")
    raw = '<p>旧<script>alert(1)</script><a href="javascript:x()">链</a></p>'
    ContentItem.objects.filter(pk=item.pk).update(body=raw)  # as stored before the sanitiser
    revision = Revision.objects.filter(object_id=str(item.pk)).latest("pk")
    Revision.objects.filter(pk=revision.pk).update(content={**revision.content, "body": raw})
    migration = importlib.import_module(
        "govsites.content.migrations.0006_body_allow_list_sanitiser")
    migration.sanitise_stored_bodies(apps, None)
    assert ContentItem.objects.get(pk=item.pk).body == "<p>旧<a>链</a></p>"
    revision.refresh_from_db()
    assert revision.content["body"] == "<p>旧<a>链</a></p>"


@pytest.mark.parametrize("view", ["view_draft", "preview_on_edit", "revisions_view"])
def test_the_admins_page_rendering_views_run_under_the_strict_policy(
        superuser_client: Client, news_column: Any, view: str) -> None:
    item = testing.make_article(news_column, title="预览")
    revision = Revision.objects.filter(object_id=str(item.pk)).latest("pk")
    path = {"view_draft": f"/admin/pages/{item.pk}/view_draft/",
            "preview_on_edit": f"/admin/pages/{item.pk}/edit/preview/",
            "revisions_view": f"/admin/pages/{item.pk}/revisions/{revision.pk}/view/"}[view]
    response = superuser_client.get(path)
    assert response.status_code == 200, path
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
