"""Serving benchmark: one published page served by nginx (gzip_static, security headers)
against a bare static file of the same size under the same nginx, and against the same page
rendered by Wagtail under gunicorn (as many worker processes as nginx has, the same wrk
connections), all measured in this run with wrk on loopback.

Run from the repository root: `python bench/bench_serve.py [--seconds 10]`.
Target: the published page at no less than 0.9x the requests/s of the bare file. The ratio to
the Wagtail-rendered page is printed for information. Needs nginx and wrk (apt) and gunicorn
(the [bench] extra).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TARGET = 0.9
PAGE_BYTES = 29 * 1024
WORKERS = 2  # nginx worker processes and gunicorn workers alike


def setup_django(data_dir: Path) -> None:
    os.environ["GOVSITES_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "govsites.config.settings.base"
    os.environ["GOVSITES_DEBUG"] = "0"
    os.environ.setdefault("GOVSITES_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128")
    import django

    django.setup()


def wrk(url: str, seconds: int, connections: int, headers: dict[str, str]) -> float:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if match is None or errors is not None:
        raise RuntimeError(f"wrk failed or saw errors:\n{out}")
    return float(match.group(1))


def make_page() -> tuple[str, str, bytes]:
    """Create a site with an article whose published page is about PAGE_BYTES; publish it."""
    from govsites import testing
    from govsites.content.models import ArticlePage
    from govsites.publishing.paths import listing_file, site_dir
    from govsites.publishing.services import rebuild_sites
    from govsites.testing.bulk import body_text

    portal = testing.make_site(hostname="localhost")
    column = testing.make_column(portal.site.root_page.specific)
    article = testing.make_article(column, title="示例市人民政府关于进一步做好政务公开工作的通知",
                                   body=body_text(1, 100))
    rebuild_sites(acting_user=None)
    # The item's public address (an item is its own file, e.g. …/t20261201_42.html).
    url = ArticlePage.objects.get(pk=article.pk).relative_url(portal.site)
    path = site_dir("localhost") / listing_file(url)
    size = path.stat().st_size
    paragraphs = max(1, int(100 * (PAGE_BYTES - 5000) / max(1, size - 5000)))
    page = ArticlePage.objects.get(pk=article.pk)
    page.body = body_text(1, paragraphs)
    from govsites.content.services import publish_item

    publish_item(item=page, acting_user=None)
    rebuild_sites(acting_user=None)
    return "localhost", url, path.read_bytes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            print(f"TARGET MISSED: {tool} is not installed (apt-get install nginx-light wrk)")
            return 1
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        print("TARGET MISSED: gunicorn is not installed (pip install -e '.[bench]')")
        return 1

    tmp = Path(tempfile.mkdtemp(prefix="govsites-bench-serve-"))
    setup_django(tmp)
    from django.core.management import call_command

    from govsites.publishing.nginx import NginxOptions, standalone_config
    from govsites.testing.tools import free_port, nginx_running, wait_for_port

    call_command("migrate", "--noinput", verbosity=0)
    host, url, html = make_page()
    print(f"page: {url} ({len(html)} bytes, .gz beside it)")
    bare_dir = tmp / "bare"
    bare_dir.mkdir()
    (bare_dir / "bare.html").write_bytes(html)

    # Wagtail, rendering the same page per request (static-first serving switched off).
    settings_dir = tmp / "settings"
    settings_dir.mkdir()
    (settings_dir / "bench_dynamic_settings.py").write_text(
        "from govsites.config.settings.base import *  # noqa\n"
        "MIDDLEWARE = [m for m in MIDDLEWARE if 'StaticFirst' not in m]  # noqa: F405\n")
    app_port = free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench_dynamic_settings",
               PYTHONPATH=f"{settings_dir}{os.pathsep}{REPO}")
    app = subprocess.Popen([str(gunicorn), "--workers", str(WORKERS), "--bind",
                            f"127.0.0.1:{app_port}", "--log-level", "warning",
                            "govsites.config.wsgi:application"], cwd=REPO, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    nginx_port, bare_port = free_port(), free_port()
    # With the visit log on, as `govsites nginx-config` writes it for production.
    conf = standalone_config(NginxOptions(upstream=f"127.0.0.1:{app_port}",
                                          listen=f"127.0.0.1:{nginx_port}",
                                          visits_log=str(tmp / "visits.log")), tmp / "nginx",
                             workers=str(WORKERS), user="root" if os.geteuid() == 0 else None)
    bare_server = (f"    server {{\n        listen 127.0.0.1:{bare_port};\n"
                   f"        root {bare_dir};\n    }}\n}}\n")
    conf = conf.rstrip().removesuffix("}") + bare_server
    results: dict[str, list[float]] = {"bare": [], "published": [], "published_gzip": []}
    try:
        wait_for_port(app_port, timeout=60)
        with nginx_running(conf, tmp / "nginx", nginx_port):
            wait_for_port(bare_port)
            headers = {"Host": host}
            published = f"http://127.0.0.1:{nginx_port}{url}"
            bare = f"http://127.0.0.1:{bare_port}/bare.html"
            wrk(published, 2, args.connections, headers)  # warm up
            wrk(bare, 2, args.connections, {})
            for _ in range(args.rounds):
                results["bare"].append(wrk(bare, args.seconds, args.connections, {}))
                results["published"].append(wrk(published, args.seconds, args.connections,
                                                headers))
                results["published_gzip"].append(wrk(
                    published, args.seconds, args.connections,
                    {**headers, "Accept-Encoding": "gzip"}))
            dynamic = wrk(f"http://127.0.0.1:{app_port}{url}", args.seconds, args.connections,
                          headers)
    finally:
        app.terminate()
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: do not lose the figures
            app.kill()
            app.wait()
    bare_rps = statistics.median(results["bare"])
    pub_rps = statistics.median(results["published"])
    gz_rps = statistics.median(results["published_gzip"])
    ratio = pub_rps / bare_rps
    print(f"bare static file (same size, same nginx): {bare_rps:,.0f} req/s")
    print(f"published page via nginx (identity):      {pub_rps:,.0f} req/s = {ratio:.2f}x bare "
          f"(target >= {TARGET}x)")
    print(f"published page via nginx (gzip_static):   {gz_rps:,.0f} req/s = "
          f"{gz_rps / bare_rps:.2f}x bare")
    times = f"published page is {pub_rps / dynamic:.0f}x dynamic" if dynamic else (
        "no request completed in the time (a loaded machine)")
    print(f"same page rendered by Wagtail (gunicorn, {WORKERS} workers, {args.connections} "
          f"connections): {dynamic:,.0f} req/s; {times}")
    shutil.rmtree(tmp, ignore_errors=True)
    if ratio < TARGET:
        print("TARGET MISSED: published page below 0.9x a bare static file")
        return 1
    return 0


if __name__ == "__main__":
    start = time.perf_counter()
    code = main()
    print(f"({time.perf_counter() - start:.0f} s)")
    sys.exit(code)
