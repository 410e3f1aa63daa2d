"""Which cryptographic algorithms the installation uses where, and which are 国密 (RS-22).

丹东 第34条 asks for algorithms that meet the state's cryptography rules (SM2/SM3/SM4). This
module lists every place the platform hashes, seals, signs or encrypts, and finds out the
algorithm actually in use: a known-answer test for our own SM3 code (the GB/T 32905 vector),
the configured password hasher, Django's signer (sessions, CSRF, password-reset links, signed
cookies), and the operator's declaration for TLS (`GOVSITES_TLS_GM`: the TLS terminator is in
front of the platform, which cannot see it). `security.gm_crypto.required_uses` (rule data)
says which uses must be 国密; the platform check `security.gm_crypto` and
`govsites gm_inventory --check` report the others.
"""

from __future__ import annotations

from dataclasses import dataclass

#: GB/T 32905-2016 附录A 示例1: SM3("abc").
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
GM_PASSWORD_ALGORITHMS = frozenset({"pbkdf2_sm3"})
GM_SIGNING_ALGORITHMS = frozenset({"sm3"})

USES = ("audit_chain", "publish_manifest", "personal_data", "personal_lookup",
        "password_hashing", "signing", "transport")


@dataclass(frozen=True)
class CryptoUse:
    """One place the platform uses cryptography."""

    use: str
    label: str
    algorithm: str
    gm: bool
    where: str
    how_to_fix: str = ""


def _sm3_in_use() -> bool:
    from govsites.core.audit import sm3_hex

    return sm3_hex(b"abc") == SM3_ABC


def _password_hashing() -> CryptoUse:
    from django.contrib.auth.hashers import get_hasher

    algorithm = str(get_hasher("default").algorithm)
    gm = algorithm in GM_PASSWORD_ALGORITHMS
    return CryptoUse(
        "password_hashing", "账号口令散列", algorithm, gm, "settings.PASSWORD_HASHERS[0]",
        "" if gm else "把 govsites.core.hashers.PBKDF2SM3PasswordHasher 放在 PASSWORD_HASHERS 首位")


def _signing() -> CryptoUse:
    from django.core.signing import Signer

    algorithm = str(Signer(key="inventory").algorithm)
    gm = algorithm in GM_SIGNING_ALGORITHMS
    return CryptoUse(
        "signing", "会话、CSRF、找回密码链接与签名 Cookie", f"HMAC-{algorithm.upper()}", gm,
        "django.core.signing / django.utils.crypto.salted_hmac",
        "" if gm else "Django 的签名只支持 hashlib 的算法名（不含 SM3），需替换签名实现或在前置网关以国密保护会话")


def _transport() -> CryptoUse:
    from django.conf import settings

    gm = bool(getattr(settings, "GOVSITES_TLS_GM", False))
    return CryptoUse(
        "transport", "传输加密（HTTPS）",
        "国密 SSL（SM2 证书，运维声明）" if gm else "国际 TLS（RSA/ECDSA 证书）", gm,
        "前置 nginx / 网关（settings.GOVSITES_TLS_GM）",
        "" if gm else "前置 nginx 改用铜锁（Tongsuo）NTLS 并配置 SM2 签名与加密双证书，"
                      "然后设置 GOVSITES_TLS_GM=1")


def inventory() -> list[CryptoUse]:
    """Every use, with the algorithm in force and whether it is 国密."""
    sm3 = _sm3_in_use()
    sm3_name = "SM3" if sm3 else "SM3 自检未通过"
    return [
        CryptoUse("audit_chain", "审计日志链", sm3_name, sm3, "govsites.core.audit.sm3_hex"),
        CryptoUse("publish_manifest", "发布清单（防篡改）", sm3_name, sm3,
                  "govsites.publishing.guard（core.audit.sm3_hex）"),
        CryptoUse("personal_data", "公众个人信息加密存储", "SM4-GCM", True,
                  "govsites.core.crypto.seal"),
        CryptoUse("personal_lookup", "个人信息查找摘要", "HMAC-SM3", sm3,
                  "govsites.core.crypto.keyed_digest"),
        _password_hashing(),
        _signing(),
        _transport(),
    ]


def required_but_not_gm(uses: list[CryptoUse], required: list[str]) -> list[CryptoUse]:
    """The uses the rule data requires to be 国密 that are not."""
    wanted = set(required)
    return [use for use in uses if use.use in wanted and not use.gm]
