from govsites import testing
from govsites.content.services import reprint_item


def test_library_lists_items_with_filters_and_placements(superuser_client, news_column,
                                                        policy_column, department_site):
    client = superuser_client
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
