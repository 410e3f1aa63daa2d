import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from govsites.content.models import ContentItem, InterpretationPage, PolicyDocumentPage
from govsites.core.models import AuditRecord

GOOD = [
    {"type": "article", "external_id": "n1", "title": "旧站新闻", "body": "第一段\n第二段",
     "published_at": "2025-03-01 09:30"},
    {"type": "interpretation", "external_id": "i1", "title": "办法解读", "body": "解读",
     "fields": {"policy": "p1", "form": "图解"}},
    {"type": "policy", "external_id": "p1", "title": "关于印发办法的通知", "body": "第一条",
     "metadata": {"topic": "综合政务\\政务公开", "importance": "重大"},
     "fields": {"issuing_authority": "示例市人民政府办公室", "document_number": "示政办〔2025〕3号",
                "written_date": "2025-02-27"},
     "attachments": [{"path": "att.txt", "title": "附件一"}]},
]


def write(tmp_path, records, name="items.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                              for r in records), encoding="utf-8")
    (tmp_path / "att.txt").write_text("附件内容", encoding="utf-8")
    return path


def run(path, *extra):
    out, err = StringIO(), StringIO()
    call_command("import", str(path), "--site", "www.shili.gov.cn", *extra, stdout=out,
                 stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_valid_file_imports_every_type_with_its_original_date(tmp_path, news_column):
    out, _err = run(write(tmp_path, GOOD), "--column", "工作动态")
    assert "新建 3 条" in out
    news = ContentItem.objects.get(title="旧站新闻")
    assert news.live and news.first_published_at.astimezone().strftime("%Y-%m-%d %H:%M") == \
        "2025-03-01 09:30"
    assert news.index_no.split("/")[1].startswith("2025-")
    interp = InterpretationPage.objects.get(title="办法解读")
    policy = PolicyDocumentPage.objects.get(title="关于印发办法的通知")
    assert interp.policy_id == policy.pk and interp.form == "graphic"
    assert policy.importance == "major" and policy.attachments.count() == 1


def test_bad_records_give_line_numbered_errors_and_import_nothing(tmp_path, news_column):
    records = [
        GOOD[0],
        "{not json",
        {"type": "policy", "title": "缺发文机关", "fields": {}},
        {"type": "video", "title": "未知类型"},
        {"type": "interpretation", "title": "孤立解读", "fields": {"policy": "不存在"}},
        {"type": "article", "title": "坏主题", "metadata": {"topic": "不存在的分类"}},
        {"type": "article", "title": "未来日期", "published_at": "2099-01-01 00:00"},
        {"type": "service_guide", "title": "缺要素", "fields": {"item_name": "事项"}},
        {"type": "article", "title": "缺附件", "attachments": ["missing.pdf"]},
        {"type": "article", "title": "依申请公开", "metadata": {"disclosure_mode": "依申请公开"}},
    ]
    path = write(tmp_path, records)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), "--site", "www.shili.gov.cn", "--column", "工作动态",
                     stdout=StringIO(), stderr=err)
    text = err.getvalue()
    for line in range(2, 11):
        assert f"第 {line} 行" in text, (line, text)
    assert "第 1 行" not in text
    assert "发文机关" in text and "办事指南缺少必备要素" in text and "不能在网站上主动发布" in text
    assert ContentItem.objects.count() == 0
    assert not AuditRecord.objects.filter(action="content.import.run").exists()


def test_rerunning_the_same_file_updates_instead_of_duplicating(tmp_path, news_column):
    path = write(tmp_path, GOOD)
    run(path, "--column", "工作动态")
    count = ContentItem.objects.count()
    changed = [dict(GOOD[0], title="旧站新闻（更正）"), *GOOD[1:]]
    out, _err = run(write(tmp_path, changed), "--column", "工作动态")
    assert "新建 0 条，更新 1 条，未变化 2 条" in out
    assert ContentItem.objects.count() == count
    assert ContentItem.objects.filter(title="旧站新闻（更正）").count() == 1


def test_a_reimport_cannot_change_the_publication_date(tmp_path, news_column):
    run(write(tmp_path, GOOD), "--column", "工作动态")
    moved = [dict(GOOD[0], published_at="2024-01-01 09:00"), *GOOD[1:]]
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(write(tmp_path, moved)), "--site", "www.shili.gov.cn",
                     "--column", "工作动态", stdout=StringIO(), stderr=err)
    assert "第 1 行" in err.getvalue()


def test_a_held_record_is_imported_as_an_unpublished_draft(tmp_path, news_column):
    out, _err = run(write(tmp_path, [dict(GOOD[0], hold="待核实")]), "--column", "工作动态")
    assert "暂缓发布 1 条" in out and "待核实" in out
    assert not ContentItem.objects.get(title="旧站新闻").live


def test_unknown_site_or_column_is_a_clear_error(tmp_path, news_column):
    path = write(tmp_path, GOOD)
    with pytest.raises(CommandError, match="找不到网站"):
        call_command("import", str(path), "--site", "nowhere.gov.cn", stdout=StringIO())
    with pytest.raises(CommandError, match="栏目"):
        call_command("import", str(path), "--site", "www.shili.gov.cn", "--column", "不存在",
                     stdout=StringIO())


def test_an_item_the_screening_flags_is_held_not_published(tmp_path, news_column):
    record = dict(GOOD[0], body="欢迎访问澳门梦想之城，体验百家乐。")
    out, _err = run(write(tmp_path, [record]), "--column", "工作动态")
    assert "暂缓发布 1 条" in out and "内容检查发现问题" in out
    assert not ContentItem.objects.get(title="旧站新闻").live


def test_rerunning_an_unchanged_file_writes_no_new_revisions(tmp_path, news_column):
    from wagtail.models import Revision

    path = write(tmp_path, GOOD)
    run(path, "--column", "工作动态")
    revisions = Revision.objects.count()
    out, _err = run(path, "--column", "工作动态")
    assert "未变化 3 条" in out
    assert Revision.objects.count() == revisions
