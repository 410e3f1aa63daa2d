"""Load benchmark of the two-node layout (issue 16 item 7): a mix of 95 % published pages, 4 %
search-API calls and 1 % form submissions (我为政府网站找错: the form, its CAPTCHA answered, the
report sent), with p50/p95/p99 and errors, against the two nginx of `scripts/multinode.py`
and, in the same run, against the single-node `make run` (SQLite, `govsites runserver`);
then the published-page rate of a layout nginx beside a bare nginx serving the same bytes
(a server added to that same nginx), with wrk.

Run from the repository root: `python bench/bench_multinode_load.py [--seconds 6]`.
Needs what `scripts/multinode.py` needs (PostgreSQL 15 binaries, Redis, nginx) and wrk.
The mix is sent by --clients threads with keep-alive connections, taking turns over the
nodes as a load balancer would; each API call and form comes from its own citizen address
(X-Forwarded-For, as the load balancer sets it), so the per-client rate limits do not apply.
Targets: zero errors in both mixes; the published page at >= 0.9x the bare nginx.
A miss prints TARGET MISSED and exits 1. Setup (two migrations) is most of the run time.
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
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import multinode  # noqa: E402 - the layout's script, beside this repository's scripts

TARGET_RATIO = 0.9
ROUNDS = 5
PY = str(REPO / ".venv" / "bin" / "python")
CAPTCHA = re.compile(r"([一二三四五六七八九])加([一二三四五六七八九])等于几")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NUMBERS = "零一二三四五六七八九十"
#: The published pages of the mix: both home pages, the column and one of its articles.
ADDRESSES = """
from wagtail.models import Page
from govsites import testing
for title in ("工作动态", "多节点测试文章0"):
    print(testing.public_address(Page.objects.get(title=title)))
