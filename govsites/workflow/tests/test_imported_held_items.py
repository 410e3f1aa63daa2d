"""An item held at import (保留为待审草稿) enters the review chain and reaches a reviewer's
我的待办, instead of waiting as an unlisted draft (issue 8 #1, brief point 4)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command

from govsites.content.models import ContentItem
from govsites.workflow import selectors

from .conftest import Cluster


def _import(tmp_path: Path, record: dict[str, Any]) -> str:
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("import", str(path), "--site", "jyj.shili.gov.cn", "--column", "工作动态",
                 stdout=out, stderr=StringIO())
    return out.getvalue()


def test_an_item_held_by_the_file_lands_in_a_reviewers_tasks(tmp_path: Path,
                                                             cluster: Cluster) -> None:
    out = _import(tmp_path, {"type": "article", "external_id": "h1", "title": "待核实的旧稿",
                             "body": "正文", "hold": "来源待核实"})
    assert "暂缓发布 1 条" in out
    item = ContentItem.objects.get(title="待核实的旧稿")
    assert not item.live and item.workflow_in_progress
    titles = [p.item.title for p in selectors.pending_reviews_for(cluster.dept_reviewer)]
    assert "待核实的旧稿" in titles


def test_an_item_the_screening_holds_lands_in_a_reviewers_tasks(tmp_path: Path,
                                                                cluster: Cluster) -> None:
    _import(tmp_path, {"type": "article", "external_id": "h2", "title": "旧站新闻",
                       "body": "欢迎访问澳门梦想之城，体验百家乐。"})
    item = ContentItem.objects.get(title="旧站新闻")
    assert not item.live and item.workflow_in_progress
    pending = selectors.pending_reviews_for(cluster.dept_reviewer)
    assert [p for p in pending if p.item.pk == item.pk and p.open_findings > 0]
