"""A 繁体 edition of a page carries the same footer furniture in traditional characters."""

from govsites.monitoring.checks.page_checks import ERROR_REPORT_WORDS, IDENTITY_PATTERNS

TRADITIONAL_FOOTER = ("主辦單位：示例市人民政府 網站標識碼：4499000001 粵ICP備99000001號-1 "
                      "粵公網安備 44990002000001號 我為政府網站找錯")
SIMPLIFIED_FOOTER = ("主办单位：示例市人民政府 网站标识码：4499000001 粤ICP备99000001号-1 "
                     "粤公网安备 44990002000001号 我为政府网站找错")


def test_footer_furniture_is_recognised_in_traditional_and_simplified_characters():
    for footer in (TRADITIONAL_FOOTER, SIMPLIFIED_FOOTER):
        for name, pattern in IDENTITY_PATTERNS.items():
            assert pattern.search(footer), (name, footer)
        assert any(word in footer for word in ERROR_REPORT_WORDS)


def test_a_footer_without_the_code_is_still_caught_in_traditional_characters():
    footer = TRADITIONAL_FOOTER.replace("網站標識碼：4499000001 ", "")
    assert not IDENTITY_PATTERNS["site_code"].search(footer)
