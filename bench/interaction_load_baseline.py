"""Settings of bench_interaction_load.py's servers: the project's own settings, unchanged, plus
one URL, POST /bench/write-one, a minimal Django view that inserts one row, as the same-run
baseline (same server, same middleware, same database).

Not a product module: the bench starts the servers with DJANGO_SETTINGS_MODULE set to this file
(bench/ on PYTHONPATH). Nothing here touches the CAPTCHA or the rate limits.
"""

from __future__ import annotations

from typing import Any

from govsites.config.settings.base import *  # noqa: F403 - the project's settings as they are

ROOT_URLCONF = __name__
BASELINE_TABLE = "bench_interaction_baseline"


def _write_one(request: Any) -> Any:
    from django.db import connection, transaction
    from django.http import HttpResponse

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BASELINE_TABLE} (body) VALUES (%s)",
                       [request.POST.get("body", "")])
    return HttpResponse("ok")


def __getattr__(name: str) -> Any:
    """`urlpatterns`, built only when Django asks for it (after the apps are loaded)."""
    if name != "urlpatterns":
        raise AttributeError(name)
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    from govsites.config.urls import urlpatterns as product

    return [path("bench/write-one", csrf_exempt(_write_one)), *product]
