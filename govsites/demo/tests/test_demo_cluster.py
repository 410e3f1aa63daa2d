from io import StringIO

import pytest
from django.core.management import call_command

from govsites.content.models import ContentItem, PolicyDocumentPage
from govsites.sites.models import SiteProfile


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_builds_a_portal_and_three_more_sites_with_content(demo, client):
    assert SiteProfile.objects.count() == 4
    assert SiteProfile.objects.filter(kind="portal", name="示例市人民政府").exists()
    assert ContentItem.objects.live().count() >= 20
    for host in ["localhost", "jyj.localhost", "wjw.localhost", "shixian.localhost"]:
        response = client.get("/", HTTP_HOST=host)
        assert response.status_code == 200
        assert "网站标识码" in response.content.decode()
    assert "admin" in demo and "Demo@2026gov" in demo


def test_seed_regulations_are_policies_with_their_real_numbers(demo):
    meizhou = PolicyDocumentPage.objects.get(document_number="梅市府办函〔2021〕236号")
    assert meizhou.issuing_authority == "梅州市人民政府办公室"
    assert str(meizhou.written_date) == "2021-10-25" and meizhou.live


def test_the_tampered_dandong_text_is_not_published(demo):
    dandong = PolicyDocumentPage.objects.get(document_number="丹政办发〔2019〕43号")
    assert not dandong.live
    assert "未发布" in demo and "澳门梦想之城" in demo


def test_running_the_demo_twice_changes_nothing(demo):
    before = ContentItem.objects.count()
    call_command("demo", "--quiet", stdout=StringIO())
    assert ContentItem.objects.count() == before
    assert SiteProfile.objects.count() == 4
