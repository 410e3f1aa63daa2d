"""归档 (条例第45条): a closed case exported as one ZIP with its case file, 告知书, the
information provided, the audit trail and a manifest of SM3 digests."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from govsites import testing
from govsites.core.audit import sm3_hex
from govsites.core.models import AuditRecord

from .. import services
from ..models import RequestEvent
from .factories import ID_NUMBER, make_body, make_staff, registered

D = dt.date


@pytest.fixture
def replied(db: Any) -> Any:
    from wagtail.documents.models import Document

    body = make_body()
    clerk = make_staff(body, "clerk")
    case = registered(body, clerk, D(2026, 9, 29), method="download")
    doc = Document(title="招生计划")
    doc.file.save("plan.txt", ContentFile("招生计划全文".encode()), save=True)
    case = services.reply(request=case, acting_user=clerk, result="disclosed",
                          reply_text="予以公开，见附件。", on=D(2026, 10, 9), document=doc)
    return case, clerk


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_closed_case_exports_as_one_zip_with_its_case_file_notice_and_manifest(
        replied: Any) -> None:
    case, clerk = replied
    data = services.export_case_archive(request=case, acting_user=clerk)
    archive = zipfile.ZipFile(io.BytesIO(data))
    prefix = f"{case.reference}/"
    provided = f"provided/{case.delivered_document.filename}"  # storage may suffix the name
    assert sorted(archive.namelist()) == sorted(prefix + name for name in (
        "case-file.pdf", "notice.pdf", provided, "manifest.txt"))
    manifest = archive.read(prefix + "manifest.txt").decode()
    for name in ("case-file.pdf", "notice.pdf", provided):
        assert f"{sm3_hex(archive.read(prefix + name))}  {name}" in manifest
    text = _text(archive.read(prefix + "case-file.pdf"))
    for expected in ("政府信息公开申请案卷", case.reference, "张三", ID_NUMBER, "予以公开，见附件",
                     "disclosure.request.register", "disclosure.request.reply",
                     "disclosure.request.archive", "导出案卷归档"):
        assert expected in text.replace("\n", ""), expected
    assert "政府信息公开告知书" in _text(archive.read(prefix + "notice.pdf"))
    assert archive.read(prefix + provided).decode() == "招生计划全文"


def test_exporting_is_one_recorded_step_of_the_case(replied: Any) -> None:
    case, clerk = replied
    before = AuditRecord.objects.count()
    services.export_case_archive(request=case, acting_user=clerk)
    assert AuditRecord.objects.count() == before + 1
    record = AuditRecord.objects.latest("id")
    assert record.action == "disclosure.request.archive" and record.actor_id == clerk.pk
    assert case.events.filter(action="archive", actor=clerk).count() == 1


def test_an_open_case_is_not_archived_and_nothing_is_recorded(db: Any) -> None:
    body = make_body()
    clerk = make_staff(body, "clerk")
    case = registered(body, clerk, D(2026, 9, 29))
    events, records = RequestEvent.objects.count(), AuditRecord.objects.count()
    with pytest.raises(services.TransitionRefused, match="只有已办结的申请可以归档导出"):
        services.export_case_archive(request=case, acting_user=clerk)
    assert (RequestEvent.objects.count(), AuditRecord.objects.count()) == (events, records)


def test_staff_of_another_body_cannot_export_a_case(replied: Any) -> None:
    case, _clerk = replied
    other = make_body(testing.make_organisation("示例市卫生健康委员会", kind="department"))
    outsider = make_staff(other, "outsider")
    with pytest.raises(PermissionDenied):
        services.export_case_archive(request=case, acting_user=outsider)


def test_the_case_page_offers_the_archive_download_for_a_closed_case(
        client: Any, replied: Any, django_user_model: Any) -> None:
    case, _clerk = replied
    chief = django_user_model.objects.create_superuser(
        "chief", password="Chief@2026x", real_name="总编", mobile="13900000000")
    testing.login_verified(client, chief)
    page = client.get(f"/admin/disclosure/requests/{case.pk}/").content.decode()
    assert f"/admin/disclosure/requests/{case.pk}/archive.zip" in page
    response = client.post(f"/admin/disclosure/requests/{case.pk}/archive.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert f'{case.reference}-archive.zip' in response["Content-Disposition"]
    assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None
    assert client.get(f"/admin/disclosure/requests/{case.pk}/archive.zip").status_code == 405
