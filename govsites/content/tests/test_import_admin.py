"""导入批次 in the admin: a read-only list of import runs with their counts and errors."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from govsites.content.models import ImportRun


def test_the_admin_lists_import_runs_read_only(tmp_path, news_column, superuser_client):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"type": "article", "title": "旧站新闻", "external_id": "a"},
                               ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "video", "title": "未知类型"}', encoding="utf-8")
    call_command("import", str(good), "--site", "www.shili.gov.cn", "--column", "工作动态",
                 stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("import", str(bad), "--site", "www.shili.gov.cn", "--column", "工作动态",
                     stdout=StringIO(), stderr=StringIO())
    html = superuser_client.get(reverse("import_runs:index")).content.decode()
    assert "good.jsonl" in html and "bad.jsonl" in html
    assert "已完成" in html and "校验未通过" in html
    refused = ImportRun.objects.get(file_name="bad.jsonl")
    detail = superuser_client.get(reverse("import_runs:inspect", args=[refused.pk]))
    assert "type 必须是" in detail.content.decode()
    assert not [n for n in ("import_runs:add", "import_runs:edit", "import_runs:delete")
                if _resolves(n, refused.pk)]


def _resolves(name, pk):
    from django.urls import NoReverseMatch

    try:
        reverse(name, args=[] if name.endswith("add") else [pk])
    except NoReverseMatch:
        return False
    return True
