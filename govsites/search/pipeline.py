"""Analysing texts on more than one core while one process writes the index (a rebuild).

SQLite takes one writer at a time, and the analysis (rjieba segmentation, character pairs,
简繁) is about half of what indexing costs. With jobs > 1, `analysed` hands each batch's texts
to jobs - 1 worker processes and yields the batches in order with their analysed texts, a few
batches ahead of the caller, who writes one batch while the next are analysed. The workers are
forked: they inherit the loaded dictionaries, never touch the database, and leave through
os._exit, so they close none of the parent's connections.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from . import analysis

Texts = tuple[str, ...]
#: Batches handed to the workers ahead of the one being written, per worker.
AHEAD_PER_WORKER = 2
#: More processes than this wait on the one writer.
MAX_JOBS = 4


def default_jobs() -> int:
    """Processes for a rebuild: the CPU count, at most MAX_JOBS."""
    return min(MAX_JOBS, os.cpu_count() or 1)


def analyse_texts(rows: list[Texts]) -> list[Texts]:
    """The indexable form of each text of each row (`analysis.index_text`)."""
    return [tuple(analysis.index_text(text) for text in row) for row in rows]


def analysed[T](batches: Iterable[tuple[T, list[Texts]]], *,
             jobs: int = 1) -> Iterator[tuple[T, list[Texts]]]:
    """Yield each (batch, texts) of `batches` as (batch, analysed texts), in order."""
    if jobs <= 1:
        for batch, rows in batches:
            yield batch, analyse_texts(rows)
        return
    analysis.index_text("政务公开")  # load the dictionaries once, before the workers fork
    workers = jobs - 1
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending: deque[tuple[T, Any]] = deque()
        for batch, rows in batches:
            pending.append((batch, pool.apply_async(analyse_texts, (rows,))))
            if len(pending) > AHEAD_PER_WORKER * workers:
                done, result = pending.popleft()
                yield done, result.get()
        while pending:
            done, result = pending.popleft()
            yield done, result.get()
