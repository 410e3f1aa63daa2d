"""Reads for organisations and sites."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.models import Page, Site

from .choices import OrganisationKind
from .models import AccessibilityEvaluation, Organisation, SiteClock, SiteNotice, SiteProfile


def profile_for_site(site: Site | None) -> SiteProfile | None:
    """Return the registry record of a Wagtail site, or None for an unregistered site."""
    if site is None:
        return None
    try:
        return SiteProfile.objects.select_related(
            "host_organisation", "portal", "site").get(site__root_page_id=site.root_page_id)
    except SiteProfile.DoesNotExist:
        return None
    except SiteProfile.MultipleObjectsReturned:
        return SiteProfile.objects.select_related("host_organisation", "portal", "site").get(
            site=site)


_REQUEST_ATTR = "_govsites_site_profile"


def profile_for_request(request: HttpRequest) -> SiteProfile | None:
    """Return the registry record of the site answering this request (read once per request:
    a dynamic page asks for it from its view, its rate limit and its template tags)."""
    if hasattr(request, _REQUEST_ATTR):
        return getattr(request, _REQUEST_ATTR)
    profile = profile_for_site(Site.find_for_request(request))
    setattr(request, _REQUEST_ATTR, profile)
    return profile


def profile_for_page(page: Page) -> SiteProfile | None:
    """Return the registry record of the site whose tree holds this page."""
    return profile_for_site(page.get_site())


def all_sites() -> QuerySet[SiteProfile]:
    """Every registered site, portal first."""
    return SiteProfile.objects.select_related("host_organisation", "site").order_by("kind", "name")


SITE_DIRECTORY_KEY = "govsites:sites:directory"
SITE_DIRECTORY_SECONDS = 3600


def site_directory() -> list[dict[str, Any]]:
    """Every registered site as plain values (pk, site_id, name, kind, status, portal_id,
    hostname, root_url), portal first; cached until a Site or SiteProfile changes (the sites
    app drops the entry), so a page render or a search does not read the whole registry."""
    from django.core.cache import cache

    cached = cache.get(SITE_DIRECTORY_KEY)
    if cached is not None:
        return list(cached)
    rows = [{"pk": p.pk, "site_id": p.site_id, "name": p.name, "kind": p.kind,
             "status": p.status, "portal_id": p.portal_id, "hostname": p.site.hostname,
             "root_url": str(p.site.root_url)} for p in all_sites()]
    cache.set(SITE_DIRECTORY_KEY, rows, SITE_DIRECTORY_SECONDS)
    return rows


def forget_site_directory(**kwargs: Any) -> None:
    """Drop the cached directory (connected to Site and SiteProfile changes)."""
    from django.core.cache import cache

    cache.delete(SITE_DIRECTORY_KEY)


def organisations() -> QuerySet[Organisation]:
    """Every organisation, by name."""
    return Organisation.objects.select_related("parent").order_by("name")



def latest_accessibility_evaluation(profile: SiteProfile) -> AccessibilityEvaluation | None:
    """The site's most recent 适老化 / 无障碍 evaluation (PA-12), if any."""
    return profile.accessibility_evaluations.order_by("-evaluated_on", "-pk").first()


def departments_of(organisation: Organisation) -> QuerySet[Organisation]:
    """The government departments (政府部门) directly under an organisation."""
    return organisation.children.filter(kind=OrganisationKind.DEPARTMENT).order_by("name")


def notices_in_force(profile: SiteProfile, *, today: Any = None) -> list[SiteNotice]:
    """The 网站公告 a site's home page shows today (开通公告 of its new sites, domain and registry
    change notices), newest first."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return list(SiteNotice.objects.filter(shown_on=profile, starts_on__lte=today,
                                          ends_on__gte=today).order_by("-starts_on", "-pk"))


def lifecycle_of(profile: SiteProfile) -> dict[str, Any]:
    """Everything the 开办与时限 screen shows for one site: filings, clocks, notices."""
    return {"filings": list(profile.filings.order_by("kind")),
            "clocks": list(profile.clocks.order_by("-started_on", "-pk")),
            "notices": list(SiteNotice.objects.filter(about=profile).select_related("shown_on")
                            .order_by("-starts_on", "-pk"))}


def open_clocks() -> QuerySet[SiteClock]:
    """Every clock not yet completed, the earliest deadline first (no deadline last)."""
    from django.db.models import F

    return (SiteClock.objects.filter(completed_on__isnull=True).select_related("site")
            .order_by(F("due_on").asc(nulls_last=True), "pk"))
