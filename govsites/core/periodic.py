"""Periodic jobs for the worker: a registry of (name, interval, task) run without cron.

Apps register jobs at import time from their `tasks.py`; `govsites worker` runs a small
scheduler loop beside django-tasks-db's worker that enqueues each job when it is due. The last
run of each job is kept in the database so restarts neither skip nor double-run jobs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class PeriodicJob:
    """A task to enqueue every `every`; `interval_setting` lets operators change the interval."""

    name: str
    every: dt.timedelta
    task: Any  # a django.tasks Task
    description: str = ""
    interval_setting: str = ""

    def interval(self) -> dt.timedelta:
        """Return the effective interval (a Django setting in seconds overrides the default)."""
        if self.interval_setting:
            from django.conf import settings

            seconds = getattr(settings, self.interval_setting, None)
            if seconds:
                return dt.timedelta(seconds=int(seconds))
        return self.every


_REGISTRY: dict[str, PeriodicJob] = {}
_FROZEN = False


def register(name: str, *, every: dt.timedelta, task: Any, description: str = "",
             interval_setting: str = "") -> None:
    """Register a periodic job; refused after the registry is frozen at worker start."""
    if _FROZEN:
        raise RuntimeError("periodic job registry is frozen; register jobs at import time")
    if name in _REGISTRY:
        raise ValueError(f"periodic job {name!r} registered twice")
    _REGISTRY[name] = PeriodicJob(name, every, task, description, interval_setting)


def freeze() -> None:
    """Refuse further registrations (called by the worker once apps are loaded)."""
    global _FROZEN
    _FROZEN = True


def jobs() -> list[PeriodicJob]:
    """Return the registered jobs by name."""
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


class register_temporarily:
    """Register a job only inside a `with` block (for tests)."""

    def __init__(self, name: str, *, every: dt.timedelta, task: Any) -> None:
        self.job = PeriodicJob(name, every, task)

    def __enter__(self) -> PeriodicJob:
        _REGISTRY[self.job.name] = self.job
        return self.job

    def __exit__(self, *exc: object) -> None:
        _REGISTRY.pop(self.job.name, None)


def enqueue_due(now: dt.datetime | None = None,
                enqueue: Callable[[PeriodicJob], None] | None = None) -> list[str]:
    """Enqueue every job whose interval has passed since its last run; return their names."""
    from .models import PeriodicJobRun

    now = now or timezone.now()
    started: list[str] = []
    for job in jobs():
        with transaction.atomic():
            run, _created = PeriodicJobRun.objects.select_for_update().get_or_create(
                name=job.name, defaults={"last_enqueued_at": None})
            if run.last_enqueued_at and now - run.last_enqueued_at < job.interval():
                continue
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
        if enqueue is not None:
            enqueue(job)
        else:
            job.task.enqueue()
        started.append(job.name)
    return started
