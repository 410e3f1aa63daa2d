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
from django.http.request import validate_host

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
