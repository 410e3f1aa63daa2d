"""Writes of open data. Each is atomic and writes one audit record (`opendata.*`).

Publication is not here: a release goes live when the review chain approves its revision
(Wagtail's workflow, govsites.workflow), exactly like any other item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, WorkflowState

from govsites import rules
from govsites.content.services import unique_child_slug
from govsites.core import audit

from . import ingest, policies, storage
from .audit import DATASET_CREATE, VERSION_HOLD, VERSION_UPLOAD
from .choices import OpenAttribute, ResourceKind, VersionStatus
from .models import CellFinding, DatasetPage, DatasetResource, ResourceVersion, UsageCount

#: Findings stored per version (a table full of phone numbers needs no million rows to say so).
MAX_STORED_FINDINGS = 5000


@dataclass
class UploadResult:
    """The stored version and, when it is held, the cells that hold it."""

    version: ResourceVersion
    held_cells: list[CellFinding] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return self.version.status == VersionStatus.HELD


def _site(page: Page) -> Any:
    from govsites.sites.selectors import profile_for_page

    return profile_for_page(page)


def create_dataset(*, column: Page, title: str, summary: str, update_frequency: str,
                   acting_user: Any, slug: str = "", **metadata: Any) -> DatasetPage:
    """Create a dataset as a draft page in a column (its first release goes through review)."""
    metadata.setdefault("open_attribute", OpenAttribute.UNCONDITIONAL)
    with transaction.atomic():
        dataset = DatasetPage(title=title, slug=slug or unique_child_slug(column, title),
                              summary=summary, update_frequency=update_frequency, live=False,
                              owner=acting_user, **metadata)
        column.add_child(instance=dataset)
        dataset.save_revision(user=acting_user)
        audit.record(action=DATASET_CREATE, actor=acting_user, obj=dataset,
                     organisation=dataset.provider(),
                     details={"column": column.pk, "update_frequency": update_frequency})
    return dataset


def _next_number(dataset: DatasetPage, resource_name: str) -> int:
    latest = (ResourceVersion.objects.select_for_update()
              .filter(dataset=dataset, resource_name=resource_name)
              .aggregate(n=Max("number"))["n"])
    return int(latest or 0) + 1


def _attach(dataset: DatasetPage, version: ResourceVersion, description: str,
            acting_user: Any) -> None:
    """Point the dataset's draft at the new version (a new revision: the next release)."""
    draft = DatasetPage.objects.get(pk=dataset.pk).get_latest_revision_as_object()
    resources = list(draft.resources.all())
    for resource in resources:
        if resource.name == version.resource_name and resource.kind == ResourceKind.FILE:
            resource.version = version
            if description:
                resource.description = description
            break
    else:
        resources.append(DatasetResource(name=version.resource_name, kind=ResourceKind.FILE,
                                         version=version, description=description))
    draft.resources = resources
    save_draft(draft, acting_user=acting_user)


def save_draft(draft: DatasetPage, *, acting_user: Any) -> Any:
    """Save a new revision of a dataset built from an earlier revision.

    发布日期 is taken from the page row: a revision written before the first publication holds
    none, and content's guard refuses any change of it.
    """
    draft.first_published_at = (DatasetPage.objects.filter(pk=draft.pk)
                                .values_list("first_published_at", flat=True).first())
    return draft.save_revision(user=acting_user)


