"""The two-node layout on one machine, all on loopback (docs/deploy.md), and its CI test.

    .venv/bin/python scripts/multinode.py up      # start everything; Ctrl-C stops it
    .venv/bin/python scripts/multinode.py test    # start, run the scenario, stop; exit 0/1

Started in a temporary folder: a PostgreSQL primary and a streaming replica made with
pg_basebackup (Debian's postgresql 15 binaries, run as the postgres user when started as
root), Redis database 12 on 127.0.0.1:6379, moto's S3-compatible server, two application
nodes (gunicorn), two task workers and two nginx, each node with its own data folder and its
own copy of the published tree. Every process is stopped at the end, whatever happened.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
from multinode_editor import CREATE_EDITOR, Editor

REPO = Path(__file__).resolve().parents[1]
PY = str(REPO / ".venv" / "bin" / "python")
PG_BIN = Path(os.environ.get("GOVSITES_PG_BIN_DIR", "/usr/lib/postgresql/15/bin"))
REDIS_URL = "redis://127.0.0.1:6379/12"
DEADLINE_SECONDS = int(os.environ.get("GOVSITES_MULTINODE_SECONDS", "330"))  # CI: under 6 minutes
STARTED = time.monotonic()


def step(text: str) -> None:
    print(f"multinode: [{time.monotonic() - STARTED:5.0f}s] {text}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = condition()
            if result:
                return result
        except Exception:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"multinode: timed out waiting for {what}")
        time.sleep(0.2)


class Layout:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.procs: list[subprocess.Popen[bytes]] = []
        self.named: dict[str, subprocess.Popen[bytes]] = {}
        self.ports = {k: free_port() for k in ("pg1", "pg2", "s3", "app_a", "app_b",
                                                "nginx_a", "nginx_b")}
        self.bucket = "govsites-multinode"
        self.secret = secrets.token_urlsafe(64)
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    # --- processes -------------------------------------------------------------------------
    def start(self, name: str, args: list[str], env: dict[str, str] | None = None,
              as_postgres: bool = False) -> subprocess.Popen[bytes]:
        log = open(self.work / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen((self.as_postgres if as_postgres else []) + args, env=env,
                                stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
                                start_new_session=True)
        self.procs.append(proc)
        self.named[name] = proc
        return proc

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.named[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        proc.wait(timeout=30)

    def stop_all(self) -> None:
        for proc in reversed(self.procs):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in reversed(self.procs):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for data in ("pg-replica", "pg-primary"):
            if (self.work / data / "postmaster.pid").exists():
                subprocess.run([*self.as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(self.work / data), "-m", "immediate", "stop"], capture_output=True, check=False)

    # --- environment -----------------------------------------------------------------------
    def env(self, node: str, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("GOVSITES_", "DJANGO_")) and k not in ("DATABASE_URL",
                                                                           "REDIS_URL")}
        env.update({
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.ports['pg1']}/govsites",
            "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{self.ports['pg2']}/govsites",
            "REDIS_URL": REDIS_URL,
            "GOVSITES_SECRET_KEY": self.secret,
            "GOVSITES_PUBLIC_SCHEME": "http",
            "GOVSITES_DATA_DIR": str(self.work / f"node-{node}"),
            "GOVSITES_S3_BUCKET": self.bucket,
            "GOVSITES_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.ports['s3']}",
            "GOVSITES_S3_REGION": "us-east-1",
            "GOVSITES_S3_ACCESS_KEY_ID": "testing",
            "GOVSITES_S3_SECRET_ACCESS_KEY": "testing",
            "GOVSITES_OUTBOUND_ALLOWED_NETWORKS": "127.0.0.0/8",
            "GOVSITES_WORKER_LEASE_SECONDS": "6",
            "GOVSITES_WORKER_HEARTBEAT_SECONDS": "1",
            "GOVSITES_PG_BIN_DIR": str(PG_BIN),
        })
        env.update(extra)
        return env

    def govsites(self, node: str, *args: str, check: bool = True,
                 **extra: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([PY, "-m", "govsites", *args], env=self.env(node, **extra),
                              cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
        if check and done.returncode != 0:
            raise RuntimeError(f"govsites {' '.join(args)} on {node}: {done.stdout}{done.stderr}")
        return done

    # --- the services ----------------------------------------------------------------------
    def start_postgres(self) -> None:
        primary, replica = self.work / "pg-primary", self.work / "pg-replica"
        os.chmod(self.work, 0o777)
        run = self.as_postgres
        subprocess.run([*run, str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                       check=True, capture_output=True)
        conf = ("listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
                "wal_level = replica\nmax_wal_senders = 5\nfsync = off\n"
                "synchronous_commit = off\nfull_page_writes = off\n")
        with open(primary / "postgresql.auto.conf", "a") as fh:
            fh.write(conf)
        self.start("pg-primary", [str(PG_BIN / "postgres"), "-D", str(primary), "-p",
                                  str(self.ports["pg1"])], as_postgres=True)
        wait_for(lambda: _pg_ready(self.ports["pg1"]), "the PostgreSQL primary")
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.ports["pg1"]), "-U",
                        "postgres", "-c", "CREATE DATABASE govsites"], check=True,
                       capture_output=True)
        subprocess.run([*run, str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.ports["pg1"]), "-U", "postgres", "-D", str(replica), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"],
                       check=True, capture_output=True)
        self.start("pg-replica", [str(PG_BIN / "postgres"), "-D", str(replica), "-p",
                                  str(self.ports["pg2"])], as_postgres=True)
        wait_for(lambda: _pg_ready(self.ports["pg2"]), "the PostgreSQL replica")

    def start_object_storage(self) -> None:
        import boto3

        self.start("s3", [PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.ports["s3"])])
        endpoint = f"http://127.0.0.1:{self.ports['s3']}"
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                              aws_access_key_id="testing", aws_secret_access_key="testing")
        wait_for(lambda: client.list_buckets() is not None, "the S3 server")
        client.create_bucket(Bucket=self.bucket)

    def install(self) -> None:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        # collectstatic needs no database: it runs beside the migrations; node B's nginx
        # serves the same collected files.
        static = subprocess.Popen([PY, "-m", "govsites", "collectstatic", "--noinput", "-v0"],
                                  env=self.env("a"), cwd=REPO, stdout=subprocess.DEVNULL)
        self.govsites("a", "migrate", "--noinput", "-v0")
        step("migrated; the cluster, its editor, publish, sync")
        # The applications boot (slow on a busy machine) while the cluster is built.
        self.start_applications()
        self.govsites("a", "shell", "-c", BUILD_CLUSTER + CREATE_EDITOR)
        self.govsites("a", "publish", "--all", "--no-progress", "--jobs", "1")
        self.govsites("b", "sync")
        if static.wait(timeout=120) != 0:
            raise RuntimeError("collectstatic failed")
        (self.work / "node-b" / "static").symlink_to(self.work / "node-a" / "static")

    def start_applications(self) -> None:
        for node in ("a", "b"):
            self.start(f"app-{node}", [str(REPO / ".venv" / "bin" / "gunicorn"),
                                       "govsites.config.wsgi", "--bind",
                                       f"127.0.0.1:{self.ports['app_' + node]}", "--workers",
                                       "2", "--log-level", "warning"], env=self.env(node))

    def start_nodes(self) -> None:
        upstreams = f"127.0.0.1:{self.ports['app_a']},127.0.0.1:{self.ports['app_b']}"
        for node in ("a", "b"):
            self.start(f"worker-{node}", [PY, "-m", "govsites", "worker", "--tick", "2"],
                       env=self.env(node))
            prefix = self.work / f"nginx-{node}"
            self.govsites(node, "nginx-config", "--standalone", str(prefix), "--upstream",
                          upstreams, "--listen", f"127.0.0.1:{self.ports['nginx_' + node]}",
                          "--workers", "1", "--out", str(prefix / "nginx.conf"))
            conf = (prefix / "nginx.conf").read_text()
            if os.geteuid() == 0:
                (prefix / "nginx.conf").write_text("user root;\n" + conf)
            self.start(f"nginx-{node}", [shutil.which("nginx") or "/usr/sbin/nginx", "-p",
                                         str(prefix), "-c", str(prefix / "nginx.conf"), "-g",
                                         "daemon off;"])
        for node in ("a", "b"):
            wait_for(lambda n=node: self.get(n, "/_govsites/ready").status_code == 200,
                     f"application node {node}")

    def psql(self, server: str, sql: str) -> str:
        """Run SQL on the primary ("pg1") or the replica ("pg2"); return psql's bare output."""
        done = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.ports[server]), "-U",
                               "postgres", "-d", "govsites", "-At", "-c", sql],
                              capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def url(self, node: str, via: str = "nginx") -> str:
        return f"http://127.0.0.1:{self.ports[f'{via}_{node}']}"

    def get(self, node: str, path: str, via: str = "nginx", **kw: Any) -> httpx.Response:
        port = self.ports[f"{via}_{node}"]
        return httpx.get(f"http://127.0.0.1:{port}{path}", headers={"Host": "localhost"},
                         timeout=10, follow_redirects=False, trust_env=False, **kw)


