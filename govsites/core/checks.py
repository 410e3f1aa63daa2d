"""System checks: the personal-data keys are usable, and set in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import crypto


@checks.register()
def personal_data_keys_are_usable(app_configs: Any = None,
                                  **kwargs: Any) -> list[checks.CheckMessage]:
    """A malformed key or key id stops every command before anything is sealed with it."""
    try:
        crypto.current_key_id()
        crypto.keyed_digest("check", "")
    except ImproperlyConfigured as exc:
        return [checks.Error(f"个人信息加密密钥设置有误：{exc}", id="core.E001",
                             hint="见 docs/how-to/rotate-personal-data-keys.md")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def personal_data_keys_are_set_in_production(app_configs: Any = None,
                                             **kwargs: Any) -> list[checks.CheckMessage]:
    """Keys derived from SECRET_KEY are for development: production names its own."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    missing = [name for name in ("GOVSITES_PERSONAL_DATA_KEYS", "GOVSITES_DIGEST_KEY")
               if not getattr(settings, name, None)]
    if not missing:
        return []
    return [checks.Warning(
        f"生产环境未设置 {'、'.join(missing)}：个人信息的加密密钥将由 SECRET_KEY 推导，"
        "更换 SECRET_KEY 会使已存的个人信息无法解密。", id="core.W001",
        hint="用 python3 -c 'import secrets; print(secrets.token_hex(16))' 生成，"
             "见 docs/how-to/rotate-personal-data-keys.md")]
