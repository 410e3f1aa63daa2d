"""The host names the application answers: the site registry's, plus a few configured names.

Django's own ALLOWED_HOSTS is a fixed list; the cluster's sites are added and renamed in the
admin, so RegisteredHostMiddleware asks this module instead. The registry's names are cached
(shared cache: Redis in production) and the cache is dropped whenever a Site or SiteProfile is
saved or deleted, so a new site answers at once and a removed one stops answering.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port, validate_host

from govsites.core import generations

CACHE_KEY = "govsites:registered-hosts:v1"
CACHE_SECONDS = 60  # the bound for a process whose signals did not fire (another command)


def _idna(name: str) -> str:
    name = name.strip().lower().rstrip(".")
    return name if name.isascii() else name.encode("idna").decode("ascii")


def _load_registered_hosts() -> frozenset[str]:
    from wagtail.models import Site

    from govsites.sites.models import SiteProfile

    names = set(Site.objects.values_list("hostname", flat=True))
    for domain, chinese in SiteProfile.objects.values_list("domain", "chinese_domain"):
        names.update(n for n in (domain, chinese) if n)
    return frozenset(_idna(n) for n in names if n)


def registered_hosts() -> frozenset[str]:
    """Return every host name in the site registry (Wagtail sites and their profiles' domains)."""
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return frozenset(cached)
    global _last_known
    try:
        names = _load_registered_hosts()
    except DatabaseError:
        # Not migrated yet, or the database is down: a site that this process (or the
        # published tree) knows keeps answering, so its visitors get the 503 page and not 400.
        return _last_known | _published_hosts()
    _last_known = names
    cache.set(CACHE_KEY, sorted(names), CACHE_SECONDS)
    return names


_last_known: frozenset[str] = frozenset()


def _published_hosts() -> frozenset[str]:
    """The sites the published tree has a folder for (named by the sites' host names)."""
    from govsites.publishing.paths import publish_root

    try:
        return frozenset(_idna(p.name) for p in publish_root().iterdir()
                         if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return frozenset()


def forget_registered_hosts(**kwargs: Any) -> None:
    cache.delete(CACHE_KEY)


# --- the Wagtail site of a request, per host name and port ------------------------------
#
# Wagtail's Site.find_for_request runs one query with a CASE annotation per request (about
# 6 ms of CPU, an eighth of a citizen's submission) and keeps the answer on the request only.
# The answer for a host name and port is kept here in the cache (pickled, so each request gets
# its own copy), under a generation that a saved or deleted Site, or a root or home page,
# replaces; the cache is shared by the installation's processes (Redis, or the database cache
# without it), and CACHE_SECONDS bounds what a change whose signal did not fire leaves behind.

SITE_GENERATION_KEY = "govsites:site-for-host:generation"
_NO_SITE = "-"
HOME_DEPTH = 2  # the root page and the sites' home pages


def site_for_request(request: Any) -> Any:
    """The request's Wagtail Site (or None), as Site.find_for_request finds it, which returns
    the same from then on (it reads `request._wagtail_site`)."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    from wagtail.models import Site

    hostname = split_domain_port(request._get_raw_host())[0]
    key = f"govsites:site-for-host:{generations.current(SITE_GENERATION_KEY)}:{_idna(hostname)}:{request.get_port()}"
    kept = cache.get(key)
    if kept is None:
        site = Site._find_for_request(request)
        cache.set(key, _NO_SITE if site is None else site, CACHE_SECONDS)
    else:
        site = None if kept == _NO_SITE else kept
    request._wagtail_site = site
    return site


def forget_sites(sender: Any = None, instance: Any = None, **kwargs: Any) -> None:
    """Start a new generation of the kept sites (a signal receiver)."""
    from wagtail.models import Page, Site

    if isinstance(instance, Site) or (isinstance(instance, Page)
                                      and (instance.depth or 0) <= HOME_DEPTH):
        generations.renew(SITE_GENERATION_KEY)


def host_allowed(domain: str) -> bool:
    """Say whether a request's host name (without port) is one we answer."""
    if not domain:
        return False
    extra = list(getattr(settings, "GOVSITES_EXTRA_HOSTS", []))
    if validate_host(domain, extra):
        return True
    return _idna(domain) in registered_hosts()


def connect() -> None:
    """Drop the cached names whenever the registry changes (the config app connects it at start-up)."""
    from wagtail.models import Site

    from govsites.sites.models import SiteProfile

    for model in (Site, SiteProfile):
        post_save.connect(forget_registered_hosts, sender=model,
                          dispatch_uid=f"config.hosts.{model.__name__}.save")
        post_delete.connect(forget_registered_hosts, sender=model,
                            dispatch_uid=f"config.hosts.{model.__name__}.delete")
    # Any model: a Site, or a page of any type at the depth of the root and home pages.
    post_save.connect(forget_sites, dispatch_uid="config.hosts.sites.save")
    post_delete.connect(forget_sites, dispatch_uid="config.hosts.sites.delete")
