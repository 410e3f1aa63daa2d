"""Benchmark: `govsites inspect` against LinkChecker on the same generated 20,000-page site.

Run from the repo root (`make bench` or `.venv/bin/python bench/bench_inspect.py`). It
1. generates a static government-style site (home, columns with paginated lists, articles,
   policy documents, attachments, external links) with planted broken links, in a temp dir;
2. serves it on 127.0.0.1 with nginx when installed (else a threaded stdlib server), plus a
   second server on another port that plays the "external" sites, and measures the server alone;
3. runs our inspector (every rule on) with the politeness delay lifted (our own loopback site);
4. runs LinkChecker (`linkchecker`, from the venv) on the same site, politeness lifted too,
   stopped after 60 s by its own `maxrunseconds` (a full run takes it ~2.5 minutes): its pages/s
   is over its wall time and its recall over the planted broken links it reached;
5. prints pages/s, CPU per page, peak RSS and broken links found (recall against the planted
   set) for both, with ratios and the load average, and exits non-zero with "TARGET MISSED"
   below 400 pages/s or below LinkChecker's recall.
Everything stays on loopback. Options: --pages N (default 20000), --skip-linkchecker,
--linkchecker-seconds S (0: no cap), --workers N (analysis processes), --concurrency N.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import http.server
import io
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsites.config.settings.test")

TARGET_PAGES_PER_SECOND = 400.0
COLUMNS = [
    ("要闻", "要闻"), ("工作动态", "工作动态"), ("部门动态", "工作动态"), ("通知公告", "通知公告"),
    ("政策文件", "政策文件"), ("政策解读", "政策解读"), ("人事信息", "概况信息"), ("财政信息", "数据发布"),
    ("统计数据", "数据发布"), ("办事服务", "办事服务"),
]
PER_LIST_PAGE = 20
PARAGRAPHS = [
    "为深入贯彻落实党中央、国务院决策部署，进一步优化营商环境，市政府召开常务会议，研究部署下一阶段重点工作。",
    "会议强调，要坚持以人民为中心的发展思想，扎实做好民生保障，确保各项政策措施落地见效。",
    "根据《中华人民共和国政府信息公开条例》规定，现将有关事项公告如下，联系电话：0753-2188001。",
    "2025年全市地区生产总值同比增长5.2%，一般公共预算收入完成128.6亿元，完成年度预算的101.3%。",
    "各县（市、区）人民政府，市政府各部门：现将《示例市公共服务事项清单》印发给你们，请认真贯彻执行。",
    "本次招聘岗位共计36个，报名时间为2026年3月1日至3月10日，咨询时间：工作日上午9:00至12:00。",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def page_html(*, title: str, meta: dict[str, str], nav: str, crumb: str, body: str, site_port: int) -> str:
    metas = "\n".join(f'<meta name="{k}" content="{v}">' for k, v in meta.items())
    return f"""<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">
