"""The admin's Content-Security-Policy leaves Wagtail's editor working: a real Chromium opens
an item's edit page and its preview, and reports every CSP violation the pages cause."""

from __future__ import annotations

from typing import Any

import pytest

from govsites import testing
from govsites.publishing.testing import chromium_driver, chromium_paths, live_app, require

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

#: Installed before any page script runs (CDP), outside the page's CSP.
RECORD_VIOLATIONS = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__csp.push("
    "e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '')));"
)


def test_the_edit_page_and_the_preview_cause_no_csp_violation(
        superuser_client: Any, news_column: Any, tmp_path: Any) -> None:
    browser, driver_path = chromium_paths()
    require(browser is not None and driver_path is not None,
            "chromium and chromium-driver are not installed (apt-get install chromium "
            "chromium-driver)")
    item = testing.make_article(news_column, title="内容安全策略检查")
    session = superuser_client.cookies["sessionid"].value
    with live_app(share_connections=True) as address, \
            chromium_driver(tmp_path / "chromium") as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                               {"source": RECORD_VIOLATIONS})
        base = f"http://{address}"
        driver.get(f"{base}/admin/login/")
        driver.add_cookie({"name": "sessionid", "value": session, "path": "/"})
        for path in (f"/admin/pages/{item.pk}/edit/", f"/admin/pages/{item.pk}/view_draft/"):
            driver.get(base + path)
            assert "内容安全策略检查" in driver.page_source, path
            violations = driver.execute_script("return window.__csp")
            assert violations == [], (path, violations)