"""


@dataclass
class Mix:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"page": [], "api": [],
                                                                       "form": []})
    errors: dict[str, list[str]] = field(default_factory=lambda: {"page": [], "api": [],
                                                                   "form": []})
    seconds: float = 0.0

    def line(self, kind: str) -> str:
        values = sorted(self.latencies[kind])
        if not values:
            return f"{kind:>5}: none sent"
        q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else (
            values * 99)
        return (f"{kind:>5}: {len(values):6d} requests  p50 {q[49] * 1000:7.1f} ms  "
                f"p95 {q[94] * 1000:7.1f} ms  p99 {q[98] * 1000:7.1f} ms  "
                f"errors {len(self.errors[kind])}")

    def total(self) -> int:
        return sum(len(v) for v in self.latencies.values())


def submit_form(client: httpx.Client, citizen: str) -> int:
    """GET the 找错 form, answer its CAPTCHA, POST the report; the final status."""
    headers = {"X-Forwarded-For": citizen}
    page = client.get("/interact/error-report/", headers=headers)
    question, token = CAPTCHA.search(page.text), CSRF.search(page.text)
    if page.status_code != 200 or question is None or token is None:
        return page.status_code if page.status_code != 200 else 599
    answer = NUMBERS.index(question.group(1)) + NUMBERS.index(question.group(2))
    sent = client.post("/interact/error-report/", headers={
        **headers, "Referer": f"{client.base_url}/interact/error-report/"}, data={
        "csrfmiddlewaretoken": token.group(1), "page_url": "http://localhost/",
        "error_type": "typo", "description": "首页第二段有一个错别字，请核实。",
        "contact": "", "captcha": str(answer)})
    return sent.status_code if "找错留言已收到" in sent.text or sent.status_code != 200 else 598


def run_mix(bases: list[str], pages: list[str], seconds: float, clients: int) -> Mix:
    """Send the 95/4/1 mix from `clients` threads for `seconds`; collect latencies."""
    mix = Mix()
    lock = threading.Lock()
    counter = iter(range(10**9))
    deadline = time.monotonic() + seconds

    def client_loop(k: int) -> None:
        with httpx.Client(base_url=bases[k % len(bases)], headers={"Host": "localhost"},
                          timeout=30, trust_env=False) as client:
            while time.monotonic() < deadline:
                with lock:
                    n = next(counter)
                share = n % 100
                citizen = f"198.51.{n // 250 % 250}.{n % 250 + 1}"
                kind = "page" if share < 95 else "api" if share < 99 else "form"
                started = time.monotonic()
                try:
                    if kind == "page":
                        status = client.get(pages[n % len(pages)]).status_code
                    elif kind == "api":
                        status = client.get("/api/v1/search", params={"q": "多节点测试文章"},
                                            headers={"X-Forwarded-For": citizen}).status_code
                    else:
                        with httpx.Client(base_url=client.base_url, timeout=30,
                                          headers={"Host": "localhost"},
                                          trust_env=False) as own:  # a citizen's own cookies
                            status = submit_form(own, citizen)
                except httpx.HTTPError as exc:
                    status, error = 0, type(exc).__name__
                else:
                    error = str(status)
                took = time.monotonic() - started
                with lock:
                    mix.latencies[kind].append(took)
                    if status != 200:
                        mix.errors[kind].append(error)

    threads = [threading.Thread(target=client_loop, args=(k,)) for k in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    mix.seconds = time.monotonic() - started
    return mix


def report(title: str, mix: Mix) -> bool:
    print(f"{title}: {mix.total()} requests in {mix.seconds:.1f} s "
          f"({mix.total() / mix.seconds:,.0f} req/s)")
    for kind in ("page", "api", "form"):
        print("  " + mix.line(kind))
    errors = [e for v in mix.errors.values() for e in v]
    if errors:
        print(f"  errors: {sorted(set(errors))[:10]}")
    return not errors


def wrk_rate(url: str, seconds: int, headers: dict[str, str]) -> float:
    cmd = ["wrk", "-t2", "-c32", f"-d{seconds}s"]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rate is None or "Non-2xx" in out:
        raise RuntimeError(f"wrk failed or saw errors:\n{out}")
    return float(rate.group(1))


def add_bare_server(prefix: Path, page_bytes: bytes, port: int) -> None:
    """Add to a running layout nginx a server for the same bytes as a plain file (same
    process, same settings, no application rules), as bench_serve.py does; reload it."""
    root = prefix / "bare"
    root.mkdir()
    (root / "page.html").write_bytes(page_bytes)
    conf = prefix / "nginx.conf"
    conf.write_text(conf.read_text().rstrip().removesuffix("}")
                    + f"    server {{\n        listen 127.0.0.1:{port};\n        root {root};\n"
                    "    }\n}\n")
    subprocess.run([shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(prefix), "-c",
                    str(conf), "-s", "reload"], check=True, capture_output=True)
    multinode.wait_for(lambda: httpx.get(f"http://127.0.0.1:{port}/page.html").status_code == 200,
                       "the bare server", timeout=20)


def single_node_setup(data: Path) -> subprocess.Popen[bytes]:
    """`make run`'s steps (migrate, the same small cluster, publish) in the background."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GOVSITES_", "DJANGO_")) and k not in ("DATABASE_URL",
                                                                       "REDIS_URL")}
    env["GOVSITES_DATA_DIR"] = str(data)
    script = (f"{PY} -m govsites migrate --noinput -v0 && "
              f"{PY} -m govsites shell -c '{multinode.BUILD_CLUSTER}' >/dev/null && "
              f"{PY} -m govsites publish --all --no-progress >/dev/null")
    return subprocess.Popen(["bash", "-c", script], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("TARGET MISSED: wrk is not installed (apt-get install wrk)")
        return 1
    work = Path(tempfile.mkdtemp(prefix="govsites-bench-load-"))
    single = single_node_setup(work / "single")
    ok = True
    with multinode.running_layout() as layout:
        column, address = layout.govsites("a", "shell", "-c", ADDRESSES).stdout.split()[-2:]
        pages = ["/", "/zh-hant/", column, address]
        bases = [layout.url("a"), layout.url("b")]
        run_mix(bases, pages, 1, args.clients)  # warm up both nodes
        ok &= report("two-node layout (nginx A and B, gunicorn 2+2, PostgreSQL + replica)",
                     run_mix(bases, pages, args.seconds, args.clients))
        page = httpx.get(layout.url("a") + address, headers={"Host": "localhost"}).content
        port = multinode.free_port()
        add_bare_server(layout.work / "nginx-a", page, port)
        # The single-node setup (migrate, build, publish) would load the machine unevenly
        # between the two measurements: let it finish first.
        if single.wait(timeout=600) != 0:
            print("TARGET MISSED: the single-node setup failed")
            return 1
        bare_url, page_url = f"http://127.0.0.1:{port}/page.html", layout.url("a") + address
        wrk_rate(bare_url, 1, {})  # warm up
        wrk_rate(page_url, 1, {"Host": "localhost"})
        bare_rates, page_rates = [], []
        for _ in range(ROUNDS):  # interleaved, so that a noisy moment hits both alike
            bare_rates.append(wrk_rate(bare_url, 2, {}))
            page_rates.append(wrk_rate(page_url, 2, {"Host": "localhost"}))
        bare_rate, page_rate = statistics.median(bare_rates), statistics.median(page_rates)
        ratio = page_rate / bare_rate
        print(f"published page via layout nginx A: {page_rate:,.0f} req/s = {ratio:.2f}x the "
              f"same nginx serving the same {len(page)} bytes ({bare_rate:,.0f} req/s; medians of "
              f"{ROUNDS} interleaved 2 s rounds; target >= {TARGET_RATIO}x)")
        if ratio < TARGET_RATIO:
            print("TARGET MISSED: published pages below 0.9x the bare nginx")
            ok = False
    if single.wait(timeout=600) != 0:
        print("TARGET MISSED: the single-node setup failed")
        return 1
    port = multinode.free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GOVSITES_", "DJANGO_")) and k not in ("DATABASE_URL",
                                                                       "REDIS_URL")}
    env["GOVSITES_DATA_DIR"] = str(work / "single")
    server = subprocess.Popen([PY, "-m", "govsites", "runserver", f"127.0.0.1:{port}",
                               "--noreload"], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        multinode.wait_for(lambda: httpx.get(base + "/", headers={"Host": "localhost"}
                                             ).status_code == 200, "make run's server", 90)
        found = subprocess.run([PY, "-m", "govsites", "shell", "-c", ADDRESSES], cwd=REPO,
                               env=env, capture_output=True, text=True, check=True)
        single_pages = ["/", "/zh-hant/", *found.stdout.split()[-2:]]
        run_mix([base], single_pages, 1, args.clients)
        ok &= report("single node (make run: SQLite, govsites runserver)",
                     run_mix([base], single_pages, args.seconds, args.clients))
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    if not ok:
        print("TARGET MISSED: see above")
        return 1
    return 0


if __name__ == "__main__":
    start = time.perf_counter()
    code = main()
    print(f"({time.perf_counter() - start:.0f} s)")
    sys.exit(code)
