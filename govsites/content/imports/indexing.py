"""Search and reference indexing deferred to one task per import batch (issue 8 #5).

Every save of a page, revision or document queues its own search-index and reference-index
task (Wagtail's and modelsearch's post_save receivers): eight per imported record. Inside
`deferred_indexing()` the current thread's saves are collected instead, and `flush()` queues
one `index_objects_task` for all of them once the batch's transaction commits. Saves in other
threads (the web process, the worker) are indexed as before.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save

_state = threading.local()
_install_lock = threading.Lock()
_installed = False


def _deferring() -> bool:
    return getattr(_state, "objects", None) is not None


def _search_on_save(instance: Any, **kwargs: Any) -> None:
    """modelsearch's receiver, skipped while this thread defers indexing."""
    from modelsearch.signal_handlers import post_save_signal_handler

    if _deferring():
        return
    post_save_signal_handler(instance, **kwargs)


def _collect(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or not _deferring() or instance.pk is None:
        return
    _state.objects.add((instance._meta.app_label, instance._meta.model_name, str(instance.pk)))


def _install() -> None:
    """Route modelsearch's per-save receiver through `_search_on_save` (once per process)."""
    global _installed
    from modelsearch import index
    from modelsearch.signal_handlers import post_save_signal_handler

    with _install_lock:
        if _installed:
            return
        for model in index.get_indexed_models():
            if post_save.disconnect(post_save_signal_handler, sender=model):
                post_save.connect(_search_on_save, sender=model, weak=False,
                                  dispatch_uid=f"content.imports.search.{model._meta.label}")
        post_save.connect(_collect, weak=False, dispatch_uid="content.imports.collect")
        _installed = True


@contextmanager
def deferred_indexing() -> Iterator[None]:
    """Collect this thread's saves instead of queueing index tasks per save."""
    from wagtail.signal_handlers import disable_reference_index_auto_update

    _install()
    _state.objects = set()
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _state.objects = None


def flush() -> int:
    """Queue one task for the saves collected so far, when the transaction commits.

    Return how many objects it covers.
    """
    objects = sorted(getattr(_state, "objects", None) or ())
    if not objects:
        return 0
    _state.objects = set()
    payload = [list(o) for o in objects]

    def enqueue() -> None:
        from ..tasks import index_objects_task

        index_objects_task.enqueue(objects=payload)

    transaction.on_commit(enqueue)
    return len(payload)


def index_objects(objects: list[list[str]]) -> int:
    """Update the search index and the reference index for (app, model, pk) triples."""
    from modelsearch import index
    from wagtail.models import ReferenceIndex

    by_model: dict[tuple[str, str], list[str]] = {}
    for app_label, model_name, pk in objects:
        by_model.setdefault((app_label, model_name), []).append(pk)
    done = 0
    for (app_label, model_name), pks in sorted(by_model.items()):
        model = apps.get_model(app_label, model_name)
        indexed = index.class_is_indexed(model)
        tracked = ReferenceIndex.is_indexed(model)
        if not (indexed or tracked):
            continue
        for obj in model._default_manager.filter(pk__in=pks):
            if indexed:
                index.insert_or_update_object(obj)
            if tracked:
                ReferenceIndex.create_or_update_for_object(obj)
            done += 1
    return done
