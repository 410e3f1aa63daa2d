from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from govsites.content.models import ArticlePage, PolicyDocumentPage


def test_admin_is_in_simplified_chinese(superuser_client, portal):
    c = superuser_client
    html = c.get("/admin/").content.decode()
    assert '<html lang="zh-hans"' in html
    assert "/admin/library/" in html  # the 资源库 menu item (labels are JSON-escaped)
    c.logout()
    login = c.get("/admin/login/").content.decode()
    assert "登录" in login and "密码" in login


def test_an_article_created_in_the_admin_gets_an_index_number_and_owner(
        superuser_client, news_column):
    c = superuser_client
    url = reverse("wagtailadmin_pages:add", args=["content", "articlepage", news_column.pk])
    data = nested_form_data({
        "title": "后台新建的文章", "slug": "admin-article", "kind": "news",
        "body": rich_text("<p>正文</p>"), "importance": "normal",
        "disclosure_mode": "proactive", "attachments": inline_formset([]),
        "action-publish": "publish",
    })
    response = c.post(url, data)
    assert response.status_code in (302, 200), response.status_code
    page = ArticlePage.objects.get(title="后台新建的文章")
    assert page.index_no and page.owner_organisation == news_column.effective_owner()


def test_a_policy_without_a_topic_is_refused_in_the_admin(superuser_client, policy_column):
    c = superuser_client
    url = reverse("wagtailadmin_pages:add",
                  args=["content", "policydocumentpage", policy_column.pk])
    data = nested_form_data({
        "title": "缺主题分类的文件", "slug": "no-topic", "issuing_authority": "市政府办公室",
        "validity": "in_force", "body": rich_text("<p>正文</p>"), "importance": "normal",
        "disclosure_mode": "proactive", "attachments": inline_formset([]),
    })
    response = c.post(url, data)
    assert response.status_code == 200
    assert "主题分类" in response.content.decode()
    assert not PolicyDocumentPage.objects.filter(title="缺主题分类的文件").exists()
