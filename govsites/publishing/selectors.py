"""Reads over what is published."""

from __future__ import annotations

from .models import PublishedUrl, UrlState


def address_state(hostname: str, path: str) -> PublishedUrl | None:
    """Return the registry row of a public address that is no longer live (410 or 301)."""
    return (PublishedUrl.objects.filter(hostname=hostname, path=path)
            .exclude(state=UrlState.LIVE).first())
