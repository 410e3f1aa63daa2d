from govsites import testing
from govsites.content.services import reprint_item


def test_library_lists_items_with_filters_and_placements(client, django_user_model, news_column,
                                                        policy_column, department_site):
    admin = django_user_model.objects.create_superuser("boss", password="x")
    client.force_login(admin)
    article = testing.make_article(news_column, title="全站新闻")
    testing.make_policy(policy_column, title="全站文件")
    dept_column = testing.make_column(department_site.site.root_page, title="转载")
    reprint_item(item=article, column=dept_column, acting_user=None)

    html = client.get("/admin/library/").content.decode()
    assert "全站新闻" in html and "全站文件" in html
    assert "（转载）" in html and "示例市教育局 › 转载" in html

    html = client.get("/admin/library/", {"item_type": "policydocumentpage"}).content.decode()
    assert "全站文件" in html and "全站新闻" not in html

    html = client.get("/admin/library/", {"q": article.index_no}).content.decode()
    assert "全站新闻" in html and "全站文件" not in html