def upload_table(*, dataset: DatasetPage, resource_name: str, filename: str, data: Any,
                 acting_user: Any, declared_schema: dict[str, Any] | None = None,
                 description: str = "") -> UploadResult:
    """Validate, store and screen an uploaded table as the next version of a resource.

    A table that fails validation raises `ingest.TableInvalid` (row-and-column errors) and
    nothing is kept. A table with personal data in any cell (rules in
    `opendata.privacy.hold_rules`) is recorded as *held* with the cells named, its data is not
    kept, and it joins no release. Otherwise the version is stored and the dataset's draft
    points at it, ready to be submitted for review.
    """
    from govsites.screening import default_screener

    if acting_user is not None and not policies.can_upload(acting_user, dataset):
        raise PermissionDenied(_("数据集不存在或无权操作。"))
    resource_name = resource_name.strip()
    if not resource_name:
        raise ValidationError(_("请填写数据资源名称。"))
    site = _site(dataset)
    max_bytes = int(rules.value("opendata.upload.max_mb", site=site)) * 1024 * 1024
    size = len(data) if isinstance(data, bytes) else getattr(data, "size", 0)
    if size and size > max_bytes:
        raise ingest.TableInvalid([ingest.TableError(
            None, "", _("文件超过上传上限（%(mb)s MB）。") % {"mb": max_bytes // (1024 * 1024)})])
    result = ingest.ingest(filename=filename, data=data, declared_schema=declared_schema,
                           screener=default_screener())
    hold_rules = set(rules.value("opendata.privacy.hold_rules", site=site))
    try:
        with transaction.atomic():
            holding = [h for h in result.hits if h.finding.rule_id in hold_rules]
            version = ResourceVersion(
                dataset=dataset, resource_name=resource_name,
                number=_next_number(dataset, resource_name), original_name=filename[:200],
                format=result.format, encoding=result.encoding, size=result.size,
                sha256=result.sha256, row_count=result.row_count, table_schema=result.schema,
                status=VersionStatus.HELD if holding else VersionStatus.CLEAN,
                created_by=acting_user)
            version.full_clean()
            version.save()
            findings = [CellFinding(version=version, row=h.row, column=h.column[:200],
                                    rule_id=h.finding.rule_id, category=str(h.finding.category),
                                    severity=str(h.finding.severity),
                                    evidence=h.finding.evidence[:200],
                                    holds=h.finding.rule_id in hold_rules)
                        for h in sorted(result.hits, key=lambda h: h.finding.rule_id not in hold_rules)
                        [:MAX_STORED_FINDINGS]]
            CellFinding.objects.bulk_create(findings)
            details: dict[str, Any] = {
                "resource": resource_name, "version": version.number, "rows": version.row_count,
                "sha256": version.sha256, "format": version.format, "encoding": version.encoding,
                "findings": len(result.hits)}
            if holding:
                details["held_cells"] = [f"第{h.row}行“{h.column}”列（{h.finding.rule_id}）"
                                         for h in holding[:20]]
                audit.record(action=VERSION_HOLD, actor=acting_user, obj=version,
                             organisation=dataset.provider(), details=details)
            else:
                storage.keep(version, original=result.original, parquet=result.parquet,
                             store=result.store)
                _attach(dataset, version, description, acting_user)
                audit.record(action=VERSION_UPLOAD, actor=acting_user, obj=version,
                             organisation=dataset.provider(), details=details)
    except BaseException:
        if "version" in locals() and version.pk:
            storage.discard(version)
        raise
    finally:
        result.cleanup()
    return UploadResult(version=version,
                        held_cells=[f for f in version.findings.all() if f.holds][:200])


def submit_release(*, dataset: DatasetPage, acting_user: Any) -> WorkflowState:
    """Submit the dataset's latest draft for review (提交审核), as the editor's button does.

    The review chain records the submission (`workflow.item.submit`).
    """
    dataset.refresh_from_db()
    problems = policies.release_problems(dataset.get_latest_revision_as_object())
    if problems:
        raise ValidationError(problems)
    workflow = dataset.get_workflow()
    if workflow is None:
        raise ValidationError(_("该数据集所在网站没有配置审核流程，不能提交。"))
    with transaction.atomic():
        state: WorkflowState = workflow.start(dataset, acting_user)
    return state


def mark_released(*, dataset: DatasetPage) -> list[int]:
    """Stamp the versions a just-published release names with their first release time.

    Called by the page_published receiver; it writes no audit record of its own because the
    publication it follows is audited by the review chain.
    """
    version_ids = [r.version_id for r in dataset.resources.all() if r.version_id]
    ResourceVersion.objects.filter(pk__in=version_ids, released_at__isnull=True).update(
        released_at=timezone.now())
    return version_ids


def count_use(*, dataset_id: int, downloads: int = 0, api_calls: int = 0,
              day: dt.date | None = None) -> None:
    """Add to a dataset's daily download and API-call counts (statistics, not audited)."""
    day = day or timezone.localdate()
    updated = UsageCount.objects.filter(dataset_id=dataset_id, day=day).update(
        downloads=F("downloads") + downloads, api_calls=F("api_calls") + api_calls)
    if not updated:
        try:
            with transaction.atomic():
                UsageCount.objects.create(dataset_id=dataset_id, day=day, downloads=downloads,
                                          api_calls=api_calls)
        except IntegrityError:  # a concurrent first call of the day created the row
            UsageCount.objects.filter(dataset_id=dataset_id, day=day).update(
                downloads=F("downloads") + downloads, api_calls=F("api_calls") + api_calls)
