"""Leases of task workers and the retry of tasks whose worker died.

django-tasks-db marks a claimed task RUNNING and appends the worker's id to `worker_ids`; if
that process is killed the row stays RUNNING forever. `govsites worker` gives its task
process an id, keeps a heartbeat for it in WorkerLease, and on every node reaps: a RUNNING
task whose last worker's lease has ended or lapsed is put back in the queue (READY), or, after
GOVSITES_TASK_MAX_ATTEMPTS claims, marked FAILED with the reason. Tasks claimed by a worker
that never took a lease (a bare `db_worker`) are left alone: nothing says whether it lives.
Several nodes may reap at once: the update is conditional on the claim it saw.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid

from django.conf import settings
from django.utils import timezone

from .models import WorkerLease

logger = logging.getLogger(__name__)
LOST_EXCEPTION = "govsites.core.workers.WorkerLost"


class WorkerLost(Exception):
    """The process running a task died before the task finished."""


def heartbeat_seconds() -> float:
    return float(getattr(settings, "GOVSITES_WORKER_HEARTBEAT_SECONDS", 5))


def lease_seconds() -> float:
    return float(getattr(settings, "GOVSITES_WORKER_LEASE_SECONDS", 30))


def max_attempts() -> int:
    return int(getattr(settings, "GOVSITES_TASK_MAX_ATTEMPTS", 3))


def new_worker_id() -> str:
    """A worker id unique across nodes: host, pid and a random part (at most 64 chars)."""
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:12]}"


def take_lease(worker_id: str, pid: int) -> WorkerLease:
    now = timezone.now()
    lease, _created = WorkerLease.objects.update_or_create(
        worker_id=worker_id, defaults={"node": socket.gethostname()[:100], "pid": pid,
                                       "started_at": now, "beat_at": now, "ended_at": None})
    return lease


def beat(worker_ids: list[str]) -> None:
    WorkerLease.objects.filter(worker_id__in=worker_ids, ended_at__isnull=True).update(
        beat_at=timezone.now())


def end_lease(worker_id: str) -> None:
    WorkerLease.objects.filter(worker_id=worker_id, ended_at__isnull=True).update(
        ended_at=timezone.now())


def reap(now: dt.datetime | None = None) -> list[str]:
    """Requeue (or fail) RUNNING tasks whose worker is gone; return their ids."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    running = list(DBTaskResult.objects.running().values_list("id", "worker_ids", "started_at"))
    if not running:
        return []
    last_ids = {ids[-1] for _pk, ids, _s in running if ids}
    leases = {lease.worker_id: lease for lease in WorkerLease.objects.filter(
        worker_id__in=last_ids)}
    lapse = dt.timedelta(seconds=lease_seconds())
    reaped = []
    for pk, ids, started_at in running:
        lease = leases.get(ids[-1]) if ids else None
        if lease is None:
            continue
        if lease.ended_at is None and now - lease.beat_at < lapse:
            continue
        claim = DBTaskResult.objects.filter(pk=pk, status="RUNNING", started_at=started_at)
        if len(ids) >= max_attempts():
            done = claim.update(
                status="FAILED", finished_at=now, exception_class_path=LOST_EXCEPTION,
                traceback=f"{LOST_EXCEPTION}: 任务执行进程已退出（{lease}），"
                          f"已尝试 {len(ids)} 次，不再重试。\n")
            if done:
                logger.error("任务 %s 的执行进程已退出，已尝试 %d 次，标记为失败", pk, len(ids))
        else:
            done = claim.update(status="READY", started_at=None)
            if done:
                logger.warning("任务 %s 的执行进程 %s 已退出，重新排队", pk, lease.worker_id)
        if done:
            reaped.append(str(pk))
    return reaped


def prune_leases(now: dt.datetime | None = None, keep: dt.timedelta = dt.timedelta(days=7)
                 ) -> None:
    """Forget leases that ended (or lapsed) long ago and that no RUNNING task names."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    named = {i for ids in DBTaskResult.objects.running().values_list("worker_ids", flat=True)
             for i in ids}
    (WorkerLease.objects.filter(beat_at__lt=now - keep).exclude(worker_id__in=named)
     .delete())
