"""`govsites nginx-config`: an nginx configuration for the published tree.

nginx serves every published file directly, picks the precompressed .gz the publisher wrote
beside it (gzip_static; nothing is compressed per request), maps ?page=N to index_N.html, and
sends everything else to the application: admin, search, forms, the mode switch, and any
address without a file.

Retired addresses (301/410 in the address registry) are answered by nginx itself from a `map`
include that the publisher rewrites whenever the registry changes (`write_retired_map`), then
tests and reloads nginx with the configured commands, restoring the previous map if the test
fails. An address missing from the map (a long or unusual one, or a map not yet reloaded)
still reaches the application, which answers from the registry. Error pages (404, 410, 500,
503) are the static files the publisher writes per site and variant (`errors.py`).
"""

from __future__ import annotations

import logging
import os
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from wagtail.models import Site

from .errors import ERROR_PAGES
from .paths import HANT_PREFIX, publish_root, write_atomic

logger = logging.getLogger(__name__)
MAP_KEY_MAX_BYTES = 240  # longer addresses are left to the application
_MAP_UNSAFE = set('"\\$;{}\'') | {chr(c) for c in range(32)} | {chr(127)}

# Paths the application answers: the admin, documents behind permission checks, the public
# search, the APIs, and the public's forms (interaction: 政民互动; disclosure: 依申请公开), each
# also under the 繁体 prefix where citizens can read the page in traditional characters.
DYNAMIC_LOCATION = (r"^/(admin|django-admin|documents|_govsites|api"
                    r"|(zh-hant/)?(search|interact|disclosure))(/|$)")

# The visit log (访问日志) that `govsites visits import` reads: one request per line, fields
# separated by tabs (nginx escapes tabs and quotes inside values as \xXX, so a tab always
# separates). The application writes the same format in embedded mode (operations app).
VISIT_LOG_FORMAT = "govsites_visits"
VISIT_LOG_FIELDS = ("$time_iso8601", "$govsites_site", "$remote_addr", "$request_method",
                    "$request_uri", "$status", "$http_referer", "$http_user_agent",
                    "$cookie_govsites_mode")


# Sites that are not served from the published tree (suspended, closed, migrated): higher
# apps (operations) register a function returning {Wagtail host name: "app" (hand every
# request to the application, which answers with the notice) or "301 <base URL>"}.
_SITE_OVERRIDES: list[Callable[[], dict[str, str]]] = []


def register_site_overrides(provider: Callable[[], dict[str, str]]) -> None:
    """Add a provider of per-site overrides (called from an app's ready())."""
    if provider not in _SITE_OVERRIDES:
        _SITE_OVERRIDES.append(provider)


def site_overrides() -> dict[str, str]:
    """Every registered provider's overrides, merged."""
    merged: dict[str, str] = {}
    for provider in _SITE_OVERRIDES:
        merged.update(provider())
    return merged


@dataclass(frozen=True)
class NginxOptions:
    upstream: str = "127.0.0.1:8000"
    listen: str = "80"
    hsts_max_age: int = 0  # 0: no Strict-Transport-Security (set it once HTTPS is in place)
    html_max_age: int = 60
    static_max_age: int = 7 * 24 * 3600
    tls_certificate: str = ""
    tls_certificate_key: str = ""
    visits_log: str = ""  # where each site's requests are logged for visit statistics
    # Seconds nginx keeps a published file's descriptor before looking at the disk again (0: no
    # cache). A republished page (written beside and renamed over) is served within this time.
    open_file_cache_valid: int = 1

    def upstreams(self) -> list[str]:
        """The application nodes (comma-separated host:port); nginx spreads requests over
        them and passes a request that could not be sent to one node on to the next."""
        return [u.strip() for u in self.upstream.split(",") if u.strip()]


@dataclass(frozen=True)
class SiteBlock:
    hostname: str
    server_names: list[str]


def _site_blocks() -> list[SiteBlock]:
    from govsites.sites.selectors import profile_for_site

    blocks = []
    for site in Site.objects.order_by("-is_default_site", "hostname"):
        names = [site.hostname]
        profile = profile_for_site(site)
        if profile is not None:
            for extra in (profile.domain, profile.chinese_domain):
                if extra and extra not in names:
                    names.append(extra.encode("idna").decode("ascii") if not extra.isascii()
                                 else extra)
        blocks.append(SiteBlock(site.hostname, names))
    return blocks


def content_security_policy() -> str:
    """The policy nginx sends with published pages: the application's own (settings.SECURE_CSP)."""
    from django.utils.csp import build_policy

    policy: dict[str, Any] = settings.SECURE_CSP
    return build_policy(policy)


