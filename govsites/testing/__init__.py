"""Builders for tests and benchmarks: a small valid cluster made through the real services."""

from __future__ import annotations

import itertools
from typing import Any

from wagtail.models import Page

from govsites.sites.validators import credit_code_check_char

_counter = itertools.count(1)


def make_credit_code(region: str = "441400", body: str | None = None) -> str:
    """Return a valid 统一社会信用代码 for a 机关 (prefix 11) in a region."""
    n = next(_counter)
    body = body or f"{n:08d}X"[-9:]
    first17 = f"11{region}{body}"
    return first17 + credit_code_check_char(first17)


def make_organisation(name: str | None = None, *, kind: str = "government",
                      parent: Any = None) -> Any:
    from govsites.sites.services import create_organisation

    n = next(_counter)
    return create_organisation(name=name or f"测试单位{n}", credit_code=make_credit_code(),
                               kind=kind, parent=parent, acting_user=None)


def make_site(*, name: str = "示例市人民政府", kind: str = "portal", organisation: Any = None,
              domain: str = "www.shili.gov.cn", hostname: str = "localhost",
              portal: Any = None, site_code: str | None = None, is_default: bool = True,
              home_title: str | None = None, hosting_region: str = "") -> Any:
    """Create a registered site with its home page under the tree root."""
    from govsites.content.models import SiteHomePage
    from govsites.sites.services import create_site, remove_placeholder_sites

    remove_placeholder_sites(hostname=hostname)
    organisation = organisation or make_organisation(name)
    root = Page.get_first_root_node()
    n = next(_counter)
    home = SiteHomePage(title=home_title or name, slug=f"site-{n}")
    root.add_child(instance=home)
    home.save_revision().publish()
    return create_site(
        root_page=home, hostname=hostname, port=80, is_default_site=is_default,
        acting_user=None, name=name, kind=kind, host_organisation=organisation, portal=portal,
        domain=domain, site_code=site_code or f"{4414000000 + n}", icp_number="粤ICP备05080000号-1",
        police_number="粤公网安备 44140202000001号", address="示例市人民大道1号",
        postcode="514000", phone="0753-1234567", email="web@shili.gov.cn", status="online",
        hosting_region=hosting_region,
    )


def make_column(parent: Page, *, title: str = "工作动态", column_type: str = "工作动态",
                owner: Any = None) -> Any:
    from govsites.content.services import create_column

    return create_column(parent=parent, title=title, column_type=column_type,
                         description=f"{title}栏目", keywords=title, acting_user=None,
                         owner_organisation=owner)


def make_article(column: Page, *, title: str = "测试文章", body: str = "<p>正文内容。</p>",
                 publish: bool = True, **fields: Any) -> Any:
    from govsites.content.models import ArticlePage
    from govsites.content.services import publish_item, unique_child_slug

    item = ArticlePage(title=title, slug=unique_child_slug(column, title), body=body, live=False,
                       **fields)
    column.add_child(instance=item)
    if publish:
        publish_item(item=item, acting_user=None)
    else:
        item.save_revision()
    item.refresh_from_db()
    return item


def make_policy(column: Page, *, title: str = "关于印发测试办法的通知", publish: bool = True,
                **fields: Any) -> Any:
    from govsites.content.models import PolicyDocumentPage
    from govsites.content.selectors import find_topic
    from govsites.content.services import publish_item, unique_child_slug

    fields.setdefault("issuing_authority", "示例市人民政府办公室")
    fields.setdefault("document_number", "示政办发〔2026〕1号")
    fields.setdefault("topic", find_topic("综合政务\\政务公开"))
    item = PolicyDocumentPage(title=title, slug=unique_child_slug(column, title),
                              body="<p>第一条 为规范……</p>", live=False, **fields)
    column.add_child(instance=item)
    if publish:
        publish_item(item=item, acting_user=None)
    item.refresh_from_db()
    return item


def make_image(title: str = "测试图片", *, size: tuple[int, int] = (120, 160)) -> Any:
    """A small PNG in the image library (a grey silhouette, as for a leader's photo)."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from wagtail.images.models import Image

    picture = PILImage.new("RGB", size, (225, 228, 232))
    draw = ImageDraw.Draw(picture)
    w, h = size
    draw.ellipse((w * 0.3, h * 0.15, w * 0.7, h * 0.45), fill=(150, 156, 164))
    draw.rectangle((w * 0.2, h * 0.52, w * 0.8, h), fill=(150, 156, 164))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="photo.png"))


def make_organisation_functions(column: Page, *, organisation: Any,
                                title: str = "机构职能", publish: bool = True) -> Any:
    """A 机构职能 item (CC-19) of an organisation, with duties, internal bodies and contacts."""
    from govsites.content.models import OrganisationFunctionsPage
    from govsites.content.services import publish_item, unique_child_slug

    item = OrganisationFunctionsPage(
        title=title, slug=unique_child_slug(column, title), organisation=organisation,
        duties="<p>（一）贯彻执行国家和省有关方针政策和法律法规。</p><p>（二）承办市政府交办的其他事项。</p>",
        internal_bodies="办公室：负责机关日常运转。\n政策法规科：负责政策研究和法制工作。",
        address="示例市人民大道1号", office_hours="工作日 8:30-12:00，14:30-17:30",
        phone="0753-1234567", postcode="514000", live=False)
    column.add_child(instance=item)
    if publish:
        publish_item(item=item, acting_user=None)
    item.refresh_from_db()
    return item


def make_leader(column: Page, *, name: str = "张明", position: str = "局长",
                publish: bool = True, photo: Any = None) -> Any:
    """A 负责人信息 item (CC-20) with a photo, CV and responsibilities."""
    from govsites.content.models import LeaderPage
    from govsites.content.services import publish_item, unique_child_slug

    item = LeaderPage(
        title=f"{position}　{name}", slug=unique_child_slug(column, name), person_name=name,
        position=position, photo=photo or make_image(f"{name}照片"),
        curriculum_vitae="<p>男，汉族，1975年3月生，大学学历。</p><p>2020年起任现职。</p>",
        responsibilities="主持全面工作。", live=False)
    column.add_child(instance=item)
    if publish:
        publish_item(item=item, acting_user=None)
    item.refresh_from_db()
    return item


def login_verified(client: Any, user: Any) -> Any:
    """Log a user into the admin with the second factor already passed in this session."""
    from govsites.accounts.totp import SESSION_VERIFIED_KEY

    client.force_login(user)
    session = client.session
    session[SESSION_VERIFIED_KEY] = True
    session.save()
    return client


def public_address(page: Page) -> str:
    """The page's public address relative to its site root (an item's short address, e.g.
    `/news/202612/t20261201_42.html`; a column's `/news/`), as published now."""
    from govsites.content.addresses import public_path

    page = Page.objects.get(pk=page.pk)
    return public_path(page, "/" + page.url_path.split("/", 2)[2])


def published_file(page: Page, *, hant: bool = False) -> str:
    """The file of the page in its site's published tree (relative to the site directory), as
    publishing/paths.py names it: an item's file address itself, a directory's index.html."""
    address = ("/zh-hant" if hant else "") + public_address(page)
    return address.lstrip("/") + ("index.html" if address.endswith("/") else "")
