"""How the settings tell the embedded default from a production start, and what production refuses.

Pure functions of the environment variables, so that the settings module stays a list of
assignments and the rules can be read (and tested) in one place. See docs/security.md,
"Production defaults".
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

#: The key a checkout runs with until an operator sets GOVSITES_SECRET_KEY. Public: it is in
#: the repository, so production refuses it.
DEFAULT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_UNIQUE_CHARACTERS = 5

ENVIRONMENTS = ("embedded", "production", "test")

#: Names `make run` and the demo use on one machine (the demo's sites are *.localhost).
LOOPBACK_HOSTS = ["localhost", ".localhost", "127.0.0.1", "[::1]"]


def detect(declared: str, database_url: str) -> str:
    """Return "production" for GOVSITES_ENV=production or any non-SQLite DATABASE_URL.

    GOVSITES_ENV=embedded or test wins over the database (the test suite runs on PostgreSQL
    too); an unknown value is refused rather than guessed.
    """
    declared = declared.strip().lower()
    if declared:
        if declared not in ENVIRONMENTS:
            raise ImproperlyConfigured(
                f"GOVSITES_ENV={declared!r} 无效：可选值为 {', '.join(ENVIRONMENTS)}。")
        return declared
    if database_url and not database_url.lower().startswith("sqlite"):
        return "production"
    return "embedded"


def extra_hosts(configured: str, *, production: bool, admin_base_url: str = "") -> list[str]:
    """Host names answered besides the registered sites.

    `configured` is GOVSITES_ALLOWED_HOSTS (comma-separated); outside production the loopback
    names are added; the admin's own host (GOVSITES_ADMIN_BASE_URL) is added when set.
    """
    hosts = [h.strip() for h in configured.split(",") if h.strip()]
    if admin_base_url:
        admin_host = urlsplit(admin_base_url).hostname
        if admin_host:
            hosts.append(admin_host)
    if not production:
        hosts += LOOPBACK_HOSTS
    return list(dict.fromkeys(hosts))


def refuse_unsafe_production(*, secret_key: str, debug: bool, extra_hosts: list[str]) -> None:
    """Raise ImproperlyConfigured when a production start would be unsafe."""
    problems = []
    if (secret_key == DEFAULT_SECRET_KEY or len(secret_key) < MIN_SECRET_KEY_LENGTH
            or len(set(secret_key)) < MIN_SECRET_KEY_UNIQUE_CHARACTERS):
        problems.append(
            f"GOVSITES_SECRET_KEY 未设置或不安全：生产环境须使用至少 {MIN_SECRET_KEY_LENGTH} "
            "个字符的随机密钥（可用 python -c \"import secrets; print(secrets.token_urlsafe(64))\" "
            "生成），不能使用代码中的默认值。")
    if debug:
        problems.append("GOVSITES_DEBUG=1 会向访问者显示程序内部信息（配置、路径、源代码），"
                        "生产环境不能开启。")
    if "*" in extra_hosts:
        problems.append("GOVSITES_ALLOWED_HOSTS 不能包含 *：生产环境只应答站点注册表中的网站域名"
                        "（以及此处列出的其他主机名）。")
    if problems:
        raise ImproperlyConfigured(
            "生产环境（DATABASE_URL 指向非 SQLite 数据库或 GOVSITES_ENV=production）拒绝启动：\n  - "
            + "\n  - ".join(problems))
