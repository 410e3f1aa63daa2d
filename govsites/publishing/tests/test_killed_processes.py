"""Process-level: `kill -9` of a full rebuild and of the task worker, for real."""

from __future__ import annotations

import datetime as dt
import os
import signal

import pytest
from django.utils import timezone

from govsites import testing
from govsites.publishing.guard import scan_tree
from govsites.testing.bulk import bulk_articles
from govsites.testing.processes import (
    alive,
    children,
    ensure_page_tree,
    govsites,
    settings_env,
    wait_until,
)

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs Linux /proc")]


@pytest.fixture
def big_site(transactional_db):
    """A site with enough pages that writing them takes a while (items bulk-inserted)."""
    ensure_page_tree()
    portal = testing.make_site()
    column = testing.make_column(portal.site.root_page.specific, title="工作动态")
    bulk_articles(column, 1500, start_id=100_000, serial=0,
                  when=timezone.now() - dt.timedelta(days=30), body_paragraphs=2)
    return column


def files_in(root):
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def test_killing_a_full_rebuild_kills_its_render_children_and_leaves_nothing_unknown(
        big_site, publish_root, tmp_path):
    env = settings_env(tmp_path)
    with govsites(["publish", "--all", "--jobs", "2", "--no-progress"], env,
                  tmp_path / "publish.log") as proc:
        kids = wait_until(lambda: len(children(proc.pid)) == 2 and children(proc.pid),
                          timeout=60, what="two render children")
        wait_until(lambda: files_in(publish_root) > 40, timeout=60, what="files being written")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        wait_until(lambda: not any(alive(k) for k in kids), timeout=5,
                   what="render children to die with their parent")
    written = files_in(publish_root)
    assert 0 < written < 4 * 1500  # killed part-way
    scan = scan_tree()
    assert [i for i in scan.incidents if i.kind == "injected"] == []
    assert scan.incidents == []  # every file on disk is known (confirmed or announced)


def _enqueue_publish(page_ids):
    from django_tasks_db.backend import DatabaseBackend

    from govsites.publishing.tasks import publish_changes

    backend = DatabaseBackend("default", {"BACKEND": "django_tasks_db.DatabaseBackend"})
    return backend.enqueue(publish_changes, [], {"page_ids": page_ids}).id


def _task(task_id):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.get(pk=task_id)


def test_a_publish_task_whose_task_process_is_killed_is_retried_and_finishes(
        big_site, publish_root, tmp_path):
    env = settings_env(tmp_path)
    # the column is in the menu: its publish rewrites every page of the site
    task_id = _enqueue_publish([big_site.pk])
    with govsites(["worker", "--no-scheduler"], env, tmp_path / "worker.log") as proc:
        wait_until(lambda: _task(task_id).status == "RUNNING", timeout=60, what="task running")
        wait_until(lambda: files_in(publish_root) > 40, timeout=60, what="files being written")
        (runner,) = children(proc.pid)
        os.kill(runner, signal.SIGKILL)
        done = wait_until(lambda: _task(task_id).status in ("SUCCESSFUL", "FAILED")
                          and _task(task_id), timeout=180, what="the task to be retried")
        assert done.status == "SUCCESSFUL", done.traceback
        assert len(done.worker_ids) == 2  # claimed again by the restarted task process
    scan = scan_tree()
    assert scan.incidents == [] and scan.leftovers == []


def test_when_a_whole_worker_is_killed_its_task_process_dies_and_another_worker_retries(
        big_site, publish_root, tmp_path):
    env = settings_env(tmp_path, GOVSITES_WORKER_LEASE_SECONDS=2,
                       GOVSITES_WORKER_HEARTBEAT_SECONDS=0.5)
    task_id = _enqueue_publish([big_site.pk])
    with govsites(["worker", "--no-scheduler"], env, tmp_path / "worker1.log") as first:
        wait_until(lambda: _task(task_id).status == "RUNNING", timeout=60, what="task running")
        (runner,) = children(first.pid)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        wait_until(lambda: not alive(runner), timeout=5, what="task process to die with it")
    assert _task(task_id).status == "RUNNING"  # nobody has said otherwise yet
    with govsites(["worker", "--no-scheduler"], env, tmp_path / "worker2.log"):
        done = wait_until(lambda: _task(task_id).status in ("SUCCESSFUL", "FAILED")
                          and _task(task_id), timeout=180, what="another worker to retry")
    assert done.status == "SUCCESSFUL", done.traceback
    assert scan_tree().incidents == []