BUILD_CLUSTER = """
from govsites import testing
portal = testing.make_site()
column = testing.make_column(portal.site.root_page.specific, title="工作动态")
for n in range(5):
    testing.make_article(column, title=f"多节点测试文章{n}")
"""

PUBLISH_ONE = """
from wagtail.models import Page
from govsites import testing
column = Page.objects.get(title="工作动态").specific
page = testing.make_article(column, title="经节点A发布的新通知")
print(testing.public_address(page))
"""


def _pg_ready(port: int) -> bool:
    return subprocess.run([str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                          capture_output=True, check=False).returncode == 0


# --- the scenario ---------------------------------------------------------------------------
def scenario(layout: Layout) -> list[tuple[str, bool, str]]:
    results: list[tuple[str, bool, str]] = []

    def check(name: str, ok: bool, detail: str = "") -> None:
        results.append((name, ok, detail))
        print(f"multinode: [{time.monotonic() - STARTED:5.0f}s] {'ok  ' if ok else 'FAIL'} {name} "
              f"{detail}", flush=True)

    # 1. publish through node A, read from nginx B
    address = layout.govsites("a", "shell", "-c", PUBLISH_ONE).stdout.strip().splitlines()[-1]
    for node in ("a", "b"):
        wait_for(lambda n=node: "经节点A发布的新通知" in _synced_get(layout, n, address),
                 f"the new item on node {node}", timeout=60)
    page_b = layout.get("b", address)
    check("an item published through node A is served by nginx B",
          page_b.status_code == 200 and "经节点A发布的新通知" in page_b.text)
    guard = layout.govsites("b", "guard", "verify", check=False)
    check("the guard passes on node B's copy", guard.returncode == 0, guard.stdout.strip()[-80:])

    # 2. kill application node A during a stream of editor saves and public requests
    item_id = int(layout.psql("pg1", "SELECT id FROM wagtailcore_page "
                                     "WHERE title = '多节点测试文章0'"))
    killed, failures, total, acked, unacked = kill_during_traffic(layout, item_id, address)
    check("public requests never fail while application node A is killed",
          killed and failures == 0, f"({failures}/{total} failed)")
    saved = set(layout.psql("pg1", "SELECT content->>'title' FROM wagtailcore_revision "
                                   f"WHERE object_id = '{item_id}'").splitlines())
    lost = [t for t, _after in acked if t not in saved]
    after_kill = sum(after for _t, after in acked)
    check("no acknowledged editor save is lost while application node A is killed",
          not lost and after_kill > 0 and len(acked) > after_kill,
          f"({len(acked)} acknowledged, {after_kill} of them after the kill, "
          f"{unacked} unacknowledged and sent again, lost: {lost})")

    # 2b. public API reads come from the replica; the admin reads its own writes
    for name, ok, detail in replica_checks(layout, item_id):
        check(name, ok, detail)

    # 3. kill a worker during a publish: the task is requeued, the tree is consistent
    layout.kill("worker-b")
    address2 = layout.govsites("a", "shell", "-c", PUBLISH_ONE.replace(
        "经节点A发布的新通知", "工作进程被杀后发布的通知")).stdout.strip().splitlines()[-1]
    layout.kill("worker-a")
    layout.start("worker-a2", [PY, "-m", "govsites", "worker", "--tick", "2"],
                 env=layout.env("a"))
    wait_for(lambda: "工作进程被杀后发布的通知" in _synced_get(layout, "b", address2),
             "the publish after the worker was killed", timeout=60)
    guard = layout.govsites("b", "guard", "verify", check=False)
    check("a publish survives a killed worker and the tree stays consistent",
          guard.returncode == 0, guard.stdout.strip()[-80:])

    # 4. the database primary stops: published pages still served, dynamic paths 503
    backup_dir = layout.work / "backups"
    layout.govsites("a", "backup", "--out", str(backup_dir))
    layout.kill("pg-replica", signal.SIGINT)
    layout.kill("pg-primary", signal.SIGINT)
    published = [layout.get(n, p) for n in ("a", "b") for p in ("/", address)]
    check("published pages are served with the database down",
          all(r.status_code == 200 for r in published), str([r.status_code for r in published]))
    dynamic = layout.get("b", "/search/?q=通知")
    check("dynamic paths answer the site's 503 page with the database down",
          dynamic.status_code == 503 and "网站正在维护" in dynamic.text
          and "示例市人民政府" in dynamic.text, str(dynamic.status_code))

    # 5. restore the backup into a fresh database and compare
    layout.start("pg-primary2", [str(PG_BIN / "postgres"), "-D", str(layout.work / "pg-primary"),
                                 "-p", str(layout.ports["pg1"])], as_postgres=True)
    wait_for(lambda: _pg_ready(layout.ports["pg1"]), "the primary to restart")
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(layout.ports["pg1"]), "-U", "postgres",
                    "-c", "CREATE DATABASE restored"], check=True, capture_output=True)
    [archive] = sorted(backup_dir.glob("*.tar"))
    restored_env = {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{layout.ports['pg1']}/restored",
                    "DATABASE_REPLICA_URL": "", "GOVSITES_S3_BUCKET": ""}
    done = layout.govsites("c", "restore", str(archive), check=False, **restored_env)
    check("a backup restores into a fresh database with audit and guard verified",
          done.returncode == 0 and "完全一致" in done.stdout, done.stdout.strip()[-200:]
          + done.stderr.strip()[-300:])
    return results