<title>{title} - 示例市人民政府</title>
<meta name="SiteName" content="示例市人民政府"><meta name="SiteDomain" content="www.shili.gov.cn">
<meta name="SiteIDCode" content="4414000001">
{metas}
<link rel="stylesheet" href="/static/site.css"></head><body>
<header><p class="site-name"><a href="/">示例市人民政府</a></p>
<nav><ul>{nav}</ul></nav></header>
<main>{crumb}{body}</main>
<footer><ul><li><a href="/site-map.html">网站地图</a></li>
<li><a href="http://127.0.0.1:{site_port}/zhaocuo.html">我为政府网站找错</a></li></ul>
<p>主办单位：示例市人民政府办公室　联系电话：0753-2188000</p>
<p>网站标识码：4414000001　<a href="http://127.0.0.1:{site_port}/beian.html">粤ICP备05080000号-1</a>
<a href="http://127.0.0.1:{site_port}/gongan.html">粤公网安备 44140202000001号</a></p></footer>
</body></html>"""


def generate_site(root: Path, pages: int, *, site_port: int, ext_port: int,
                  seed: int = 7) -> set[str]:
    """Write the site; return the set of planted broken URLs (absolute)."""
    rng = random.Random(seed)
    base = f"http://127.0.0.1:{site_port}"
    ext = f"http://127.0.0.1:{ext_port}"
    (root / "static").mkdir(parents=True)
    (root / "static" / "site.css").write_text("body{font-family:sans-serif}", encoding="utf-8")
    (root / "files").mkdir()
    for name in ("zhaocuo.html", "beian.html", "gongan.html", "site-map.html"):
        (root / name).write_text("<html><body>ok</body></html>", encoding="utf-8")
    nav = "".join(f'<li><a href="/c{i}/">{name}</a></li>' for i, (name, _) in enumerate(COLUMNS))
    broken: set[str] = set()
    # budget: home + site-map + list pages + articles = pages
    n_articles = int((pages - 2) * PER_LIST_PAGE / (PER_LIST_PAGE + 1))
    per_column = n_articles // len(COLUMNS)
    article_id = 0
    home_items: list[str] = []
    written = 2
    for ci, (cname, ctype) in enumerate(COLUMNS):
        cdir = root / f"c{ci}"
        cdir.mkdir()
        items = []
        for k in range(per_column):
            article_id += 1
            day = f"2026-{(k % 12) + 1:02d}-{(k % 28) + 1:02d}"
            url = f"/c{ci}/a{article_id}.html"
            title = f"{cname}信息第{article_id}号：关于做好{rng.choice(['民生', '就业', '教育', '医疗'])}工作的通知"
            extra = []
            if ctype == "政策文件":
                extra.append(f'<table><tr><th>发文字号</th><td>示政发〔2026〕{article_id}号</td>'
                             '<th>有效性</th><td>现行有效</td></tr></table>')
            if ctype == "政策解读":
                target = f"/c4/a{rng.randint(1, per_column) + 4 * per_column}.html"
                extra.append(f'<p>解读文件：<a href="{target}">《关于做好工作的通知》</a></p>')
            if article_id % 5 == 0:
                extra.append(f'<p>附件：<a href="/files/f{article_id}.pdf">附件{article_id}.pdf</a></p>')
                (root / "files" / f"f{article_id}.pdf").write_bytes(b"%PDF-1.4 bench")
            if article_id % 97 == 0:
                bad = f"/c{ci}/missing-{article_id}.html"
                extra.append(f'<p>相关：<a href="{bad}">相关链接</a></p>')
                broken.add(base + bad)
            if article_id % 211 == 0:
                bad = f"/files/gone-{article_id}.docx"
                extra.append(f'<p>附件：<a href="{bad}">已删除的附件</a></p>')
                broken.add(base + bad)
            if article_id % 50 == 0:
                extra.append(f'<p>链接：<a href="{ext}/ok{article_id % 7}.html">外部网站</a></p>')
            if article_id % 503 == 0:
                bad = f"{ext}/dead-{article_id}.html"
                extra.append(f'<p>链接：<a href="{bad}">外部失效链接</a></p>')
                broken.add(bad)
            prev_link = f'<a href="/c{ci}/a{article_id - 1}.html">上一篇</a>' if k else ""
            body = (f"<article><h1>{title}</h1><p>发布日期：{day}　来源：示例市人民政府办公室</p>"
                    + "".join(f"<p>{rng.choice(PARAGRAPHS)}</p>" for _ in range(8))
                    + "".join(extra) + f"<p>{prev_link}</p></article>")
            crumb = (f'<nav class="breadcrumb">当前位置：<a href="/">首页</a> &gt; '
                     f'<a href="/c{ci}/">{cname}</a> &gt; <span>{title}</span></nav>')
            meta = {"ColumnName": cname, "ColumnDescription": f"{cname}栏目",
                    "ColumnKeywords": cname, "ColumnType": ctype, "ArticleTitle": title,
                    "PubDate": f"{day} 09:00", "ContentSource": "示例市人民政府办公室"}
            (root / url.lstrip("/")).write_text(
                page_html(title=title, meta=meta, nav=nav, crumb=crumb, body=body,
                          site_port=site_port), encoding="utf-8")
            written += 1
            items.append((url, title, day))
        if items:
            home_items.append(f'<li><a href="{items[-1][0]}">{items[-1][1]}</a><time>{items[-1][2]}</time></li>')
        n_lists = (len(items) + PER_LIST_PAGE - 1) // PER_LIST_PAGE
        for p in range(n_lists):
            chunk = items[p * PER_LIST_PAGE:(p + 1) * PER_LIST_PAGE]
            lis = "".join(f'<li><a href="{u}">{t}</a><time>{d}</time></li>' for u, t, d in chunk)
            pager = "".join(f'<a href="/c{ci}/{"index" if q == 0 else f"list{q}"}.html">{q + 1}</a>'
                            for q in range(max(0, p - 3), min(n_lists, p + 4)))
            body = f"<h1>{cname}</h1><ul class=\"item-list\">{lis}</ul><nav class=\"pager\">{pager}</nav>"
            crumb = f'<nav class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <span>{cname}</span></nav>'
            meta = {"ColumnName": cname, "ColumnDescription": f"{cname}栏目",
                    "ColumnKeywords": cname, "ColumnType": ctype}
            name = "index.html" if p == 0 else f"list{p}.html"
            (cdir / name).write_text(page_html(title=cname, meta=meta, nav=nav, crumb=crumb,
                                               body=body, site_port=site_port), encoding="utf-8")
            written += 1
    body = "<h1>示例市人民政府</h1><ul class=\"item-list\">" + "".join(home_items) + "</ul>"
    (root / "index.html").write_text(
        page_html(title="首页", meta={"ColumnName": "首页", "ColumnType": "首页",
                                     "ColumnDescription": "首页", "ColumnKeywords": "首页"},
                  nav=nav, crumb="", body=body, site_port=site_port), encoding="utf-8")
    ext_root = root.parent / "external"
    ext_root.mkdir(exist_ok=True)
    for i in range(7):
        (ext_root / f"ok{i}.html").write_text("<html><body>外部</body></html>", encoding="utf-8")
    print(f"generated {written} pages, {article_id // 5} attachments, {len(broken)} planted broken links")
    return broken


NGINX_CONF = """worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log crit;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 100000; keepalive_timeout 60;
  types {{ text/html html; text/css css; application/pdf pdf; }}
  default_type application/octet-stream;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  # LinkChecker lifts its per-host politeness delay only for servers sending this header
  add_header LinkChecker "bench";
  server {{ listen 127.0.0.1:{site_port}; root {site}; index index.html; }}
  server {{ listen 127.0.0.1:{ext_port}; root {ext}; }}
}}
"""


def start_servers(tmp: Path, site: Path, ext: Path, site_port: int, ext_port: int) -> tuple[str, object]:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx:
        conf = tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, site=site, ext=ext, site_port=site_port,
                                          ext_port=ext_port), encoding="utf-8")
        proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", site_port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        return "nginx", proc
    servers = []
    for port, directory in ((site_port, site), (ext_port, ext)):
        handler = _quiet_handler(directory)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return "stdlib ThreadingHTTPServer", servers


def _quiet_handler(directory: Path) -> type:
    class Handler(http.server.SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def __init__(self, *a: Any, **k: Any) -> None:
            super().__init__(*a, directory=str(directory), **k)

        def log_message(self, *args: object) -> None:
            pass

        def end_headers(self) -> None:
            self.send_header("LinkChecker", "bench")  # lifts LinkChecker's politeness delay
            super().end_headers()

    return Handler


def stop_servers(kind: str, handle: object) -> None:
    if kind == "nginx":
        handle.terminate()  # type: ignore[attr-defined]
        handle.wait(timeout=10)  # type: ignore[attr-defined]
    else:
        for server in handle:  # type: ignore[attr-defined]
            server.shutdown()


async def _server_alone(base: str, urls: list[str]) -> float:
    from govsites.monitoring.http11 import Http11Client

    client = Http11Client(max_connections=8)
    queue = list(urls)
    started = time.monotonic()

    async def worker() -> None:
        while queue:
            await client.fetch(base + queue.pop())

    try:
        await asyncio.gather(*(worker() for _ in range(8)))
    finally:
        await client.aclose()
    return len(urls) / (time.monotonic() - started)


def run_ours(start: str, pages: int, workers: int | None,
             concurrency: int) -> dict[str, Any]:
    from govsites.monitoring.analysis import auto_workers, peak_rss_kb
    from govsites.monitoring.crawler import CrawlConfig
    from govsites.monitoring.inspector import Inspector
    from govsites.monitoring.rulebook import load_rulebook

    workers = auto_workers(pages) if workers is None else workers
    config = CrawlConfig(start_url=start, max_pages=pages * 2, concurrency=concurrency,
                         per_host_concurrency=concurrency, delay=0.0, analysis_workers=workers)
    cpu_before = os.times()
    # The national rules from the shipped files: the benchmark runs without a migrated database.
    inspector = Inspector(config, rulebook=load_rulebook(""))
    result = asyncio.run(inspector.run())
    cpu_after = os.times()
    main_rss_mb = peak_rss_kb() / 1024
    worker_rss = getattr(inspector.analysis, "worker_peak_rss_kb", {})
    workers_rss_mb = sum(worker_rss.values()) / 1024
    cpu_main = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    cpu_children = ((cpu_after.children_user - cpu_before.children_user)
                    + (cpu_after.children_system - cpu_before.children_system))
    broken = {f.url for f in result.findings if f.rule_id == "link.broken"}
    counts: dict[str, int] = {}
    for f in result.findings:
        counts[f.rule_id] = counts.get(f.rule_id, 0) + 1
    print(f"  ours: {workers} analysis worker process(es); verdict {result.verdict.label} "
          f"({result.verdict.decided_by}); findings {counts}")
    for f in result.findings[:3]:
        print("   ", f.rule_id, f.url, f.evidence)
    if result.screening_note:
        print(f"  ours: NOTE {result.screening_note}")
    for note in result.notes:
        print(f"  ours: NOTE {note}")
    print(f"  ours: CPU {cpu_main:.1f} s crawling process + {cpu_children:.1f} s workers = "
          f"{(cpu_main + cpu_children) * 1000 / max(result.pages_crawled, 1):.2f} ms per page; "
          f"peak RSS {main_rss_mb:.0f} MB crawling process + {workers_rss_mb:.0f} MB workers")
    return {"pages": result.pages_crawled, "seconds": result.elapsed_seconds,
            "pps": result.pages_per_second, "rss_mb": main_rss_mb + workers_rss_mb,
            "broken": broken, "cpu_s": cpu_main + cpu_children}


def run_linkchecker(start: str, tmp: Path, max_seconds: int) -> dict[str, Any] | None:
    """Run LinkChecker on the site, stopped after `max_seconds` (0: let it finish).

    LinkChecker's own `maxrunseconds` stops it as Ctrl-C would: it checks no new URL, finishes
    the ones in hand and writes its report. Its throughput is the HTML pages it reported over its
    wall time (start-up included); its recall is measured on the planted broken links it reached
    (reported at all, valid or not), so a capped run is not charged for links it never got to.
    """
    exe = Path(sys.executable).parent / "linkchecker"
    if not exe.exists():
        found = shutil.which("linkchecker")
        if not found:
            print("  LinkChecker not installed: pip install linkchecker")
            return None
        exe = Path(found)
    cfg = tmp / "linkcheckerrc"
    # aborttimeout bounds the wind-down after the stop (LinkChecker's default is 300 s)
    cap = f"maxrunseconds={max_seconds}\naborttimeout=10\n" if max_seconds > 0 else ""
    cfg.write_text("[checking]\nthreads=20\nmaxrequestspersecond=100000\ntimeout=15\n" + cap
                   + "[filtering]\ncheckextern=1\n[output]\nstatus=0\n", encoding="utf-8")
    cmd = [str(exe), "-f", str(cfg), "--verbose", "--no-warnings", "-o", "csv", "--check-extern",
           start]
    time_bin = Path("/usr/bin/time")
    if time_bin.exists():
        cmd = [str(time_bin), "-v", *cmd]
    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp, check=False)
    seconds = time.monotonic() - started
    rss_mb = 0.0
    cpu_s = 0.0
    for line in proc.stderr.splitlines():
        if "Maximum resident set size" in line:
            rss_mb = int(line.split(":")[1]) / 1024
        if "User time (seconds)" in line or "System time (seconds)" in line:
            cpu_s += float(line.split(":")[1])
    broken: set[str] = set()
    checked: set[str] = set()
    html_pages = 0
    rows = [line for line in proc.stdout.splitlines() if line and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";")
    for row in reader:
        url = row.get("url") or row.get("urlname") or ""
        checked.add(url)
        if (row.get("valid") or "").lower() in ("false", "0"):
            broken.add(url)
        if url.endswith(".html") or url.endswith("/"):
            html_pages += 1
    # Capped, LinkChecker keeps checking the URLs in hand after the stop (its timer looks every
    # 5 s, then it drains its threads) and reports them: its rate is over its whole wall time.
    return {"pages": html_pages, "seconds": seconds, "pps": html_pages / seconds if seconds else 0,
            "rss_mb": rss_mb, "broken": broken, "checked": checked, "cpu_s": cpu_s,
            "capped": max_seconds > 0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20000)
    parser.add_argument("--skip-linkchecker", action="store_true")
    parser.add_argument("--linkchecker-seconds", type=int, default=60,
                        help="stop LinkChecker after this many seconds (0: let it finish; "
                             "a full 20,000-page run takes it about 2.5 minutes)")
    parser.add_argument("--workers", type=int, default=None,
                        help="analysis worker processes (default: auto, none below 4 cores)")
    parser.add_argument("--concurrency", type=int, default=6,
                        help="requests in flight for our inspector (default 6)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    tmp = Path(tempfile.mkdtemp(prefix="bench-inspect-"))
    tmp.chmod(0o755)  # nginx workers and LinkChecker drop root privileges to nobody
    site = tmp / "site"
    site_port, ext_port = free_port(), free_port()
    planted = generate_site(site, args.pages, site_port=site_port, ext_port=ext_port)
    kind, handle = start_servers(tmp, site, tmp / "external", site_port, ext_port)
    start = f"http://127.0.0.1:{site_port}/"
    failed = False
    try:
        sample = [str(p.relative_to(site)) for p in list(site.glob("c*/*.html"))[:4000]]
        server_pps = asyncio.run(_server_alone(start, sample))
        print(f"server ({kind}) alone, our HTTP client, 8 connections, no parsing: "
              f"{server_pps:,.0f} pages/s")

        ours = run_ours(start, args.pages, args.workers, args.concurrency)
        ours_recall = len(planted & ours["broken"]) / len(planted)
        missed = sorted(planted - ours["broken"])
        if missed:
            print(f"  ours missed: {missed[:5]}")
        print(f"ours:        {ours['pages']} pages in {ours['seconds']:.1f} s = {ours['pps']:.0f} pages/s, "
              f"peak RSS {ours['rss_mb']:.0f} MB, broken {len(ours['broken'])} "
              f"(recall {ours_recall:.1%} of {len(planted)} planted)")
        lc = None if args.skip_linkchecker else run_linkchecker(start, tmp, args.linkchecker_seconds)
        if lc is not None:
            reached = planted & lc["checked"]
            lc_recall = len(planted & lc["broken"]) / len(reached) if reached else 0.0
            if lc["capped"]:
                print(f"LinkChecker: stopped by its maxrunseconds={args.linkchecker_seconds} (it "
                      "finishes the URLs in hand); pages/s over its wall time, recall over the "
                      f"{len(reached)} of {len(planted)} planted broken links it reached, peak RSS "
                      "of a partial run (so the RSS ratio flatters it)")
            print(f"LinkChecker: {lc['pages']} pages in {lc['seconds']:.1f} s = {lc['pps']:.0f} pages/s, "
                  f"CPU {lc['cpu_s']:.1f} s = {lc['cpu_s'] * 1000 / max(lc['pages'], 1):.2f} ms per page, "
                  f"peak RSS {lc['rss_mb']:.0f} MB, broken {len(lc['broken'])} "
                  f"(recall {lc_recall:.1%} of {len(reached)} reached)")
            ours_cpu_ms = ours["cpu_s"] * 1000 / max(ours["pages"], 1)
            lc_cpu_ms = lc["cpu_s"] * 1000 / max(lc["pages"], 1)
            print(f"ratios (ours / LinkChecker): speed {ours['pps'] / max(lc['pps'], 1e-9):.2f}x, "
                  f"CPU per page {ours_cpu_ms / max(lc_cpu_ms, 1e-9):.2f}x, "
                  f"peak RSS {ours['rss_mb'] / max(lc['rss_mb'], 1e-9):.2f}x, "
                  f"recall {ours_recall / max(lc_recall, 1e-9):.2f}x")
            if ours_recall < lc_recall:
                print("TARGET MISSED: broken-link recall below LinkChecker's")
                failed = True
        print(f"ours / server alone: {ours['pps'] / server_pps:.2f}x")
        print(f"machine: load average {os.getloadavg()[0]:.1f} at end")
        if ours["pps"] < TARGET_PAGES_PER_SECOND:
            print(f"TARGET MISSED: {ours['pps']:.0f} pages/s < {TARGET_PAGES_PER_SECOND:.0f}")
            failed = True
    finally:
        stop_servers(kind, handle)
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
