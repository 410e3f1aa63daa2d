"""Admin forms of open data: uploading a table version."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    resource_name = forms.CharField(label=_("数据资源名称"), max_length=100,
                                    help_text=_("同名资源上传即为新版本；旧版本全部保留，可下载"))
    description = forms.CharField(label=_("说明"), max_length=300, required=False)
    file = forms.FileField(label=_("数据表文件"),
                           help_text=_("CSV（UTF-8、GBK、GB18030，可带 BOM）、XLSX 或 JSON 对象数组"))
    table_schema = forms.CharField(
        label=_("表结构（Table Schema，可选）"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('留空则自动推断。例如 {"fields": [{"name": "地区", "type": "string", '
                    '"constraints": {"required": true}}, {"name": "人口", "type": "integer"}]}'))

    def clean_table_schema(self) -> dict[str, Any] | None:
        text = self.cleaned_data.get("table_schema", "").strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(_("表结构不是有效的 JSON：%(error)s") % {"error": error}) from error
        if not isinstance(value, dict):
            raise forms.ValidationError(_("表结构须为 JSON 对象。"))
        return value
