"""Import files and their attachments: containment, BOM, size limits (issue 8 #2, #12).

An attachment may only come from the import file's own folder; anything else (absolute
paths, `..`, symlinks to files or folders outside) is refused with its line number and the
import writes nothing.
"""

import json
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model

from govsites.content.models import ContentItem, ImportRun

RECORD = {"type": "article", "external_id": "n1", "title": "旧站新闻", "body": "正文"}


@pytest.fixture
def folders(tmp_path):
    """An import folder and, beside it, a folder with a file nobody meant to publish."""
    inside = tmp_path / "import"
    outside = tmp_path / "private"
    inside.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("服务器上的私密文件", encoding="utf-8")
    (inside / "ok.txt").write_text("附件", encoding="utf-8")
    return inside, outside


def import_lines(folder, *records, prefix=""):
    path = folder / "items.jsonl"
    path.write_text(prefix + "\n".join(json.dumps(r, ensure_ascii=False) for r in records),
                    encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import", str(path), "--site", "www.shili.gov.cn", "--column", "工作动态",
                 stdout=out, stderr=err)
    return out.getvalue()


def refused(folder, *records):
    err = StringIO()
    path = folder / "items.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records),
                    encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import", str(path), "--site", "www.shili.gov.cn", "--column", "工作动态",
                     stdout=StringIO(), stderr=err)
    return err.getvalue()


def with_attachment(path, n=1):
    return dict(RECORD, external_id=f"n{n}", attachments=[path])


def test_attachments_outside_the_import_folder_are_refused_with_their_line(folders,
                                                                          news_column):
    inside, outside = folders
    os.symlink(outside / "secret.txt", inside / "link.txt")
    os.symlink(outside, inside / "linked-folder")
    text = refused(inside,
                   with_attachment("ok.txt", 1),
                   with_attachment(str(outside / "secret.txt"), 2),
                   with_attachment("../private/secret.txt", 3),
                   with_attachment("link.txt", 4),
                   with_attachment("linked-folder/secret.txt", 5),
                   with_attachment("sub/../../private/secret.txt", 6))
    assert "第 1 行" not in text
    assert "第 2 行" in text and "绝对路径" in text
    assert "第 3 行" in text and "第 6 行" in text
    assert "第 4 行" in text and "第 5 行" in text and "文件夹之外" in text
    assert ContentItem.objects.count() == 0
    assert get_document_model().objects.count() == 0


def test_a_symlink_that_stays_inside_the_folder_is_accepted(folders, news_column):
    inside, _outside = folders
    os.symlink(inside / "ok.txt", inside / "alias.txt")
    out = import_lines(inside, with_attachment("alias.txt"))
    assert "新建 1 条" in out
    assert ContentItem.objects.get().specific.attachments.count() == 1


def test_a_file_with_a_byte_order_mark_is_imported(folders, news_column):
    inside, _outside = folders
    out = import_lines(inside, RECORD, prefix="\ufeff")
    assert "新建 1 条" in out
    assert ContentItem.objects.get().title == "旧站新闻"


def test_a_body_over_the_limit_is_refused_with_its_line(folders, news_column, settings):
    settings.GOVSITES_IMPORT_MAX_BODY_CHARS = 1000
    inside, _outside = folders
    text = refused(inside, RECORD, dict(RECORD, external_id="n2", body="长" * 1001))
    assert "第 2 行" in text and "正文过长" in text and "1000" in text
    assert ContentItem.objects.count() == 0


def test_a_line_far_over_the_limit_is_refused_without_parsing_it(folders, news_column,
                                                                 settings):
    settings.GOVSITES_IMPORT_MAX_BODY_CHARS = 10
    inside, _outside = folders
    text = refused(inside, dict(RECORD, body="长" * 100_000))
    assert "第 1 行" in text and "过长" in text


def test_an_import_file_over_the_size_limit_is_refused(folders, news_column, settings):
    settings.GOVSITES_IMPORT_MAX_FILE_BYTES = 100
    inside, _outside = folders
    text = refused(inside, RECORD, dict(RECORD, external_id="n2"))
    assert "导入文件过大" in text
    assert ContentItem.objects.count() == 0
    run = ImportRun.objects.get()
    assert run.state == "refused" and "导入文件过大" in run.errors[0][1]


def test_an_attachment_over_the_size_limit_is_refused(folders, news_column, settings):
    settings.GOVSITES_IMPORT_MAX_ATTACHMENT_BYTES = 4
    inside, _outside = folders
    text = refused(inside, with_attachment("ok.txt"))
    assert "第 1 行" in text and "附件“ok.txt”过大" in text
