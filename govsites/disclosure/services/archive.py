"""归档 (条例第45条): a closed request's case file exported as one ZIP archive.

The archive holds `case-file.pdf` (the application with the applicant's identity, receipt and
clock, consultations, history, the 告知书 text, the reply and every audit record of the case
with its SM3 chain position), the 告知书 as issued (`notice.pdf`), the information provided
(`provided/<file>`) and `manifest.txt` with each file's SM3 digest. Exporting is a step of the
case: it appends an `archive` event and one audit record, so the archive lists its own export.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from govsites.core import audit
from govsites.core.audit import sm3_hex
from govsites.core.models import AuditRecord

from .. import audit as actions
from .. import notices
from ..choices import IdType
from ..models import DisclosureRequest
from .common import TransitionRefused, _event, _locked, _today

CASE_FILE = "case-file.pdf"
NOTICE_FILE = "notice.pdf"
MANIFEST_FILE = "manifest.txt"


def audit_trail(request: DisclosureRequest) -> list[AuditRecord]:
    """Every audit record written about the case, oldest first."""
    return list(AuditRecord.objects.filter(
        object_type=f"{request._meta.app_label}.{request._meta.model_name}",
        object_id=str(request.pk)).order_by("id"))


def case_file_html(request: DisclosureRequest) -> str:
    """The case file as one HTML document (rendered to PDF for the archive)."""
    identity = request.identity()
    return render_to_string("disclosure/case_file.html", {
        "case": request, "identity": identity,
        "id_type_label": dict(IdType.choices).get(str(identity.get("id_type", "")), ""),
        "pauses": list(request.pauses.all()),
        "events": list(request.events.select_related("actor")),
        "audit_records": audit_trail(request),
        "generated_at": timezone.localtime(),
    })


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


def export_case_archive(*, request: DisclosureRequest, acting_user: Any) -> bytes:
    """Record the 归档 step of a closed case and return its archive (ZIP bytes)."""
    with transaction.atomic():
        request = _locked(request, acting_user)
        if request.is_open():
            raise TransitionRefused(_("只有已办结的申请可以归档导出。"))
        _event(request, action="archive", from_state=request.state, on=_today(),
               actor=acting_user, note=_("导出案卷归档"))
        audit.record(action=actions.REQUEST_ARCHIVE, actor=acting_user, obj=request,
                              organisation=request.body.organisation_id,
                              details={"reference": request.reference})
        files: list[tuple[str, bytes]] = [(CASE_FILE, _pdf(case_file_html(request)))]
        if request.notice_text:
            files.append((NOTICE_FILE, notices.render_pdf(request)))
        document = request.delivered_document
        if document is not None:
            with document.file.open("rb") as handle:
                files.append((f"provided/{document.filename}", handle.read()))
    return _zip(request, files)


def _zip(request: DisclosureRequest, files: list[tuple[str, bytes]]) -> bytes:
    manifest = [f"{request.reference} 政府信息公开申请案卷",
                f"生成时间：{timezone.localtime().isoformat(timespec='seconds')}", ""]
    manifest += [f"{sm3_hex(data)}  {name}" for name, data in files]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(f"{request.reference}/{name}", data)
        archive.writestr(f"{request.reference}/{MANIFEST_FILE}",
                         "\n".join(manifest) + "\n")
    return buffer.getvalue()
