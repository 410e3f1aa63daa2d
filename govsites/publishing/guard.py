"""网页防篡改: compare the published tree (and the live HTTP answers) with the manifest.

Modified, injected (unknown new) and deleted files are reported and audited one by one; with
restore, modified and deleted files are re-rendered from the database and injected files are
moved to a quarantine folder (kept as evidence, never served).
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from govsites.core import audit
from govsites.core.audit import sm3_hex

from .errors import ERROR_PAGES
from .models import PublishedFile
from .paths import GZIP_SUFFIX, HANT_PREFIX, INDEX, is_temp_name, publish_root
from .publisher import Publisher
from .render import RenderSession, prefix_like_indexes
from .targets import Target

TEMP_GRACE_SECONDS = 300  # a publisher's temp file younger than this is a write in progress
MAX_AUDITED_INCIDENTS = 1000


@dataclass(frozen=True)
class Incident:
    # modified | injected | deleted | symlink | http_modified | http_unavailable; leftovers
    # (not tampering): unfinished (a killed publish's announced write) | stale_temp
    kind: str
    hostname: str
    path: str
    expected: str = ""
    found: str = ""


@dataclass
class GuardReport:
    checked_files: int = 0
    checked_urls: int = 0
    incidents: list[Incident] = field(default_factory=list)
    leftovers: list[Incident] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    rebuilt_sites: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def clean(self) -> bool:
        return not self.incidents and not self.alerts

    def summary(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for inc in self.incidents:
            counts[inc.kind] = counts.get(inc.kind, 0) + 1
        return {"checked_files": self.checked_files, "checked_urls": self.checked_urls,
                "incidents": counts, "leftovers": len(self.leftovers),
                "restored": len(self.restored), "quarantined": len(self.quarantined),
                "alerts": self.alerts, "rebuilt_sites": self.rebuilt_sites,
                "seconds": round(self.seconds, 2)}


@dataclass(frozen=True)
class Row:
    """A manifest row as the guard reads it."""

    sm3: str
    size: int
    pending: str
    pending_size: int | None
    target: str

    def accepts(self, digest: str, size: int) -> bool:
        """The file is the confirmed version, or the version a publish announced."""
        if (digest, size) == (self.sm3, self.size) and self.sm3:
            return True
        return self.pending not in ("", "-") and (digest, size) == (self.pending,
                                                                    self.pending_size)

    @property
    def unfinished(self) -> bool:
        return bool(self.pending) or not self.sm3


@dataclass
class TreeScan:
    checked: int = 0
    incidents: list[Incident] = field(default_factory=list)
    leftovers: list[Incident] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)  # host -> regular files on disk
    rows: dict[str, int] = field(default_factory=dict)  # host -> manifest rows
    malformed: int = 0


def _file_digest(path: Path) -> tuple[str, int]:
    data = path.read_bytes()
    return sm3_hex(data), len(data)


_SM3_HEX = re.compile(r"^[0-9a-f]{64}$")


def _well_formed(path: str, row: Row) -> bool:
    """A manifest row the publisher could have written (anything else: the manifest is bad)."""
    if not path or path.startswith("/") or ".." in path.split("/") or "\x00" in path:
        return False
    if row.sm3 and not _SM3_HEX.match(row.sm3):
        return False
    if row.pending not in ("", "-") and not _SM3_HEX.match(row.pending):
        return False
    try:
        Target.parse(row.target)
    except ValueError:
        return False
    return True


def _load_manifest(scan: TreeScan) -> dict[str, dict[str, Row]]:
    manifest: dict[str, dict[str, Row]] = {}
    for host, path, digest, size, pending, pending_size, target in (
            PublishedFile.objects.values_list("hostname", "path", "sm3", "size", "pending",
                                              "pending_size", "target").iterator(
                                                  chunk_size=5000)):
        row = Row(digest, size, pending, pending_size, target)
        if not _well_formed(path, row):
            scan.malformed += 1
        manifest.setdefault(host, {})[path] = row
    for host, rows in manifest.items():
        scan.rows[host] = len(rows)
    return manifest


def _row_now(host: str, rel: str) -> Row | None:
    """Read one row again: a publish may have announced the file after the scan began."""
    found = (PublishedFile.objects.filter(hostname=host, path=rel)
             .values_list("sm3", "size", "pending", "pending_size", "target").first())
    return Row(*found) if found else None


def scan_tree() -> TreeScan:
    """Walk the whole published tree against the manifest.

    The walk does not follow links and reports every symbolic link (a file or a directory)
    as an incident: the publisher never makes one, and a link is how a planted directory
    would expose files from elsewhere on the server.
    """
    root = publish_root()
    scan = TreeScan()
    manifest = _load_manifest(scan)
    seen: dict[str, set[str]] = {}
    suspects: list[tuple[str, str, Path]] = []
    now = time.time()
    if root.is_dir():
        for dirpath, dirnames, filenames in os.walk(root):
            base = Path(dirpath)
            for name in list(dirnames):
                if (base / name).is_symlink():
                    dirnames.remove(name)
                    host, _, rel = (base / name).relative_to(root).as_posix().partition("/")
                    scan.incidents.append(Incident("symlink", host, rel,
                                                   found=os.readlink(base / name)))
            for name in filenames:
                full = base / name
                host, _, rel = full.relative_to(root).as_posix().partition("/")
                if full.is_symlink():
                    scan.incidents.append(Incident("symlink", host, rel,
                                                   found=os.readlink(full)))
                    seen.setdefault(host, set()).add(rel)
                    continue
                if is_temp_name(name):
                    try:
                        if now - full.stat().st_mtime >= TEMP_GRACE_SECONDS:
                            scan.leftovers.append(Incident("stale_temp", host, rel))
                    except FileNotFoundError:
                        pass
                    continue
                scan.checked += 1
                scan.files[host] = scan.files.get(host, 0) + 1
                expected = manifest.get(host, {}).get(rel) if rel else None
                if expected is None:
                    suspects.append((host, rel or host, full))
                    continue
                seen.setdefault(host, set()).add(rel)
                _judge(scan, host, rel, full, expected, suspects)
    for host, rel, full in suspects:  # confirm against the database as it is now
        row = _row_now(host, rel)
        if row is None:
            scan.incidents.append(Incident("injected", host, rel))
        else:
            seen.setdefault(host, set()).add(rel)
            _judge(scan, host, rel, full, row, None)
    for host, files in manifest.items():
        for rel in sorted(set(files) - seen.get(host, set())):
            if (root / host / rel).is_file():
                continue
            row = _row_now(host, rel)
            if row is None:
                continue  # removed meanwhile by a publish
            if row.unfinished:
                scan.leftovers.append(Incident("unfinished", host, rel, row.sm3))
            else:
                scan.incidents.append(Incident("deleted", host, rel, row.sm3))
    return scan


def _judge(scan: TreeScan, host: str, rel: str, full: Path, row: Row,
           suspects: list[tuple[str, str, Path]] | None) -> None:
    try:
        size = full.stat().st_size
        sizes = {row.size, row.pending_size}
        digest, size = _file_digest(full) if size in sizes else ("", size)
    except FileNotFoundError:
        return  # replaced under us; the deleted check decides
    if digest and (digest, size) == (row.sm3, row.size) and not row.pending:
        return
    if row.accepts(digest, size):
        scan.leftovers.append(Incident("unfinished", host, rel, row.sm3, digest))
        return
    if suspects is not None and row.pending:
        suspects.append((host, rel, full))  # a publish is writing it: look again at the end
        return
    scan.incidents.append(Incident("modified", host, rel, row.sm3, digest))


@dataclass(frozen=True)
class Plausibility:
    ok: bool
    reason: str = ""
    hosts: tuple[str, ...] = ()


def judge_manifest(scan: TreeScan) -> Plausibility:
    """Decide whether the manifest can be trusted to say what is ours.

    A lost or truncated manifest makes every published file look injected; quarantining on
    its word would take the sites down. Untrustworthy: malformed rows, or a registered site
    whose tree holds files the manifest mostly does not know.
    """
    if scan.malformed:
        return Plausibility(False, f"发布清单中有 {scan.malformed} 条格式错误的记录",
                            tuple(sorted(scan.rows)))
    share = float(getattr(settings, "GOVSITES_GUARD_IMPLAUSIBLE_SHARE", 0.5))
    minimum = int(getattr(settings, "GOVSITES_GUARD_IMPLAUSIBLE_MIN_FILES", 20))
    sites = set(Site.objects.values_list("hostname", flat=True))
    unknown: dict[str, int] = {}
    for inc in scan.incidents:
        if inc.kind == "injected":
            unknown[inc.hostname] = unknown.get(inc.hostname, 0) + 1
    bad = []
    for host, files in scan.files.items():
        if host not in sites:
            continue  # a planted directory: its files are injected, not ours
        n = unknown.get(host, 0)
        if scan.rows.get(host, 0) == 0 and n:
            bad.append((host, f"站点 {host} 的发布目录有 {files} 个文件，发布清单中没有记录"))
        elif n >= minimum and n > share * files:
            bad.append((host, f"站点 {host} 的发布目录有 {files} 个文件，其中 {n} 个不在发布清单中"))
    if not bad:
        return Plausibility(True)
    return Plausibility(False, "；".join(r for _h, r in bad), tuple(h for h, _r in bad))


def url_for_file(path: str) -> str | None:
    """Return the public address a tree file answers (None for .gz companions and for the
    error pages, which nginx shows only in place of another answer)."""
    if path.endswith(GZIP_SUFFIX):
        return None
    if path.removeprefix(HANT_PREFIX.lstrip("/") + "/") in {e.file for e in ERROR_PAGES.values()}:
        return None
    head, _, name = path.rpartition("/")
    prefix = "/" + (head + "/" if head else "")
    if name == INDEX:
        return prefix
    if name.startswith("index_") and name.endswith(".html"):
        return f"{prefix}?page={name[6:-5]}"
    return "/" + path


def check_allowed(base_url: str) -> None:
    """Refuse a base URL outside GOVSITES_OUTBOUND_ALLOWED_NETWORKS."""
    networks = getattr(settings, "GOVSITES_OUTBOUND_ALLOWED_NETWORKS", [])
    if not networks:
        return
    host = urlsplit(base_url).hostname or ""
    allowed = [ipaddress.ip_network(n) for n in networks]
    for info in socket.getaddrinfo(host, None):
        address = ipaddress.ip_address(info[4][0])
        if not any(address in net for net in allowed):
            raise PermissionError(f"{host} ({address}) is outside the allowed networks")


def scan_http(base_url: str, hostnames: list[str] | None = None) -> tuple[int, list[Incident]]:
    """Fetch every published address from a live server (Host header per site) and compare
    the body with the manifest; HTML is also fetched gzip-encoded and compared with its .gz."""
    import httpx

    check_allowed(base_url)
    incidents: list[Incident] = []
    rows = PublishedFile.objects.all()
    if hostnames:
        rows = rows.filter(hostname__in=hostnames)
    manifest = {(h, p): d for h, p, d in rows.values_list("hostname", "path", "sm3")}
    checked = 0
    with httpx.Client(base_url=base_url.rstrip("/"), timeout=15, follow_redirects=False,
                      trust_env=False) as client:
        for (host, path), digest in sorted(manifest.items()):
            url = url_for_file(path)
            if url is None:
                continue
            checked += 1
            variants = [("identity", digest)]
            gz = manifest.get((host, path + GZIP_SUFFIX))
            if gz is not None:
                variants.append(("gzip", gz))
            for encoding, expected in variants:
                try:
                    with client.stream("GET", url, headers={"Host": host,
                                                            "Accept-Encoding": encoding}) as resp:
                        body = b"".join(resp.iter_raw())
                        served_encoding = resp.headers.get("content-encoding", "identity")
                except httpx.HTTPError as exc:
                    incidents.append(Incident("http_unavailable", host, path, expected,
                                              f"{type(exc).__name__}: {exc}"[:200]))
                    break
                if resp.status_code != 200:
                    incidents.append(Incident("http_unavailable", host, path, expected,
                                              f"HTTP {resp.status_code}"))
                    break
                if served_encoding != encoding:
                    continue  # a server may choose not to compress; the identity check rules
                found = sm3_hex(body)
                if found != expected:
                    incidents.append(Incident("http_modified", host,
                                              path + (GZIP_SUFFIX if encoding == "gzip" else ""),
                                              expected, found))
    return checked, incidents


def _quarantine(incident: Incident, stamp: str) -> str | None:
    """Move an injected file, or a planted link (never what it points to), out of the tree."""
    root = publish_root()
    source = root / incident.hostname / incident.path if incident.path else root / incident.hostname
    if not os.path.lexists(source):
        return None
    if not source.is_symlink() and not source.is_file():
        return None
    data_dir = Path(getattr(settings, "DATA_DIR", root.parent))
    dest = data_dir / "guard-quarantine" / stamp / incident.hostname / incident.path
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(source), dest)  # a link is moved as a link
    return str(dest)


def verify(*, restore: bool = False, url: str | None = None, acting_user: Any = None
           ) -> GuardReport:
    """Check the tree (and, with url, the live answers); audit every incident; restore.

    When the manifest cannot be trusted (judge_manifest), nothing is quarantined: the guard
    raises an alert and, with restore, rebuilds the affected sites from the database.
    """
    started = time.perf_counter()
    report = GuardReport()
    scan = scan_tree()
    report.checked_files, report.incidents, report.leftovers = (scan.checked, scan.incidents,
                                                                scan.leftovers)
    if url:
        report.checked_urls, http_incidents = scan_http(url)
        report.incidents += http_incidents
    plausible = judge_manifest(scan)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    with transaction.atomic():
        for incident in report.incidents[:MAX_AUDITED_INCIDENTS]:
            audit.record(action="publishing.guard.incident", actor=acting_user, details={
                "kind": incident.kind, "hostname": incident.hostname, "path": incident.path,
                "expected_sm3": incident.expected, "found": incident.found})
        if len(report.incidents) > MAX_AUDITED_INCIDENTS:
            audit.record(action="publishing.guard.incident", actor=acting_user, details={
                "kind": "truncated", "total": len(report.incidents),
                "audited": MAX_AUDITED_INCIDENTS})
    if not plausible.ok:
        _alert(report, plausible, restore, acting_user)
        if restore:
            _rebuild_instead(report, plausible, acting_user)
    elif restore and (report.incidents or report.leftovers):
        _restore(report, stamp, acting_user)
    _signal_incidents(report, restored=restore)
    report.seconds = time.perf_counter() - started
    return report


def _signal_incidents(report: GuardReport, *, restored: bool) -> None:
    """Tell listeners (operations' 安全事件 records) which sites were tampered with."""
    from .signals import guard_incidents

    by_host: dict[str, list[dict[str, str]]] = {}
    for incident in report.incidents:
        if incident.kind != "http_unavailable":  # an outage is the prober's, not tampering
            by_host.setdefault(incident.hostname, []).append(
                {"kind": incident.kind, "path": incident.path})
    for host, incidents in by_host.items():
        guard_incidents.send_robust(sender=verify, hostname=host, incidents=incidents,
                                    restored=restored)


def _alert(report: GuardReport, plausible: Plausibility, restore: bool, acting_user: Any
           ) -> None:
    """Record the alert where guard findings live (the audit trail) and signal it."""
    from .signals import guard_alert

    message = (f"发布清单不可信，已拒绝隔离文件：{plausible.reason}"
               + ("；已改为从数据库重新生成站点" if restore else "；请运行 guard verify --restore 从数据库重新生成"))
    report.alerts.append(message)
    details = {"kind": "manifest_implausible", "reason": plausible.reason,
               "hosts": list(plausible.hosts), "rebuild": restore,
               "unknown_files": sum(1 for i in report.incidents if i.kind == "injected")}
    with transaction.atomic():
        audit.record(action="publishing.guard.alert", actor=acting_user, details=details)
    for host in plausible.hosts or ("",):
        guard_alert.send_robust(sender=verify, kind="manifest_implausible", hostname=host,
                                message=message, details=details)


def _rebuild_instead(report: GuardReport, plausible: Plausibility, acting_user: Any) -> None:
    from .services import rebuild_sites

    site_ids = list(Site.objects.filter(hostname__in=plausible.hosts).values_list("pk",
                                                                                 flat=True))
    result = rebuild_sites(acting_user=acting_user, site_ids=site_ids or None)
    report.rebuilt_sites = result.sites


def _restore(report: GuardReport, stamp: str, acting_user: Any) -> None:
    targets: set[Target] = set()
    for incident in report.incidents + report.leftovers:
        if incident.kind in ("injected", "symlink", "stale_temp"):
            moved = _quarantine(incident, stamp)
            if moved and incident.kind != "stale_temp":
                report.quarantined.append(f"{incident.hostname}/{incident.path}")
            if incident.kind != "symlink":
                continue  # a link may stand where a published file belongs: re-render it
        path = incident.path.removesuffix(GZIP_SUFFIX) if incident.kind == "http_modified" \
            else incident.path
        key = (PublishedFile.objects.filter(hostname=incident.hostname, path=path)
               .values_list("target", flat=True).first())
        if key:
            targets.add(Target.parse(key))
            if incident.kind != "unfinished":
                report.restored.append(f"{incident.hostname}/{incident.path}")
    if targets:
        with prefix_like_indexes():
            Publisher(RenderSession.load(), force=True).write_targets(sorted(targets))
    with transaction.atomic():
        audit.record(action="publishing.guard.restore", actor=acting_user, details={
            "restored": report.restored[:200], "quarantined": report.quarantined[:200],
            "targets": sorted(t.key for t in targets)[:200],
            "restored_count": len(report.restored),
            "quarantined_count": len(report.quarantined),
            "leftovers_repaired": len(report.leftovers)})
