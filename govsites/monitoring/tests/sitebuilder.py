"""The fixture site: a small government site with one planted defect of every rule.

`build_site(root, port)` writes static files; tests serve them on 127.0.0.1 with a threaded
stdlib server. Every defect lives on its own page (or column) so each finding can be matched to
the page it was planted on; CLEAN_PAGES are pages where no finding may appear although they
mention numbers, dates and words of other categories.

The inspection date is AS_OF; dates below are chosen relative to it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

AS_OF = dt.date(2026, 6, 30)

NAV = ('<li><a href="/">首页</a></li><li><a href="/news/">工作动态</a></li>'
       '<li><a href="/notice/">通知公告</a></li><li><a href="/policy/">政策文件</a></li>'
       '<li><a href="/interp/">政策解读</a></li>'
       '<li><a href="https://www.gdzwfw.gov.cn/">政务服务</a></li>')
FOOTER = """<footer><ul><li><a href="/site-map.html">网站地图</a></li>
<li><a href="https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteById.action?websiteid=4414000001">我为政府网站找错</a></li></ul>
<p>主办单位：示例市人民政府办公室　承办单位：示例市政务服务数据管理局</p>
<p>联系方式：示例市人民大道1号（邮编 514000）　电话：0753-2188000</p>
<p><span>网站标识码：4414000001</span> <a href="https://beian.miit.gov.cn/">粤ICP备05080000号-1</a>
<a href="https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=44140202000001">粤公网安备 44140202000001号</a></p>
</footer>"""

SITE_META = {"SiteName": "示例市人民政府", "SiteDomain": "www.shili.gov.cn",
             "SiteIDCode": "4414000001"}


def resident_id(first17: str) -> str:
    """Complete an ID number with its GB 11643 check character."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def luhn_complete(prefix: str) -> str:
    """Complete a card number with its Luhn check digit."""
    digits = [int(c) for c in prefix]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return prefix + str((10 - total % 10) % 10)


def page(title: str, body: str, *, meta: dict[str, str] | None = None, footer: str = FOOTER,
         head: str = "", crumb: list[tuple[str, str]] | None = None,
         site_meta: dict[str, str] | None = None) -> str:
    tags = {**(SITE_META if site_meta is None else site_meta), **(meta or {})}
    metas = "\n".join(f'<meta name="{k}" content="{v}">' for k, v in tags.items())
    crumbs = ""
    if crumb:
        crumbs = ('<nav class="breadcrumb"><span>当前位置：</span>'
                  + "".join(f'<a href="{u}">{t}</a> &gt; ' for u, t in crumb)
                  + f'<span aria-current="page">{title}</span></nav>')
    return f"""<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">
<title>{title} - 示例市人民政府</title>
{metas}
<link rel="stylesheet" href="/static/site.css">{head}
</head><body><a class="skip-link" href="#main">跳到主要内容</a>
<header><p class="site-name"><a href="/">示例市人民政府</a></p><nav><ul>{NAV}</ul></nav></header>
<main id="main">{crumbs}{body}</main>
{footer}
</body></html>"""


def column_meta(name: str, column_type: str) -> dict[str, str]:
    return {"ColumnName": name, "ColumnDescription": f"{name}栏目", "ColumnKeywords": name,
            "ColumnType": column_type}


def item_meta(name: str, column_type: str, title: str, day: dt.date) -> dict[str, str]:
    return {**column_meta(name, column_type), "ArticleTitle": title,
            "PubDate": f"{day.isoformat()} 09:30", "ContentSource": "示例市人民政府办公室"}


def listing(items: list[tuple[str, str, dt.date]]) -> str:
    if not items:
        return '<ul class="item-list"><li class="empty">暂无信息</li></ul>'
    return '<ul class="item-list">' + "".join(
        f'<li><a href="{u}">{t}</a><time datetime="{d.isoformat()}">{d.isoformat()}</time></li>'
        for u, t, d in items) + "</ul>"


