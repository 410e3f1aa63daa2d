"""An inspection whose worker died does not stay 检查中 forever: it is failed with the reason, or,
when the task queue hands its task to another worker, run again from the start."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from govsites.core.models import AuditRecord
from govsites.core.periodic import jobs
from govsites.monitoring import services
from govsites.monitoring.choices import InspectionStatus
from govsites.monitoring.models import Inspection

from .fakes import FakeHttpClient, FakeResponse

pytestmark = pytest.mark.django_db


def _running(portal: Any, *, quiet_for: dt.timedelta) -> Inspection:
    now = timezone.now()
    return Inspection.objects.create(site=portal, target="http://127.0.0.1:9/",
                                     status=InspectionStatus.RUNNING, requested_at=now - quiet_for,
                                     started_at=now - quiet_for, progress_at=now - quiet_for)


@override_settings(GOVSITES_INSPECTION_STALL_SECONDS=600)
def test_a_running_inspection_without_progress_for_the_stall_time_is_failed_with_the_reason(
        portal: Any) -> None:
    dead = _running(portal, quiet_for=dt.timedelta(minutes=11))
    alive = _running(portal, quiet_for=dt.timedelta(minutes=9))
    assert services.fail_stalled_inspections() == [dead.pk]
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == InspectionStatus.FAILED and not dead.in_progress
    assert "检查进程已中断" in dead.error and "10 分钟" in dead.error
    assert alive.status == InspectionStatus.RUNNING
    assert AuditRecord.objects.filter(action="monitoring.inspection.fail").count() == 1
    assert services.fail_stalled_inspections() == []  # failed once only


def test_the_stall_reaper_is_a_periodic_job() -> None:
    assert "monitoring.fail_stalled_inspections" in {job.name for job in jobs()}


@override_settings(GOVSITES_INSPECTION_STALL_SECONDS=600)
def test_a_requeued_task_of_a_dead_inspection_runs_it_again(portal: Any) -> None:
    home = "<html><head><title>示例</title></head><body><main>正文</main></body></html>"
    client = FakeHttpClient({"http://127.0.0.1:9/": FakeResponse(body=home)})
    fresh = _running(portal, quiet_for=dt.timedelta(minutes=1))
    untouched = services.run_requested_inspection(inspection_id=fresh.pk, client=client)
    assert untouched.status == InspectionStatus.RUNNING  # another worker still runs it
    dead = _running(portal, quiet_for=dt.timedelta(minutes=30))
    rerun = services.run_requested_inspection(inspection_id=dead.pk, client=client)
    assert rerun.status == InspectionStatus.DONE, rerun.error
    assert rerun.started_at > timezone.now() - dt.timedelta(minutes=1)
