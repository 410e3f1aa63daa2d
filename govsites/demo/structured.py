"""Demo 机构职能 (CC-19) and 负责人信息 (CC-20) items, made through the content services."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from django.core.files.images import ImageFile

from govsites.content.imports import resolve_column
from govsites.content.models import ImportedItem, LeaderPage, OrganisationFunctionsPage
from govsites.content.services import publish_item, unique_child_slug
from govsites.sites.models import Organisation, SiteProfile

DATA = Path(__file__).resolve().parent / "data"
Say = Callable[[str], None]


def _paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in lines)


def _silhouette(title: str) -> Any:
    """A neutral placeholder photo (the demo's people are fictional)."""
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from wagtail.images.models import Image

    picture = PILImage.new("RGB", (240, 320), (226, 229, 234))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((72, 48, 168, 150), fill=(150, 157, 166))
    draw.rounded_rectangle((40, 170, 200, 320), radius=48, fill=(150, 157, 166))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="leader.png"))


def _place(site_root: Any, external_id: str, column_ref: str, page: Any) -> bool:
    """Add and publish a page once (matched by external id); False when it exists."""
    if ImportedItem.objects.filter(site_root_id=site_root.pk, external_id=external_id).exists():
        return False
    column = resolve_column(site_root, column_ref)
    page.slug = unique_child_slug(column, external_id)
    column.add_child(instance=page)
    publish_item(item=page, acting_user=None)
    ImportedItem.objects.create(site_root_id=site_root.pk, external_id=external_id, page=page,
                                fingerprint="demo")
    return True


def load_structured_pages(*, sites: dict[str, SiteProfile], orgs: dict[str, Organisation],
                          say: Say) -> None:
    """Create the demo's 机构职能 and 领导信息 items (idempotent)."""
    spec = json.loads((DATA / "structured.json").read_text(encoding="utf-8"))
    for row in spec["functions"]:
        root = sites[row["site"]].site.root_page
        page = OrganisationFunctionsPage(
            title=row["title"], organisation=orgs[row["organisation"]],
            duties=_paragraphs(row["duties"]), internal_bodies="\n".join(row["internal_bodies"]),
            address=row["address"], office_hours=row["office_hours"], phone=row["phone"],
            fax=row.get("fax", ""), email=row.get("email", ""), postcode=row.get("postcode", ""),
            live=False)
        if _place(root, row["external_id"], row["column"], page):
            say(f"  机构职能：{page.title}")
    for row in spec["leaders"]:
        root = sites[row["site"]].site.root_page
        if ImportedItem.objects.filter(site_root_id=root.pk,
                                       external_id=row["external_id"]).exists():
            continue
        page = LeaderPage(
            title=f"{row['position']}　{row['name']}", person_name=row["name"],
            position=row["position"], photo=_silhouette(f"{row['name']}（示例照片）"),
            curriculum_vitae=_paragraphs(row["cv"]), responsibilities=row["responsibilities"],
            live=False)
        if _place(root, row["external_id"], row["column"], page):
            say(f"  领导信息：{page.title}")
