"""Import runs: batches in short transactions, resume, rollback, deferred indexing (issue 8 #5).

The whole file is validated first; then records are written a batch at a time, each batch in
its own transaction with the run's position, so a second connection sees progress, a killed
import is finished by re-running the file, and `--rollback` undoes it.
"""

import json
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from govsites.content.imports import bulk as import_bulk
from govsites.content.models import ArticlePage, ContentItem, ImportedItem, ImportRun
from govsites.core.models import AuditRecord


def records(n, **extra):
    return [{"type": "article", "external_id": f"n{i}", "title": f"旧站新闻{i}",
             "body": f"第{i}条正文", **extra} for i in range(1, n + 1)]


def write(tmp_path, lines, name="items.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines),
                    encoding="utf-8")
    return path


def run(path, *extra):
    out = StringIO()
    call_command("import", str(path), "--site", "www.shili.gov.cn", "--column", "工作动态",
                 *extra, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def small_batches(settings):
    settings.GOVSITES_IMPORT_BATCH_SIZE = 2


@pytest.fixture
def failing_at(monkeypatch):
    """Make the import die while writing the record with this title (a killed process)."""
    def arm(title):
        original = import_bulk.save_new_item

        def save_new_item(record, *args, **kwargs):
            if record.title == title:
                raise KeyboardInterrupt("killed")
            return original(record, *args, **kwargs)

        monkeypatch.setattr(import_bulk, "save_new_item", save_new_item)
        return lambda: monkeypatch.setattr(import_bulk, "save_new_item", original)
    return arm


def test_a_finished_import_is_recorded_with_its_counts(tmp_path, news_column, small_batches):
    out = run(write(tmp_path, records(5)))
    done = ImportRun.objects.get()
    assert done.state == "done" and (done.total, done.position, done.created) == (5, 5, 5)
    assert done.file_name == "items.jsonl" and len(done.file_digest) == 64
    assert f"批次 {done.pk}" in out and "新建 5 条" in out
    assert done.entries.count() == 5


def test_an_interrupted_import_keeps_whole_batches_and_rerunning_finishes_it(
        tmp_path, news_column, small_batches, failing_at):
    path = write(tmp_path, records(5))
    disarm = failing_at("旧站新闻4")
    with pytest.raises(KeyboardInterrupt):
        run(path)
    half = ImportRun.objects.get()
    assert (half.state, half.position, half.last_line) == ("running", 2, 2)
    assert half.heartbeat_at is None
    assert sorted(ContentItem.objects.values_list("title", flat=True)) == ["旧站新闻1",
                                                                          "旧站新闻2"]
    disarm()
    out = run(path)
    assert "新建 5 条" in out  # the run's totals, first attempt included
    finished = ImportRun.objects.get()
    assert finished.pk == half.pk and finished.state == "done" and finished.created == 5
    assert ContentItem.objects.count() == 5 and ImportedItem.objects.count() == 5


def test_another_file_is_refused_while_an_import_is_unfinished(tmp_path, news_column,
                                                               small_batches, failing_at):
    failing_at("旧站新闻3")
    with pytest.raises(KeyboardInterrupt):
        run(write(tmp_path, records(4)))
    with pytest.raises(CommandError, match="未完成的导入"):
        run(write(tmp_path, records(1), name="other.jsonl"))


def test_an_import_still_writing_is_not_resumed_twice(tmp_path, news_column, small_batches):
    path = write(tmp_path, records(3))
    run(path)
    ImportRun.objects.update(state="running", position=2)
    live = ImportRun.objects.get()
    live.heartbeat_at = live.started_at.__class__.now(live.started_at.tzinfo)
    live.save()
    with pytest.raises(CommandError, match="正在导入中"):
        run(path)


def test_rollback_undoes_an_interrupted_import(tmp_path, news_column, small_batches,
                                               failing_at):
    path = write(tmp_path, records(5))
    failing_at("旧站新闻5")
    with pytest.raises(KeyboardInterrupt):
        run(path)
    assert ContentItem.objects.count() == 4
    out = run(path, "--rollback")
    assert "已撤销" in out
    assert ContentItem.objects.count() == 0 and ImportedItem.objects.count() == 0
    assert ImportRun.objects.get().state == "rolled_back"
    assert AuditRecord.objects.filter(action="content.import.rollback").count() == 1


def test_rollback_restores_the_items_a_reimport_changed(tmp_path, news_column, small_batches):
    first = records(3)
    run(write(tmp_path, first))
    changed = [dict(first[0], title="旧站新闻1（更正）"), *first[1:], *records(4)[3:]]
    second = write(tmp_path, changed, name="again.jsonl")
    out = run(second)
    assert "新建 1 条，更新 1 条，未变化 2 条" in out
    run(second, "--rollback")
    titles = sorted(ArticlePage.objects.live().values_list("title", flat=True))
    assert titles == ["旧站新闻1", "旧站新闻2", "旧站新闻3"]
    # the fingerprint is back too: re-running the first file changes nothing
    assert "未变化 3 条" in run(write(tmp_path, first))


def test_records_are_indexed_by_one_task_per_batch_not_per_save(
        tmp_path, news_column, small_batches, django_capture_on_commit_callbacks):
    import django_tasks.signals
    from django.tasks import signals

    names: list[str] = []
    per_save: list[tuple[str, ...]] = []

    def seen(sender, task_result, **kwargs):
        names.append(task_result.task.name)
        if task_result.task.name in ("insert_or_update_object_task",
                                     "update_reference_index_task"):
            per_save.append(tuple(task_result.args))

    for signal in (signals.task_enqueued, django_tasks.signals.task_enqueued):
        signal.connect(seen, dispatch_uid="test-import-tasks")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run(write(tmp_path, records(5)))
    finally:
        for signal in (signals.task_enqueued, django_tasks.signals.task_enqueued):
            signal.disconnect(dispatch_uid="test-import-tasks")
    assert names.count("index_objects_task") == 3  # batches of 2, 2 and 1
    # what the records saved (pages, revisions, links) queued nothing of its own
    assert not [args for args in per_save if args[0] in ("content", "wagtailcore")]
    found = ArticlePage.objects.live().search("旧站新闻3")
    assert "旧站新闻3" in [p.title for p in found]


@pytest.mark.django_db(transaction=True)
def test_other_connections_see_each_batch_while_the_import_runs(tmp_path, small_batches):
    """Short transactions: before, the whole file was one transaction and locked out logins."""
    from govsites import testing
    from govsites.content.imports.runs import run_import

    portal = testing.make_site()
    column = testing.make_column(portal.site.root_page.specific, title="工作动态")
    seen: list[int] = []

    def count_from_another_connection():
        try:
            seen.append(ContentItem.objects.count())
        finally:
            connections.close_all()

    def progress(n, total, record):
        if n == 3:  # the first record of the second batch
            reader = threading.Thread(target=count_from_another_connection)
            reader.start()
            reader.join(timeout=60)

    run_import(path=write(tmp_path, records(4)), site_root=portal.site.root_page,
               default_column=column, acting_user=None, progress=progress)
    assert seen == [2]
