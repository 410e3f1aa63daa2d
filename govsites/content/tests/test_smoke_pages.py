from govsites import testing


def test_article_page_renders_with_footer_and_meta(client, news_column):
    article = testing.make_article(news_column, title="市政府召开常务会议")
    response = client.get(article.url, HTTP_HOST="localhost")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="ArticleTitle" content="市政府召开常务会议">' in html
    assert "网站标识码" in html
    assert article.index_no.endswith("-00001")
