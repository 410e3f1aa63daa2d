"""Admin views of open data: the overview (held versions, stale datasets, usage) and upload."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import freshness, policies, selectors, services
from .choices import VersionStatus
from .forms import UploadForm
from .ingest import TableInvalid
from .models import DatasetPage, ResourceVersion


def overview(request: HttpRequest) -> HttpResponse:
    """数据开放: every dataset the user may edit, held versions, stale datasets, usage."""
    datasets = [d for d in DatasetPage.objects.filter(alias_of__isnull=True).order_by("title")
                if policies.can_upload(request.user, d)]
    held = (ResourceVersion.objects.filter(status=VersionStatus.HELD,
                                           dataset__in=[d.pk for d in datasets])
            .select_related("dataset").prefetch_related("findings").order_by("-created_at")[:50])
    return TemplateResponse(request, "opendata/admin/overview.html", {
        "datasets": datasets, "held": held, "stale": freshness.stale_datasets(),
        "usage": selectors.usage_by_dataset()})


def upload(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """Upload a table version to a dataset; show row-and-column errors or the held cells."""
    dataset = policies.dataset_for_upload(user=request.user, dataset_id=dataset_id)
    errors: list[str] = []
    result = None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            result = services.upload_table(
                dataset=dataset, resource_name=form.cleaned_data["resource_name"],
                filename=upload_file.name, data=upload_file, acting_user=request.user,
                declared_schema=form.cleaned_data["table_schema"],
                description=form.cleaned_data["description"])
        except TableInvalid as error:
            errors = [str(e) for e in error.errors]
        except ValidationError as error:
            errors = list(error.messages)
        else:
            if not result.held:
                messages.success(request, _("已上传 %(version)s，共 %(rows)s 行，已加入数据集草稿；"
                                            "请在编辑页提交审核。")
                                 % {"version": result.version, "rows": result.version.row_count})
                return redirect(reverse("wagtailadmin_pages:edit", args=[dataset.pk]))
    return TemplateResponse(request, "opendata/admin/upload.html", {
        "dataset": dataset, "form": form, "errors": errors, "result": result})
