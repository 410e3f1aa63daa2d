"""Entry points other apps add to the footer of every public page of a site.

Content sits below the apps that own those entry points (政府信息公开, for one) and must not
name them; an app registers a provider at startup instead. A provider takes the site's
registry record and returns (label, address) pairs; the footer shows them after 网站地图.
Providers run once per site per publishing run (the render cache), so they may query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FooterLinkProvider = Callable[[Any], list[tuple[str, str]]]

_providers: list[FooterLinkProvider] = []


def register(provider: FooterLinkProvider) -> None:
    """Add a provider (once; called from an app's ready())."""
    if provider not in _providers:
        _providers.append(provider)


def links_for(site_profile: Any) -> list[tuple[str, str]]:
    """Every registered provider's links for the site, in registration order."""
    links: list[tuple[str, str]] = []
    for provider in _providers:
        links += provider(site_profile)
    return links
