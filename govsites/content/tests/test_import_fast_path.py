"""The import's fast path (new, publishable items written a batch at a time, issue 8 #5).

A batch-imported item must be indistinguishable from one made in the editor (add_child, then
save_revision().publish()): a valid page tree, its address, a live revision, the search index.
And the cost of a batch must not grow per record in queries.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageLogEntry
from wagtail.signals import page_published

from govsites.content.imports import bulk
from govsites.content.imports.runs import run_import
from govsites.content.models import ArticlePage, ImportedItem


def write(tmp_path, n, *, prefix="n", name="items.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(
        {"type": "article", "external_id": f"{prefix}{i}", "title": f"旧站新闻{prefix}{i}",
         "body": f"第{i}条正文\n第二段", "published_at": "2024-05-06 09:30",
         "metadata": {"source": "示例市政府办公室"}}, ensure_ascii=False)
        for i in range(1, n + 1)), encoding="utf-8")
    return path


def import_file(path, column):
    return run_import(path=path, site_root=column.get_site().root_page, default_column=column,
                      acting_user=None)


def test_a_batch_imported_item_is_like_one_published_in_the_editor(tmp_path, news_column,
                                                                  settings):
    settings.GOVSITES_IMPORT_BATCH_SIZE = 3
    editor = ArticlePage(title="编辑器新闻", body="<p>第一段。</p>", slug="editor-news",
                         source="示例市政府办公室")
    news_column.add_child(instance=editor)
    editor.save_revision().publish()
    import_file(write(tmp_path, 7), news_column)

    assert all(not problems for problems in Page.find_problems())
    news_column.refresh_from_db()
    assert news_column.numchild == 8 == news_column.get_children().count()
    editor = ArticlePage.objects.get(pk=editor.pk)
    paths = [p.path for p in news_column.get_children()]
    assert len(set(paths)) == 8 and paths[0] == editor.path  # after what was there
    for item in ArticlePage.objects.filter(title__startswith="旧站新闻"):
        assert item.url_path == f"{news_column.url_path}{item.slug}/"
        assert item.depth == editor.depth and item.locale_id == editor.locale_id
        assert item.live and not item.has_unpublished_changes
        assert item.live_revision_id == item.latest_revision_id is not None
        revision = item.live_revision
        assert revision.object_id == str(item.pk)
        assert revision.content_type_id == editor.live_revision.content_type_id
        assert revision.base_content_type_id == editor.live_revision.base_content_type_id
        assert set(revision.content) == set(editor.live_revision.content)
        assert revision.as_object().title == item.title
        assert item.owner_organisation_id == editor.owner_organisation_id is not None
        assert item.publisher_id == editor.publisher_id and item.index_no
        assert item.specific_class is ArticlePage and item.source == "示例市政府办公室"
        assert item.get_url() is not None
        actions = set(PageLogEntry.objects.filter(page=item).values_list("action", flat=True))
        assert actions == {"wagtail.create", "wagtail.publish"}
    assert ImportedItem.objects.count() == 7
    numbers = list(ArticlePage.objects.values_list("index_no", flat=True))
    assert len(set(numbers)) == len(numbers)


def test_every_imported_item_is_found_by_the_search_after_the_batch_tasks_ran(
        tmp_path, news_column, settings, django_capture_on_commit_callbacks):
    settings.GOVSITES_IMPORT_BATCH_SIZE = 4
    with django_capture_on_commit_callbacks(execute=True):
        import_file(write(tmp_path, 9, prefix="s"), news_column)
    for i in range(1, 10):
        found = [p.title for p in ArticlePage.objects.live().search(f"旧站新闻s{i}")]
        assert f"旧站新闻s{i}" in found


def test_every_imported_item_is_announced_as_published_with_its_revision(tmp_path,
                                                                        news_column):
    seen = []

    def receiver(sender, instance, revision, **kwargs):
        seen.append((instance.pk, revision.pk, instance.live_revision_id))

    page_published.connect(receiver, dispatch_uid="test-import-published")
    try:
        import_file(write(tmp_path, 5), news_column)
    finally:
        page_published.disconnect(dispatch_uid="test-import-published")
    assert len(seen) == 5
    assert all(revision == live for _pk, revision, live in seen)
    assert {pk for pk, _r, _l in seen} == set(
        ArticlePage.objects.values_list("pk", flat=True))


def test_the_queries_of_a_batch_do_not_grow_with_its_size(tmp_path, news_column, settings):
    counts = {}
    for n in (3, 12):
        settings.GOVSITES_IMPORT_BATCH_SIZE = n
        path = write(tmp_path, n, prefix=f"q{n}-", name=f"q{n}.jsonl")
        with CaptureQueriesContext(connection) as queries:
            import_file(path, news_column)
        counts[n] = len(queries.captured_queries)
    assert counts[12] <= counts[3], counts


def test_a_burst_memo_remembers_only_inside_the_burst():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert bulk.burst_memo(("k",), compute) == 1
    assert bulk.burst_memo(("k",), compute) == 2  # outside a burst: computed every time
    with bulk.publication_burst():
        assert bulk.burst_memo(("k",), compute) == 3
        assert bulk.burst_memo(("k",), compute) == 3
        assert bulk.burst_memo(("other",), compute) == 4
    assert bulk.burst_memo(("k",), compute) == 5


@pytest.mark.django_db(transaction=True)
def test_a_failing_batch_leaves_no_half_written_pages(tmp_path, monkeypatch, settings):
    """The multi-row INSERTs and what follows them are one transaction per batch."""
    from govsites import testing

    settings.GOVSITES_IMPORT_BATCH_SIZE = 3
    portal = testing.make_site()
    column = testing.make_column(portal.site.root_page.specific, title="工作动态")

    def broken(*args, **kwargs):
        raise RuntimeError("log table unavailable")

    original = PageLogEntry.objects.bulk_create
    calls = {"n": 0}

    def fail_second_batch(objs, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            broken()
        return original(objs, *args, **kwargs)

    monkeypatch.setattr(PageLogEntry.objects, "bulk_create", fail_second_batch)
    with pytest.raises(RuntimeError):
        import_file(write(tmp_path, 5), column)
    assert ArticlePage.objects.count() == 3
    assert all(not problems for problems in Page.find_problems())
    column.refresh_from_db()
    assert column.numchild == 3