def days_ago(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


CLEAN_PAGES = [
    "/", "/news/", "/news/a1.html", "/news/a2.html", "/notice/", "/notice/n1.html",
    "/policy/", "/policy/p1.html", "/interp/", "/interp/i1.html", "/site-map.html",
]


def build_site(root: Path, port: int) -> dict[str, str]:
    """Write the fixture site under root; return {rule id: path of the planted defect page}."""
    files: dict[str, str] = {}
    id_number = resident_id("44140219850612123")
    card = luhn_complete("622202020011223344")

    def put(path: str, html: str | bytes) -> None:
        target = root / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(html, bytes):
            target.write_bytes(html)
        else:
            target.write_text(html, encoding="utf-8")

    put("/static/site.css", ".skip-link{position:absolute;left:-9999px}")
    put("/files/guide.pdf", b"%PDF-1.4 fixture")
    # ---- clean pages ---------------------------------------------------------------------
    news_items = [("/news/a1.html", "市政府召开常务会议研究部署民生工作", days_ago(3)),
                  ("/news/a2.html", "我市开展打击赌博网站专项行动", days_ago(5))]
    put("/", page("首页", "<h1>示例市人民政府</h1>" + listing(news_items),
                  meta=column_meta("首页", "首页")))
    put("/site-map.html", page("网站地图", '<ul><li><a href="/news/">工作动态</a></li></ul>'))
    put("/news/", page("工作动态", "<h1>工作动态</h1>" + listing(news_items),
                       meta=column_meta("工作动态", "工作动态"), crumb=[("/", "首页")]))
    put("/news/a1.html", page(
        news_items[0][1],
        "<article><h1>市政府召开常务会议研究部署民生工作</h1>"
        f"<p>发布日期：{days_ago(3).isoformat()} 09:30　来源：示例市人民政府办公室</p>"
        "<p>2026年6月27日，市政府召开第12次常务会议。会议指出，2025年全市地区生产总值达2856.3亿元，"
        "同比增长5.2%；城镇新增就业3.6万人。索引号：11441400007280420Y/2026-00031，"
        "文号：示府〔2026〕12号，咨询电话：0753-2188000，邮编514000。</p>"
        "<p>会议还听取了关于政策解读工作和通知公告栏目维护情况的汇报，要求严格执行《中华人民共和国政府信息公开条例》。</p>"
        '<p>附件：<a href="/files/guide.pdf">会议材料.pdf</a></p></article>',
        meta=item_meta("工作动态", "工作动态", news_items[0][1], days_ago(3)),
        crumb=[("/", "首页"), ("/news/", "工作动态")]))
    put("/news/a2.html", page(
        news_items[1][1],
        "<article><h1>我市开展打击赌博网站专项行动</h1>"
        "<p>公安机关持续打击赌博网站、查处赌博网站，提醒市民警惕裸聊敲诈和刷单兼职诈骗，"
        "非法买卖枪支的线索可拨打110举报。本次行动自2026年6月1日起至2026年12月31日止。</p></article>",
        meta=item_meta("工作动态", "工作动态", news_items[1][1], days_ago(5)),
        crumb=[("/", "首页"), ("/news/", "工作动态")]))
    notice_items = [("/notice/n1.html", "关于2026年端午节放假安排的通知", days_ago(40))]
    put("/notice/", page("通知公告", "<h1>通知公告</h1>" + listing(notice_items),
                         meta=column_meta("通知公告", "通知公告"), crumb=[("/", "首页")]))
    put("/notice/n1.html", page(
        notice_items[0][1],
        "<article><p>根据国务院办公厅通知，2026年端午节放假时间为6月19日至21日，共3天。"
        "值班电话：0753-2188000。</p></article>",
        meta=item_meta("通知公告", "通知公告", notice_items[0][1], days_ago(40)),
        crumb=[("/", "首页"), ("/notice/", "通知公告")]))
    policy_items = [("/policy/p1.html", "示例市公共服务事项管理办法", days_ago(90)),
                    ("/policy/p2.html", "示例市政府网站管理办法", days_ago(100))]
    put("/policy/", page("政策文件", "<h1>政策文件</h1>" + listing(policy_items),
                         meta=column_meta("政策文件", "政策文件"), crumb=[("/", "首页")]))
    put("/policy/p1.html", page(
        policy_items[0][1],
        '<table class="info-index"><tr><th>索引号</th><td>11441400007280420Y/2026-00012</td>'
        "<th>发文字号</th><td>示府规〔2026〕3号</td></tr><tr><th>有效性</th><td>现行有效</td></tr></table>"
        "<p>第一条 为规范公共服务事项管理，制定本办法。</p>",
        meta=item_meta("政策文件", "政策文件", policy_items[0][1], days_ago(90)),
        crumb=[("/", "首页"), ("/policy/", "政策文件")]))
    interp_items = [("/interp/i1.html", "《示例市公共服务事项管理办法》解读", days_ago(88)),
                    ("/interp/i2.html", "《示例市政府网站管理办法》解读", days_ago(98))]
    put("/interp/", page("政策解读", "<h1>政策解读</h1>" + listing(interp_items),
                         meta=column_meta("政策解读", "政策解读"), crumb=[("/", "首页")]))
    put("/interp/i1.html", page(
        interp_items[0][1],
        '<p>解读文件：<a href="/policy/p1.html">示例市公共服务事项管理办法</a>（示府规〔2026〕3号）</p>'
        "<p>一、制定背景。二、主要内容。</p>",
        meta=item_meta("政策解读", "政策解读", interp_items[0][1], days_ago(88)),
        crumb=[("/", "首页"), ("/interp/", "政策解读")]))

    # ---- planted defects -----------------------------------------------------------------
    files["interpretation.unlinked"] = "/interp/i2.html"
    put("/interp/i2.html", page(
        interp_items[1][1], "<p>一、制定背景。二、主要内容。三、解读机关：市政府办公室。</p>",
        meta=item_meta("政策解读", "政策解读", interp_items[1][1], days_ago(98)),
        crumb=[("/", "首页"), ("/interp/", "政策解读")]))
    files["policy.validity_missing"] = "/policy/p2.html"
    put("/policy/p2.html", page(
        policy_items[1][1], "<p>第一条 为加强政府网站管理，制定本办法。发文字号：示府规〔2026〕4号</p>",
        meta=item_meta("政策文件", "政策文件", policy_items[1][1], days_ago(100)),
        crumb=[("/", "首页"), ("/policy/", "政策文件")]))
    # stale columns: 部门动态 (工作动态 type, 30 days) and 公示公告 (通知公告 type, 200 days)
    files["column.stale"] = "/dept-news/"
    put("/dept-news/", page("部门动态", "<h1>部门动态</h1>" + listing(
        [("/dept-news/d1.html", "部门工作简报", days_ago(30))]),
        meta=column_meta("部门动态", "工作动态"), crumb=[("/", "首页")]))
    put("/dept-news/d1.html", page("部门工作简报", "<p>简报内容。</p>",
                                   meta=item_meta("部门动态", "工作动态", "部门工作简报", days_ago(30)),
                                   crumb=[("/", "首页"), ("/dept-news/", "部门动态")]))
    files["column.stale#2"] = "/bulletin/"
    put("/bulletin/", page("公示公告", "<h1>公示公告</h1>" + listing(
        [("/bulletin/b1.html", "公示", days_ago(200))]),
        meta=column_meta("公示公告", "通知公告"), crumb=[("/", "首页")]))
    put("/bulletin/b1.html", page("公示", "<p>公示内容。</p>",
                                  meta=item_meta("公示公告", "通知公告", "公示", days_ago(200)),
                                  crumb=[("/", "首页"), ("/bulletin/", "公示公告")]))
    files["column.empty"] = "/empty/"
    put("/empty/", page("人事信息", "<h1>人事信息</h1>" + listing([]),
                        meta=column_meta("人事信息", "概况信息"), crumb=[("/", "首页")]))
    files["page.identity_missing"] = "/defects/no-footer.html"
    put("/defects/no-footer.html", page("无底部信息的页面", "<p>本页缺少底部功能区。</p>", footer=""))
    files["page.meta_missing"] = "/defects/no-meta.html"
    put("/defects/no-meta.html", page("缺少网页标签的文章", "<p>正文。</p>",
                                      meta={"ArticleTitle": "缺少网页标签的文章"}, site_meta={}))
    files["link.broken"] = "/defects/broken-links.html"
    put("/defects/broken-links.html", page(
        "失效链接", '<p><a href="/news/missing.html">已删除的新闻</a>'
        '<a href="/files/gone.pdf">已删除的附件</a>'
        f'<a href="http://localhost:{port}/nowhere.html">外部失效链接</a></p>'))
    files["content.sensitive"] = "/defects/political.html"
    put("/defects/political.html", page("有害信息", "<p>页面被篡改，出现“九评共产党”字样。</p>"))
    files["content.expression_error"] = "/defects/expression.html"
    put("/defects/expression.html", page("表述错误", "<p>会见台湾总统府代表团。</p>"))
    files["content.privacy"] = "/defects/privacy.html"
    put("/defects/privacy.html", page(
        "公示名单", f"<p>申请人：张三，身份证号码 {id_number}，手机 13812345678，"
        f"银行卡号 {card}。</p>"))
    files["content.spam_injection"] = "/defects/gambling-text.html"
    put("/defects/gambling-text.html", page("被植入的页面", "<p>欢迎访问澳门新葡京，注册即送。</p>"))
    files["link.commercial"] = "/defects/commercial.html"
    put("/defects/commercial.html", page(
        "商业链接", '<p>合作伙伴：<a href="http://www.example-shop.com/sale">优惠商城</a></p>'))
    hidden_variants = {
        "display-none": '<div style="display:none"><a href="http://spam-one.example.com/">友情链接</a></div>',
        "visibility": '<a style="visibility: hidden" href="http://spam-two.example.com/">链接</a>',
        "off-screen": '<div style="position:absolute;left:-5000px;top:0"><a href="http://spam-three.example.com/">链接</a></div>',
        "zero-size": '<span style="display:block;width:0;height:0;overflow:hidden"><a href="http://spam-four.example.com/">链接</a></span>',
        "same-colour": '<div style="background-color:#ffffff"><a style="color:#FFF" href="http://spam-five.example.com/">链接</a></div>',
        "class-rule": '<div class="hd"><a href="http://spam-six.example.com/">链接</a></div>',
    }
    for name, snippet in hidden_variants.items():
        head = "<style>.hd{display:none}</style>" if name == "class-rule" else ""
        path = f"/defects/hidden-{name}.html"
        files[f"hidden:{name}"] = path
        put(path, page(f"暗链 {name}", f"<p>正常内容。</p>{snippet}", head=head))
    links = "".join(f'<li><a href="{p}">{k}</a></li>' for k, p in files.items())
    put("/defects/", page("缺陷索引", f"<ul>{links}</ul>"))
    put("/sitemap.xml", "<?xml version='1.0'?><urlset>" + "".join(
        f"<url><loc>http://127.0.0.1:{port}{p}</loc></url>"
        for p in ["/defects/", "/dept-news/", "/bulletin/", "/empty/"]) + "</urlset>")
    return files