def kill_during_traffic(layout: Layout, item_id: int,
                        address: str) -> tuple[bool, int, int, list[tuple[str, bool]], int]:
    """An editor saves drafts through nginx A in a thread while the public reads through nginx
    A; application node A is killed with SIGKILL after the first 40 public requests.

    Returns (killed, public failures, public requests, acknowledged saves as (title, after
    the kill), unacknowledged attempts).
    """
    editor = Editor(layout.url("a"))
    editor.login()
    form = editor.edit_form(item_id)
    acked: list[tuple[str, bool]] = []
    unacked = 0
    killed = threading.Event()
    stop = threading.Event()

    def saves() -> None:
        nonlocal unacked
        n = 0
        while not stop.is_set():
            title = f"编辑保存第{n}次"
            after = killed.is_set()
            if editor.save_draft(item_id, form, title):
                acked.append((title, after and killed.is_set()))
            else:
                unacked += 1
            n += 1

    saver = threading.Thread(target=saves, daemon=True)
    saver.start()
    failures, total = 0, 0
    paths = ["/", address, "/search/?q=通知", "/_govsites/mode.css"]
    for i in range(200):
        if i == 40:
            layout.kill("app-a")
            killed.set()
        response = layout.get("a", paths[i % len(paths)])
        total += 1
        failures += response.status_code != 200
    # Let the editor save a few more times through the surviving node.
    with contextlib.suppress(TimeoutError):  # the check reports it
        wait_for(lambda: sum(after for _t, after in acked) >= 3, "saves after the kill", 30)
    stop.set()
    saver.join(timeout=30)
    editor.close()
    return killed.is_set(), failures, total, acked, unacked


