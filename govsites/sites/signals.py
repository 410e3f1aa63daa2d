"""Signals of the site registry that higher apps may listen to.

home_notices_changed(sender, root_page_ids)
    Sent after the commit that posted a 网站公告 (开通公告, 域名调整公告, 变更公告), and by the
    daily job for notices that begin or have ended: the home pages (Wagtail root page ids) that
    show other notices now. The publisher re-renders those pages.
"""

from __future__ import annotations

from django.dispatch import Signal

home_notices_changed = Signal()
