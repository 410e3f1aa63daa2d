"""Full rebuild of the published tree: every target of every site, in parallel processes."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections

from govsites.core.processes import die_with_parent, exit_if_orphaned

from .models import PublishedFile
from .publisher import BuildStats, Publisher, remove_files
from .render import RenderSession, SiteInfo, prefix_like_indexes
from .targets import Target, site_targets


@dataclass
class RebuildResult:
    stats: BuildStats
    seconds: float
    sites: list[str]

    @property
    def pages_per_second(self) -> float:
        return self.stats.html_pages / self.seconds if self.seconds else 0.0


def _child(keys: list[str], counter: Any, queue: Any, parent: int) -> None:
    """Worker process: render a slice of the targets and report the stats.

    It dies with its parent (a killed `publish --all` must not leave children writing)."""
    die_with_parent(parent)
    try:
        def progress(n: int) -> None:
            exit_if_orphaned(parent)
            with counter.get_lock():
                counter.value += n

        with prefix_like_indexes():
            publisher = Publisher(RenderSession.load())
            stats = publisher.write_targets([Target.parse(k) for k in keys], progress)
        queue.put(("ok", stats))
    except BaseException as exc:  # report, never hang the parent
        queue.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        connections.close_all()


def _run_parallel(targets: list[Target], jobs: int,
                  progress: Callable[[int, int], None] | None) -> BuildStats:
    total = len(targets)
    if jobs <= 1 or total < 50:
        done = [0]

        def _tick(n: int) -> None:
            done[0] += n
            if progress is not None:
                progress(done[0], total)

        with prefix_like_indexes():
            return Publisher(RenderSession.load()).write_targets(targets, _tick)
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("q", 0)
    queue = ctx.Queue()
    keys = [t.key for t in targets]
    # Close our connections first: a forked child must never reuse the parent's socket.
    connections.close_all()
    procs = [ctx.Process(target=_child, args=(keys[i::jobs], counter, queue, os.getpid()))
             for i in range(jobs)]
    for p in procs:
        p.start()
    results: list[tuple[str, Any]] = []
    while len(results) < jobs:
        try:
            results.append(queue.get(timeout=0.2))
        except Exception:  # queue.Empty
            if not any(p.is_alive() for p in procs) and queue.empty():
                break
        if progress is not None:
            progress(int(counter.value), total)
    for p in procs:
        p.join()
    stats = BuildStats()
    for status, payload in results:
        if status == "ok":
            stats.add(payload)
        else:
            stats.errors.append(payload)
    if len(results) < jobs:
        stats.errors.append("a rebuild process died without reporting")
    if progress is not None:
        progress(total, total)
    return stats


def _prune(info: SiteInfo, keep: set[str]) -> int:
    """Delete files of this site whose target is no longer part of the site."""
    stale = list(PublishedFile.objects.filter(hostname=info.hostname).exclude(target__in=keep)
                 .values_list("path", flat=True))
    return sum(remove_files(info.hostname, stale[i:i + 500]) for i in range(0, len(stale), 500))


def rebuild(*, site_ids: list[int] | None = None, jobs: int = 1,
            progress: Callable[[int, int], None] | None = None) -> RebuildResult:
    """Render every target of the chosen sites (all by default) and prune what is stale."""
    started = time.perf_counter()
    session = RenderSession.load()
    infos = [i for i in session.sites if site_ids is None or i.site_id in site_ids]
    targets: list[Target] = []
    with prefix_like_indexes():
        for info in infos:
            targets += site_targets(session, info)
    stats = _run_parallel(targets, jobs, progress)
    keys = {t.key for t in targets}
    with prefix_like_indexes():
        publisher = Publisher(RenderSession.load())
        for info in infos:
            stats.files_removed += _prune(info, {k for k in keys if k.split(":")[1] ==
                                                 str(info.site_id)})
            publisher.rebuild_urls(info)
    from .nginx import write_retired_map

    write_retired_map()
    return RebuildResult(stats, time.perf_counter() - started, [i.hostname for i in infos])


class ProgressBar:
    """A plain-text progress bar on stderr (no terminal library needed)."""

    def __init__(self, stream: Any = None, width: int = 40) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.last = -1.0
        self.finished = False
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        frac = done / total if total else 1.0
        tty = getattr(self.stream, "isatty", lambda: False)()
        if tty:
            if done < total and now - self.last < 0.2:
                return
        elif done < total and int(frac * 10) == int(self.last):
            return  # not a terminal: one line per tenth
        self.last = now if tty else float(int(frac * 10))
        if self.finished:
            return
        filled = int(frac * self.width)
        rate = done / (now - self.started) if now > self.started else 0.0
        self.stream.write(f"{chr(13) if tty else ''}[{'#' * filled}{'.' * (self.width - filled)}]"
                          f" {done}/{total} {frac:6.1%} {rate:7.1f}/s{'' if tty else chr(10)}")
        if done >= total:
            self.finished = True
            if tty:
                self.stream.write("\n")
        self.stream.flush()
