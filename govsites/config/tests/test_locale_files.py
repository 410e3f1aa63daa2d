"""The platform's own translations (govsites/locale): compiled, and winning over the apps'."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_FILES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def read_po(path: Path) -> list[dict[str, str]]:
    """Parse the entries of a .po file (msgctxt, msgid, msgid_plural, msgstr / msgstr[0])."""
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current.get("msgid"):
                entries.append(current)
            current, key = {}, ""
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            current[key.replace("msgstr[0]", "msgstr")] = ast.literal_eval(value)
    return entries


def test_the_platform_keeps_its_own_simplified_chinese_catalogues():
    assert {p.name for p in PO_FILES} == {"django.po", "djangojs.po"}


def test_every_compiled_catalogue_matches_its_po_file():
    for po in PO_FILES:
        with po.with_suffix(".mo").open("rb") as mo:
            catalogue = gettext.GNUTranslations(mo)
        for entry in read_po(po):
            if "msgid_plural" in entry:
                got = catalogue.npgettext(entry["msgctxt"], entry["msgid"], entry["msgid_plural"],
                                          2) if "msgctxt" in entry else catalogue.ngettext(
                    entry["msgid"], entry["msgid_plural"], 2)
            elif "msgctxt" in entry:
                got = catalogue.pgettext(entry["msgctxt"], entry["msgid"])
            else:
                got = catalogue.gettext(entry["msgid"])
            assert got == entry["msgstr"], (po.name, entry["msgid"])


def test_the_admin_uses_the_platforms_wording_over_wagtails_and_the_models():
    with translation.override("zh-hans"):
        assert translation.gettext("Search all pages…") == "搜索所有页面…"
        assert translation.gettext("Page types usage") == "页面类型使用情况"
        assert translation.gettext("留空则使用发布机构名称（ContentSource）") == "留空则使用发布机构名称"
        assert translation.ngettext("Referenced %(count)s time", "Referenced %(count)s times",
                                    0) == "被引用 %(count)s 次"