def replica_checks(layout: Layout, item_id: int) -> list[tuple[str, bool, str]]:
    """With the replica's replay paused (a lagging replica), a row changed on the primary only:
    the anonymous search API shows the replica's value, a client pinned by a recent write and a
    logged-in editor see the primary's; anonymous searches that count themselves (get_or_create
    on the primary) still work. Replay is resumed at the end."""
    results = []
    api = "/api/v1/search?q=" + "多节点测试文章0"
    old = layout.psql("pg1", f"SELECT title FROM govsites_search_searchdocument WHERE page_id = {item_id}")
    layout.psql("pg2", "SELECT pg_wal_replay_pause()")
    try:
        layout.psql("pg1", "UPDATE govsites_search_searchdocument SET title = '主库已更正的标题' "
                           f"WHERE page_id = {item_id}")

        def titles(response: httpx.Response) -> list[str]:
            return [r["title"] for r in response.json()["results"]]

        anonymous = titles(layout.get("b", api))
        pinned = titles(layout.get("b", api, cookies={"govsites_primary": "1"}))
        results.append(("an anonymous public API read is served from the (lagging) replica",
                        old in anonymous and "主库已更正的标题" not in anonymous
                        and "主库已更正的标题" in pinned,
                        f"(anonymous {anonymous[:2]}, after a write {pinned[:2]})"))
        editor = Editor(layout.url("b"))
        editor.login()
        saved = editor.save_draft(item_id, editor.edit_form(item_id), "副本延迟时保存的草稿")
        seen = editor.current_title(item_id)
        editor.close()
        results.append(("the admin reads its own write while the replica lags",
                        saved and seen == "副本延迟时保存的草稿", f"(the edit form shows {seen!r})"))
        query = f"副本延迟统计{secrets.token_hex(3)}"
        answers = [layout.get(n, "/api/v1/search?q=" + query).status_code for n in ("a", "b")]
        counted = layout.psql("pg1", "SELECT coalesce(sum(searches), 0) FROM "
                                     f"govsites_search_querystat WHERE query = '{query}'")
        results.append(("anonymous searches count themselves on the primary while the replica lags",
                        answers == [200, 200] and counted == "2",
                        f"(answers {answers}, counted {counted} on the primary)"))
    finally:
        layout.psql("pg2", "SELECT pg_wal_replay_resume()")
    wait_for(lambda: "主库已更正的标题" in layout.get("b", api).text,
             "the replica to catch up", timeout=30)
    return results


