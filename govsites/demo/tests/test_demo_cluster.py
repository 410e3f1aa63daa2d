"""The demo cluster. Loading it takes seconds, so each test checks several facts of one load."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from govsites.content.models import ContentItem, PolicyDocumentPage
from govsites.sites.models import SiteProfile

pytestmark = pytest.mark.xdist_group("demo")


def test_demo_builds_four_sites_with_seed_policies_holds_dandong_and_is_idempotent(demo, client):
    assert SiteProfile.objects.count() == 4
    assert SiteProfile.objects.filter(kind="portal", name="示例市人民政府").exists()
    assert ContentItem.objects.live().count() >= 20
    for host in ["localhost", "jyj.localhost", "wjw.localhost", "shixian.localhost"]:
        response = client.get("/", HTTP_HOST=host)
        assert response.status_code == 200
        assert "网站标识码" in response.content.decode()
    assert "admin" in demo and "Demo@2026gov" in demo and "demo_totp" in demo

    meizhou = PolicyDocumentPage.objects.get(document_number="梅市府办函〔2021〕236号")
    assert meizhou.issuing_authority == "梅州市人民政府办公室"
    assert str(meizhou.written_date) == "2021-10-25" and meizhou.live

    dandong = PolicyDocumentPage.objects.get(document_number="丹政办发〔2019〕43号")
    assert not dandong.live
    assert "未发布" in demo and "term.gambling" in demo and "澳门梦想之城" in demo

    before = ContentItem.objects.count()
    call_command("demo", "--quiet", stdout=StringIO())
    assert ContentItem.objects.count() == before
    assert SiteProfile.objects.count() == 4


def test_demo_reviewers_log_in_with_the_code_demo_totp_prints_and_only_demo_accounts(demo,
                                                                                     client):
    code = StringIO()
    call_command("demo_totp", "jyj_reviewer", stdout=code)
    response = client.post("/admin/login/", {"username": "jyj_reviewer",
                                              "password": "Demo@2026gov"})
    assert response.status_code == 302
    response = client.get("/admin/", follow=False)
    assert "two-factor" in response["Location"]
    verify = client.post(response["Location"], {"code": code.getvalue().strip()})
    assert verify.status_code == 302
    assert client.get("/admin/").status_code == 200
    with pytest.raises(CommandError):
        call_command("demo_totp", "someone_real", stdout=StringIO())


def test_the_demo_publishes_through_the_content_services(demo):
    from govsites.core.models import AuditRecord

    assert AuditRecord.objects.filter(action="content.home.create").count() == 4
    superseded = PolicyDocumentPage.objects.filter(superseded_by__isnull=False)
    assert superseded.exists()
    for policy in superseded:
        assert AuditRecord.objects.filter(action="content.item.repeal",
                                          object_id=str(policy.pk)).exists()


def test_seed_regulations_are_shown_as_other_cities_documents_reprinted_with_provenance(
        demo, client):
    from django.utils import timezone

    meizhou = PolicyDocumentPage.objects.get(document_number="梅市府办函〔2021〕236号")
    assert meizhou.index_no == ""  # no 示例市 索引号 on another city's document
    assert meizhou.content_source() == "梅州市人民政府门户网站"
    assert meizhou.source_url == "https://www.meizhou.gov.cn/"
    assert timezone.localtime(meizhou.first_published_at).date().isoformat() == "2021-10-25"
    html = client.get(meizhou.url, HTTP_HOST="localhost").content.decode()
    assert ("<p><b>梅州市人民政府办公室</b></p><p>梅市府办函〔2021〕236号</p>"
            "<h2>梅州市人民政府办公室关于印发梅州市人民政府门户网站管理规定的通知</h2><hr>") in html
    assert "<h2>梅州市人民政府门户网站管理规定</h2>" in html
    assert "<p><b>第一条</b>　为进一步加强和规范" in html
    assert "<h3>第一章　总则</h3>" in html and "<h3>第九章　附则</h3>" in html
    assert '<span class="tag">转载</span> 来源：梅州市人民政府门户网站' in html
    assert "<td>—</td>" in html.split("索引号", 1)[1][:40]
    for number, day in [("亳政办秘〔2019〕49号", "2019-05-20"), ("梁平府办发〔2021〕3号", "2021-01-19")]:
        document = PolicyDocumentPage.objects.get(document_number=number)
        assert timezone.localtime(document.first_published_at).date().isoformat() == day
        assert document.source_url and not document.index_no
    nantong = PolicyDocumentPage.objects.get(document_number="通政办发〔2019〕89号")
    assert nantong.written_date is None and nantong.content_source() == "南通市人民政府门户网站"


def test_every_demo_site_that_serves_the_public_has_services_and_the_portal_its_structured_pages(
        demo, client):
    from govsites.content.models import (
        ColumnPage,
        LeaderPage,
        OrganisationFunctionsPage,
        ServiceGuidePage,
    )

    for profile in SiteProfile.objects.filter(kind__in=["portal", "department", "county"]):
        services = ColumnPage.objects.live().descendant_of(profile.site.root_page).filter(
            column_type="办事服务")
        assert services.exists(), profile.name
        assert ServiceGuidePage.objects.live().child_of(services.first()).exists(), profile.name
    functions = OrganisationFunctionsPage.objects.live().get()
    assert functions.organisation.name == "示例市人民政府办公室"
    assert LeaderPage.objects.live().count() == 2
    leader = LeaderPage.objects.live().first()
    html = client.get(leader.url, HTTP_HOST="localhost").content.decode()
    assert leader.person_name in html and "工作分工" in html and leader.photo_id
