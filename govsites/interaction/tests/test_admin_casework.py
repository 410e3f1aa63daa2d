"""The admin's 留言办理: the whole casework path a department walks, and who sees what."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from govsites import testing
from govsites.accounts.roles import Role
from govsites.interaction.models import Enquiry, ErrorReport

from .conftest import make_user, write

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    return testing.login_verified(Client(), user)


def test_accept_transfer_answer_and_approve_through_the_admin(
        mailbox: Any, clerk: Any, education: Any) -> None:
    enquiry = write(mailbox).enquiry
    city = _client(clerk)
    listing = city.get("/admin/interaction/").content.decode()
    assert enquiry.query_code in listing
    detail = city.get(f"/admin/interaction/{enquiry.pk}/").content.decode()
    assert "王小明" in detail and "138****5678" in detail
    city.post(f"/admin/interaction/{enquiry.pk}/accept/")
    city.post(f"/admin/interaction/{enquiry.pk}/transfer/",
              {"organisation": education.pk, "note": "属教育局职责"})
    edu_clerk, edu_reviewer = make_user(education, Role.EDITOR), make_user(education, Role.REVIEWER)
    edu = _client(edu_clerk)
    edu.post(f"/admin/interaction/{enquiry.pk}/draft/", {"body": "5月10日起网上报名。"})
    own = edu.post(f"/admin/interaction/{enquiry.pk}/approve/", follow=True).content.decode()
    assert "审核" in own
    assert Enquiry.objects.get(pk=enquiry.pk).status == "accepted"
    _client(edu_reviewer).post(f"/admin/interaction/{enquiry.pk}/approve/")
    enquiry.refresh_from_db()
    assert enquiry.status == "replied" and enquiry.handling_organisation == education


def test_another_organisation_cannot_open_the_message(mailbox: Any, portal: Any) -> None:
    stranger_org = testing.make_organisation("示例市卫健委", kind="department",
                                             parent=portal.host_organisation)
    enquiry = write(mailbox).enquiry
    stranger = _client(make_user(stranger_org, Role.EDITOR))
    assert stranger.get(f"/admin/interaction/{enquiry.pk}/").status_code == 404
    assert stranger.post(f"/admin/interaction/{enquiry.pk}/accept/").status_code == 404
    assert enquiry.query_code not in stranger.get("/admin/interaction/").content.decode()


def test_a_national_export_is_imported_from_the_admin(portal: Any, clerk: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_error_reports import CSV_OK

    admin = _client(clerk)
    upload = SimpleUploadedFile("export.csv", CSV_OK.encode(), content_type="text/csv")
    page = admin.post("/admin/interaction/error-reports/import/",
                      {"site": portal.pk, "file": upload}, follow=True).content.decode()
    assert "导入 2 条" in page and ErrorReport.objects.count() == 2


def test_the_menu_and_the_mailbox_settings_render(mailbox: Any, superuser_client: Any) -> None:
    from govsites.config.tests.test_admin_in_chinese import menu_entries

    labels = [label for label, _url in menu_entries(
        superuser_client.get("/admin/").content.decode())]
    assert "政民互动" in labels and "留言办理" in labels
    page = superuser_client.get("/admin/snippets/govsites_interaction/mailbox/")
    assert page.status_code == 200 and "市长信箱" in page.content.decode()


def test_consultations_are_moderated_and_their_adoption_published_in_the_admin(
        portal: Any, clerk: Any) -> None:
    import datetime as dt

    from govsites.interaction import consultations
    from govsites.interaction.models import Consultation

    item = consultations.save_consultation(consultation=Consultation(
        site=portal, organisation=portal.host_organisation, title="公园管理办法征求意见",
        draft="草案", opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 1, 31)),
        acting_user=None)
    comment = consultations.submit_comment(consultation=item, content="建议保留免费开放。",
                                           now=dt.datetime(2026, 1, 10, 1, tzinfo=dt.UTC))
    admin = _client(clerk)
    assert "公园管理办法征求意见" in admin.get("/admin/interaction/consultations/").content.decode()
    admin.post(f"/admin/interaction/consultations/{item.pk}/publish/", {"comment": comment.pk})
    admin.post(f"/admin/interaction/consultations/{item.pk}/adoption/", {"adoption": "已采纳。"})
    comment.refresh_from_db()
    item.refresh_from_db()
    assert comment.status == "published" and item.adoption == "已采纳。"