def _synced_get(layout: Layout, node: str, address: str) -> str:
    layout.govsites(node, "sync", check=False)
    return layout.get(node, address).text


@contextlib.contextmanager
def running_layout() -> Iterator[Layout]:
    work = Path(tempfile.mkdtemp(prefix="govsites-multinode-"))
    layout = Layout(work)
    try:
        step("PostgreSQL primary and streaming replica")
        layout.start_postgres()
        step("S3 server")
        layout.start_object_storage()
        step("migrate, a small cluster, publish, sync")
        layout.install()
        step("two application nodes, two workers, two nginx")
        layout.start_nodes()
        step("layout running")
        yield layout
    finally:
        layout.stop_all()
        if os.environ.get("GOVSITES_MULTINODE_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"multinode: logs kept in {work}")


def main() -> int:
    mode = sys.argv[1] if len(sys.argv) > 1 else "test"
    if mode not in ("up", "test"):
        print(__doc__)
        return 2
    started = STARTED
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("multinode: over time")))
    # SIGTERM (CI's timeout, systemd) and the deadline both unwind through running_layout's
    # cleanup, so no database, server or worker outlives this script.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(SystemExit(1)))
    if mode == "test":
        signal.alarm(DEADLINE_SECONDS)
    with running_layout() as layout:
        if mode == "up":
            print(f"nginx A http://127.0.0.1:{layout.ports['nginx_a']}/  nginx B "
                  f"http://127.0.0.1:{layout.ports['nginx_b']}/  (Host: localhost)")
            print(f"apps {layout.ports['app_a']}, {layout.ports['app_b']}; PostgreSQL "
                  f"{layout.ports['pg1']} (replica {layout.ports['pg2']}); S3 {layout.ports['s3']}")
            with contextlib.suppress(KeyboardInterrupt):
                signal.pause()
            return 0
        results = scenario(layout)
    passed = sum(ok for _n, ok, _d in results)
    print(f"multinode: {passed} passed, {len(results) - passed} failed "
          f"in {time.monotonic() - started:.0f}s")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
