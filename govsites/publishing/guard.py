"""网页防篡改: compare the published tree (and the live HTTP answers) with the manifest.

Modified, injected (unknown new) and deleted files are reported and audited one by one; with
restore, modified and deleted files are re-rendered from the database and injected files are
moved to a quarantine folder (kept as evidence, never served).
"""

from __future__ import annotations

import ipaddress
import os
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

from govsites.core import audit
from govsites.core.audit import sm3_hex

from .models import PublishedFile
from .paths import GZIP_SUFFIX, INDEX, is_temp_name, publish_root
from .publisher import Publisher
from .render import RenderSession, prefix_like_indexes
from .targets import Target

TEMP_GRACE_SECONDS = 300  # a publisher's temp file younger than this is a write in progress
MAX_AUDITED_INCIDENTS = 1000


@dataclass(frozen=True)
class Incident:
    kind: str  # modified | injected | deleted | http_modified | http_unavailable
    hostname: str
    path: str
    expected: str = ""
    found: str = ""


@dataclass
class GuardReport:
    checked_files: int = 0
    checked_urls: int = 0
    incidents: list[Incident] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def clean(self) -> bool:
        return not self.incidents

    def summary(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for inc in self.incidents:
            counts[inc.kind] = counts.get(inc.kind, 0) + 1
        return {"checked_files": self.checked_files, "checked_urls": self.checked_urls,
                "incidents": counts, "restored": len(self.restored),
                "quarantined": len(self.quarantined), "seconds": round(self.seconds, 2)}


def _file_digest(path: Path) -> tuple[str, int]:
    data = path.read_bytes()
    return sm3_hex(data), len(data)


def scan_tree() -> tuple[int, list[Incident]]:
    """Walk the whole published tree against the manifest; return (files checked, incidents)."""
    root = publish_root()
    manifest: dict[str, dict[str, tuple[str, int]]] = {}
    for host, path, digest, size in PublishedFile.objects.values_list(
            "hostname", "path", "sm3", "size").iterator(chunk_size=5000):
        manifest.setdefault(host, {})[path] = (digest, size)
    incidents: list[Incident] = []
    checked = 0
    seen: dict[str, set[str]] = {}
    now = time.time()
    if root.is_dir():
        for dirpath, _dirnames, filenames in os.walk(root):
            for name in filenames:
                full = Path(dirpath) / name
                rel_root = full.relative_to(root).as_posix()
                host, _, rel = rel_root.partition("/")
                if is_temp_name(name):
                    try:
                        if now - full.stat().st_mtime < TEMP_GRACE_SECONDS:
                            continue
                    except FileNotFoundError:
                        continue
                expected = manifest.get(host, {}).get(rel) if rel else None
                checked += 1
                if expected is None:
                    incidents.append(Incident("injected", host, rel or rel_root))
                    continue
                seen.setdefault(host, set()).add(rel)
                try:
                    size = full.stat().st_size
                    digest, size = _file_digest(full) if size == expected[1] else ("", size)
                except FileNotFoundError:
                    continue  # replaced under us; the deleted check below decides
                if size != expected[1] or digest != expected[0]:
                    incidents.append(Incident("modified", host, rel, expected[0], digest))
    for host, files in manifest.items():
        missing = set(files) - seen.get(host, set())
        for rel in sorted(missing):
            if not (root / host / rel).is_file():
                incidents.append(Incident("deleted", host, rel, files[rel][0]))
    return checked, incidents


def url_for_file(path: str) -> str | None:
    """Return the public address a tree file answers (None for .gz companions)."""
    if path.endswith(GZIP_SUFFIX):
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
    root = publish_root()
    source = root / incident.hostname / incident.path if incident.path else root / incident.hostname
    if not source.is_file():
        return None
    data_dir = Path(getattr(settings, "DATA_DIR", root.parent))
    dest = data_dir / "guard-quarantine" / stamp / incident.hostname / incident.path
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(source), dest)
    return str(dest)


def verify(*, restore: bool = False, url: str | None = None, acting_user: Any = None
           ) -> GuardReport:
    """Check the tree (and, with url, the live answers); audit every incident; restore."""
    started = time.perf_counter()
    report = GuardReport()
    report.checked_files, report.incidents = scan_tree()
    if url:
        report.checked_urls, http_incidents = scan_http(url)
        report.incidents += http_incidents
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
    if restore and report.incidents:
        _restore(report, stamp, acting_user)
    report.seconds = time.perf_counter() - started
    return report


def _restore(report: GuardReport, stamp: str, acting_user: Any) -> None:
    targets: set[Target] = set()
    for incident in report.incidents:
        if incident.kind == "injected":
            moved = _quarantine(incident, stamp)
            if moved:
                report.quarantined.append(f"{incident.hostname}/{incident.path}")
            continue
        path = incident.path.removesuffix(GZIP_SUFFIX) if incident.kind == "http_modified" \
            else incident.path
        key = (PublishedFile.objects.filter(hostname=incident.hostname, path=path)
               .values_list("target", flat=True).first())
        if key:
            targets.add(Target.parse(key))
            report.restored.append(f"{incident.hostname}/{incident.path}")
    if targets:
        with prefix_like_indexes():
            Publisher(RenderSession.load(), force=True).write_targets(sorted(targets))
    with transaction.atomic():
        audit.record(action="publishing.guard.restore", actor=acting_user, details={
            "restored": report.restored[:200], "quarantined": report.quarantined[:200],
            "targets": sorted(t.key for t in targets)[:200],
            "restored_count": len(report.restored),
            "quarantined_count": len(report.quarantined)})
