"""Background jobs for content (thin: each calls one service)."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from govsites.core import periodic


@task()
def archive_expired_columns_task() -> int:
    """Archive special columns past their archive age; return how many were archived."""
    from .services import archive_expired_columns

    return len(archive_expired_columns(acting_user=None))


periodic.register("content.archive_expired_columns", every=dt.timedelta(days=1),
                  task=archive_expired_columns_task,
                  description="专题专栏到期自动归档")


@task()
def index_objects_task(objects: list[list[str]]) -> int:
    """Index what one import batch saved (search and reference index); return how many."""
    from .imports.indexing import index_objects

    return index_objects(objects)


@task()
def send_subscription_digests_task() -> int:
    """内容推送: mail each confirmed subscription its new items; return how many digests."""
    from .subscriptions import send_digests

    return send_digests(acting_user=None)


periodic.register("content.subscription_digests", every=dt.timedelta(hours=1),
                  task=send_subscription_digests_task,
                  description="订阅推送：向已确认的订阅邮箱发送新信息摘要",
                  interval_setting="GOVSITES_SUBSCRIPTION_DIGEST_SECONDS")