def _headers(options: NginxOptions, indent: str, cache_control: str | None,
             csp: bool = True) -> str:
    lines = [
        'add_header X-Content-Type-Options "nosniff" always;',
        'add_header Referrer-Policy "strict-origin-when-cross-origin" always;',
        'add_header X-Frame-Options "SAMEORIGIN" always;',
        'add_header Permissions-Policy "camera=(), microphone=(), geolocation=()" always;',
    ]
    if csp:
        lines.append(f'add_header Content-Security-Policy "{content_security_policy()}" always;')
    if options.hsts_max_age:
        lines.append(f'add_header Strict-Transport-Security "max-age={options.hsts_max_age}; '
                     'includeSubDomains" always;')
    if cache_control:
        lines.append(f'add_header Cache-Control "{cache_control}";')
    return "".join(f"{indent}{line}\n" for line in lines)


def _proxy(indent: str) -> str:
    return (f"{indent}proxy_pass http://govsites_app;\n"
            f"{indent}proxy_http_version 1.1;\n"
            f'{indent}proxy_set_header Connection "";\n'
            f"{indent}proxy_set_header Host $host;\n"
            f"{indent}proxy_set_header X-Real-IP $remote_addr;\n"
            f"{indent}proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
            f"{indent}proxy_set_header X-Forwarded-Proto $scheme;\n"
            # Another node takes a request whose node failed before answering; a request
            # already sent (a form submission) is never sent twice.
            f"{indent}proxy_next_upstream error timeout http_502;\n"
            f"{indent}proxy_connect_timeout 2s;\n"
            f"{indent}gzip on;\n"
            f"{indent}gzip_types text/css application/json application/javascript "
            "application/xml text/xml;\n")


def retired_map_path() -> Path:
    """The map include of retired addresses (GOVSITES_NGINX_RETIRED_MAP, or beside the tree)."""
    configured = getattr(settings, "GOVSITES_NGINX_RETIRED_MAP", "")
    return Path(configured) if configured else publish_root().parent / "nginx" / "retired.map"


def _map_entry(hostname: str, path: str, value: str) -> str | None:
    key = f"{hostname}|{path}"
    if len(key.encode()) > MAP_KEY_MAX_BYTES or set(key + value) & _MAP_UNSAFE:
        return None
    return f'"{key}" "{value}";\n'


def retired_map_text() -> str:
    """Every retired address of every site, 简体 and 繁体, as `map` lines."""
    from .models import PublishedUrl, UrlState

    lines = ["# Generated by govsites on every change of the address registry; do not edit.\n"]
    for hostname, path, state, target in (PublishedUrl.objects.exclude(state=UrlState.LIVE)
                                          .order_by("hostname", "path")
                                          .values_list("hostname", "path", "state",
                                                       "target").iterator()):
        for prefix in ("", HANT_PREFIX):
            if state == UrlState.MOVED:
                if not target.startswith("/") or target.startswith("//"):
                    continue  # moved to another site: the application answers
                entry = _map_entry(hostname, prefix + path, f"301 {prefix}{target}")
            else:
                entry = _map_entry(hostname, prefix + path, "410")
            if entry:
                lines.append(entry)
    return "".join(lines)


def write_retired_map(*, reload: bool = True) -> bool:
    """Rewrite the map if the registry changed it; test and reload nginx. Return whether
    the file changed. A map that nginx refuses is replaced by the previous one again."""
    path = retired_map_path()
    text = retired_map_text().encode("utf-8")
    previous = path.read_bytes() if path.is_file() else None
    if previous == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
    if reload and not reload_nginx():
        if previous is None:
            path.unlink(missing_ok=True)
        else:
            write_atomic(path, previous)
        logger.error("nginx 拒绝了新的地址映射，已恢复原映射；退役地址仍由应用应答")
    return True


def configured_command(name: str) -> list[str]:
    """The argument list of a command setting (a string split like a shell, or a list)."""
    value = getattr(settings, name, "")
    return shlex.split(value) if isinstance(value, str) else list(value or [])


