"""Security obligations judged from the installation itself: 国密 algorithms (RS-22)."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import InspectionFinding, make_finding
from ..gm_inventory import inventory, required_but_not_gm
from ..platform_rules import PlatformContext, platform_check


@platform_check("security.gm_crypto")
def gm_crypto(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """Each use that `required_uses` (丹东 第34条: all) asks to be 国密 and is not. The
    algorithms belong to the installation, so they are reported on the portal alone."""
    portal = ctx.profile.portal
    if portal is not None and portal.pk != ctx.profile.pk:
        return
    spec = ctx.rulebook.rule("security.gm_crypto")
    required = [str(use) for use in spec.param("required_uses")]
    for use in required_but_not_gm(inventory(), required):
        yield make_finding(
            spec, url=ctx.base_url + "/", source="database",
            evidence=f"{use.label}：{use.algorithm}（{use.where}）",
            message=f"{use.label}未使用国密算法" + (f"：{use.how_to_fix}" if use.how_to_fix else ""),
            extra={"use": use.use, "algorithm": use.algorithm})
