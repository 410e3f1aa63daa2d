"""Reads over what is published."""

from __future__ import annotations

from typing import Any

from .models import PublishedUrl, UrlState


def address_state(hostname: str, path: str) -> PublishedUrl | None:
    """Return the registry row of a public address that is no longer live (410 or 301)."""
    return (PublishedUrl.objects.filter(hostname=hostname, path=path)
            .exclude(state=UrlState.LIVE).first())


def manifest_rows() -> list[tuple[str, str, str, int]]:
    """Return the confirmed manifest: (hostname, path, SM3, size) of every file, in order.

    Rows of a write still in progress (or never written) are left out: they name no file
    that every node must have.
    """
    from .models import PublishedFile

    return list(PublishedFile.objects.exclude(sm3="").order_by("hostname", "path")
                .values_list("hostname", "path", "sm3", "size"))


def pending_paths() -> set[str]:
    """Return "hostname/path" of every row with a write in progress (not yet confirmed)."""
    from .models import PublishedFile

    return {f"{h}/{p}" for h, p in PublishedFile.objects.exclude(pending="")
            .values_list("hostname", "path")}


def manual_accessibility_results(profile: Any) -> dict[str, str]:
    """The latest manual result (pass, fail, not_applicable) of each WCAG 2.0 criterion
    evaluated on a site (PA-07)."""
    from .models import ManualAccessibilityCheck

    results: dict[str, str] = {}
    for criterion, result in (ManualAccessibilityCheck.objects.filter(site=profile)
                              .order_by("criterion", "-checked_on", "-pk")
                              .values_list("criterion", "result")):
        results.setdefault(criterion, result)
    return results