def reload_nginx() -> bool:
    """Run GOVSITES_NGINX_TEST_COMMAND then GOVSITES_NGINX_RELOAD_COMMAND (both optional)."""
    test, reload = configured_command("GOVSITES_NGINX_TEST_COMMAND"), configured_command("GOVSITES_NGINX_RELOAD_COMMAND")
    env = dict(os.environ)
    try:
        if test and subprocess.run(test, capture_output=True, env=env, timeout=60,
                                   check=False).returncode != 0:
            return False
        if reload:
            subprocess.run(reload, capture_output=True, env=env, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        logger.error("重新加载 nginx 失败：%s", exc)
        return False
    return True


def _error_pages(options: NginxOptions, indent: str) -> str:
    by_file: dict[str, list[str]] = {}
    for error in ERROR_PAGES.values():
        by_file.setdefault(error.file, []).append(str(error.status))
    lines = [f"{indent}error_page {' '.join(codes)} $govsites_variant/{name};\n"
             for name, codes in by_file.items()]
    # The application unreachable or too slow (stopped, restarting, every node down): a 503
    # with the site's maintenance page, as the application answers when its database is down.
    lines.append(f"{indent}error_page 502 504 =503 $govsites_variant/503.html;\n")
    codes = "|".join(str(s) for s in ERROR_PAGES)
    lines.append(f"{indent}location ~ ^({HANT_PREFIX})?/({codes})\\.html$ {{\n"
                 f"{indent}    internal;\n"
                 + _headers(options, indent + "    ", "no-store") + f"{indent}}}\n")
    return "".join(lines)


def _media_location(options: NginxOptions, media_root: Path) -> str:
    """Uploaded media: from local disk, or from the object store's bucket when one is
    configured (every node then serves the same files; deployment/storage.py)."""
    bucket = getattr(settings, "GOVSITES_S3_BUCKET", "")
    if bucket:
        endpoint = (settings.GOVSITES_S3.get("endpoint_url") or "https://s3.amazonaws.com")
        source = f"proxy_pass {endpoint.rstrip('/')}/{bucket}/media/;\n"
        return ("    location /media/ {\n        " + source
                + "        proxy_intercept_errors on;\n"
                + '        proxy_hide_header Set-Cookie;\n'
                + _headers(options, "        ", f"public, max-age={options.static_max_age}")
                + "    }\n")
    return ("    location /media/ {\n"
            + f"        alias {media_root}/;\n"
            + _headers(options, "        ", f"public, max-age={options.static_max_age}")
            + "    }\n")


def http_config(options: NginxOptions) -> str:
    """Return the http-level configuration (maps, upstream and one server per site)."""
    root = publish_root().resolve()
    retired = retired_map_path()
    if not retired.is_file():
        write_retired_map(reload=False)
    static_root = Path(settings.STATIC_ROOT).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    out = [
        "# Generated by `govsites nginx-config`; regenerate after adding a site.\n",
        # Before the first map: retired addresses can be long and many.
        "map_hash_bucket_size 256;\nmap_hash_max_size 4194304;\n",
        "map $arg_page $govsites_page_suffix {\n    default \"\";\n"
        '    "~^(?<govsites_n>[1-9][0-9]{0,8})$" "_$govsites_n";\n}\n',
        "map $cookie_govsites_mode $govsites_mode_css {\n    default mode-standard.css;\n"
        "    care mode-care.css;\n}\n",
        # The file a published address names: a folder's index (index_N.html for ?page=N),
        # else the address itself; one look at the disk for the common case.
        "map $uri $govsites_file {\n    \"~/$\" \"${uri}index${govsites_page_suffix}.html\";\n"
        "    default $uri;\n}\n",
        f"map $uri $govsites_variant {{\n    default \"\";\n    \"~^{HANT_PREFIX}(/|$)\" "
        f"{HANT_PREFIX};\n}}\n",
        f"map \"$govsites_site|$uri\" $govsites_retired {{\n    default \"\";\n"
        f"    include {retired.resolve()};\n}}\n",
        "upstream govsites_app {\n" + "".join(
            f"    server {server} max_fails=1 fail_timeout=5s;\n" for server in options.upstreams())
        + "    keepalive 32;\n}\n",
        f"log_format {VISIT_LOG_FORMAT} '{'\\t'.join(VISIT_LOG_FIELDS)}';\n",
    ]
    # Buffered: one write per 64 KiB of lines instead of one per request (the import counts
    # complete lines only, so a line still in the buffer is simply counted next time).
    visits_log = (f"    access_log {options.visits_log} {VISIT_LOG_FORMAT} buffer=64k flush=5s;\n"
                  if options.visits_log else "")
    # Descriptors and the symlink checks of published files kept open (never a missing file's
    # answer, so a newly published page is found at once).
    file_cache = (f"    open_file_cache max=20000 inactive=60s;\n"
                  f"    open_file_cache_valid {options.open_file_cache_valid}s;\n"
                  "    open_file_cache_min_uses 1;\n    open_file_cache_errors off;\n"
                  if options.open_file_cache_valid > 0 else "")
    tls = bool(options.tls_certificate and options.tls_certificate_key)
    overrides = site_overrides()
    for block in _site_blocks():
        override = overrides.get(block.hostname)
        if override is not None:
            out.append(_override_block(block, override, options, tls))
            continue
        listen = f"    listen {options.listen}{' ssl' if tls else ''};\n"
        tls_lines = ""
        if tls:
            tls_lines = (f"    ssl_certificate {options.tls_certificate};\n"
                         f"    ssl_certificate_key {options.tls_certificate_key};\n")
        html_cache = f"public, max-age={options.html_max_age}"
        out.append(
            "server {\n" + listen + tls_lines
            + f"    server_name {' '.join(block.server_names)};\n"
            + f"    root {root / block.hostname};\n"
            + f'    set $govsites_site "{block.hostname}";\n'
            + visits_log
            + "    absolute_redirect off;\n"
            + _error_pages(options, "    ")
            + "    charset utf-8;\n    charset_types application/xml text/xml text/plain;\n"
            + "    server_tokens off;\n    gzip off;\n    gzip_static on;\n"
            # The publisher never makes links: refuse any below the site directory.
            + "    disable_symlinks on from=$document_root;\n"
            + file_cache
            + "    etag on;\n    client_max_body_size 100m;\n"
            + "    location ~ /\\.(?!well-known/) {\n        return 404;\n    }\n"
            + "    location = /_govsites/mode.css {\n"
            + f"        alias {static_root}/govsites/$govsites_mode_css;\n"
            + "        default_type text/css;\n"
            + _headers(options, "        ", "private, no-cache")
            + "        add_header Vary Cookie;\n    }\n"
            + "    location /static/ {\n"
            + f"        alias {static_root}/;\n"
            + _headers(options, "        ", f"public, max-age={options.static_max_age}")
            + "    }\n"
            # Documents are served only by the application (/documents/…), which checks
            # whether the item they belong to may be seen; never straight from the disk.
            + "    location ^~ /media/documents/ {\n        return 404;\n    }\n"
            + _media_location(options, media_root)
            + f"    location ~ {DYNAMIC_LOCATION} {{\n" + _proxy("        ") + "    }\n"
            + "    location / {\n"
            + "        try_files $govsites_file $uri @govsites_app;\n"
            + _headers(options, "        ", html_cache)
            + "    }\n"
            + "    location @govsites_app {\n"
            + '        if ($govsites_retired ~ "^301 (.+)$") {\n'
            + "            return 301 $1$is_args$args;\n        }\n"
            + '        if ($govsites_retired = "410") {\n            return 410;\n        }\n'
            + _proxy("        ") + "    }\n"
            + "}\n")
    return "\n".join(out)


def _override_block(block: SiteBlock, override: str, options: NginxOptions, tls: bool) -> str:
    """A server for a site answered as a whole by the application or redirected elsewhere."""
    head = (f"server {{\n    listen {options.listen}{' ssl' if tls else ''};\n"
            + (f"    ssl_certificate {options.tls_certificate};\n"
               f"    ssl_certificate_key {options.tls_certificate_key};\n" if tls else "")
            + f"    server_name {' '.join(block.server_names)};\n"
            + f'    set $govsites_site "{block.hostname}";\n    server_tokens off;\n')
    if override.startswith("301 "):
        target = override[4:].rstrip("/")
        if set(target) & _MAP_UNSAFE or " " in target:
            raise ValueError(f"unsafe redirect target for {block.hostname}")
        return head + f"    return 301 {target}$request_uri;\n}}\n"
    return head + "    location / {\n" + _proxy("        ") + "    }\n}\n"


def standalone_config(options: NginxOptions, prefix: Path, *, workers: str = "auto",
                      mime_types: str = "/etc/nginx/mime.types", access_log: bool = False,
                      user: str | None = None) -> str:
    """Return a complete nginx.conf (for tests, benchmarks and a single-host install).

    `user` sets the worker user when nginx starts as root (tests run nginx as root on
    private temporary trees that only root can read)."""
    prefix = prefix.resolve()
    temp = prefix / "temp"
    log = f"access_log {prefix / 'access.log'};" if access_log else "access_log off;"
    return (
        (f"user {user};\n" if user else "")
        + f"worker_processes {workers};\n"
        f"pid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\n"
        "events {\n    worker_connections 4096;\n}\n"
        "http {\n"
        f"    include {mime_types};\n    default_type application/octet-stream;\n"
        f"    {log}\n"
        "    sendfile on;\n    tcp_nopush on;\n    tcp_nodelay on;\n"
        "    keepalive_timeout 65;\n    keepalive_requests 100000;\n"
        f"    client_body_temp_path {temp / 'body'};\n    proxy_temp_path {temp / 'proxy'};\n"
        f"    fastcgi_temp_path {temp / 'fastcgi'};\n    uwsgi_temp_path {temp / 'uwsgi'};\n"
        f"    scgi_temp_path {temp / 'scgi'};\n"
        + "".join(f"    {line}\n" for line in http_config(options).splitlines())
        + "}\n")
