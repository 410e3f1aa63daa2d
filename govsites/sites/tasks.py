"""Background jobs of the site registry (thin: each calls one function of the app)."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from govsites.core import periodic


@task()
def clocks_round() -> dict[str, int]:
    """Daily: remind about lifecycle clocks near or past their deadline; republish the home
    pages whose notices begin or ended."""
    from .lifecycle import refresh_notice_pages, remind_due_clocks

    return {"reminded": remind_due_clocks(), "pages": len(refresh_notice_pages())}


periodic.register("sites.clocks", every=dt.timedelta(days=1), task=clocks_round,
                  description="网站开办、备案、变更与关停时限提醒；网站公告上下架")
