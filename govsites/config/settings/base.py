"""Settings for govsites.

The embedded default (SQLite in WAL mode, django.tasks on the database, files on local disk)
needs no configuration. Production sets DATABASE_URL (PostgreSQL), REDIS_URL and a secret.
Every setting that an operator may change is read from the environment here, once.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from govsites.config import environment

PACKAGE_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("GOVSITES_DATA_DIR", Path.cwd() / "var")).resolve()

# --- environment: the embedded default, or a production start (docs/security.md) ---
# Production is any non-SQLite DATABASE_URL or GOVSITES_ENV=production. It refuses to start
# with the default secret key, with DEBUG on, or with "*" among the extra hosts.
_database_url = os.environ.get("DATABASE_URL", "")
GOVSITES_ENV = environment.detect(os.environ.get("GOVSITES_ENV", ""), _database_url)
PRODUCTION = GOVSITES_ENV == "production"
SECRET_KEY = os.environ.get("GOVSITES_SECRET_KEY", environment.DEFAULT_SECRET_KEY)
DEBUG = os.environ.get("GOVSITES_DEBUG", "0") == "1"
# Hosts are answered only for the sites in the registry (govsites.config.middleware.
# RegisteredHostMiddleware, first in MIDDLEWARE) plus these names: GOVSITES_ALLOWED_HOSTS
# (e.g. an admin host name) and, outside production, the loopback names `make run` uses.
GOVSITES_EXTRA_HOSTS = environment.extra_hosts(
    os.environ.get("GOVSITES_ALLOWED_HOSTS", ""), production=PRODUCTION,
    admin_base_url=os.environ.get("GOVSITES_ADMIN_BASE_URL", ""))
ALLOWED_HOSTS = ["*"]  # checked per request by RegisteredHostMiddleware against the registry
if PRODUCTION:
    environment.refuse_unsafe_production(secret_key=SECRET_KEY, debug=DEBUG,
                                         extra_hosts=GOVSITES_EXTRA_HOSTS)

INSTALLED_APPS = [
    # project apps first so their templates and translations win
    "govsites.config",
    "govsites.core",
    "govsites.rules",
    "govsites.accounts",
    "govsites.sites",
    "govsites.content",
    "govsites.screening",
    "govsites.workflow",
    "govsites.publishing",
    "govsites.monitoring",
    "govsites.opendata",
    "govsites.search",
    "govsites.deployment",
    "govsites.interaction",
    "govsites.disclosure",
    "govsites.operations",
    "govsites.demo",
    # wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "govsites.accounts.users_app.GovsitesUsersAppConfig",  # wagtail.users with our user form
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # django
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Wagtail's search index uses GinIndex on PostgreSQL (postgres.E005 without it); on
    # SQLite the app only registers lookups that nothing calls.
    "django.contrib.postgres",
]

MIDDLEWARE = [
    # The load balancer's probes, by address and over plain HTTP (deployment/health.py).
    "govsites.deployment.health.HealthCheckMiddleware",
    # Anonymous public reads from the PostgreSQL replica when one is configured.
    "govsites.deployment.replica.ReadReplicaMiddleware",
    "govsites.config.middleware.RegisteredHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "govsites.config.middleware.AdminContentSecurityPolicyMiddleware",
    # The embedded mode logs visits as nginx does (GOVSITES_VISITS_APP_LOG; operations app).
    "govsites.operations.middleware.VisitLogMiddleware",
    # Suspended, closed and migrated sites answer with their notice or redirect (operations).
    "govsites.operations.middleware.SiteLifecycleMiddleware",
    # Published pages are answered from the static tree first (make run = what nginx does).
    "govsites.publishing.middleware.StaticFirstMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # 简体中文 whatever the browser sends; an account may opt into another admin language.
    "govsites.config.middleware.PlatformLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "govsites.accounts.middleware.AuditActorMiddleware",
    "govsites.accounts.middleware.IdleSessionTimeoutMiddleware",
    "govsites.accounts.middleware.TwoFactorMiddleware",
    "govsites.accounts.middleware.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "govsites.config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "govsites.config.wsgi.application"

# --- database: SQLite (WAL) by default, anything dj-database-url understands otherwise ---
# Every SQLite database, the default file and any sqlite:// DATABASE_URL alike, gets the same
# options: WAL lets the web process read while an import or the worker writes; IMMEDIATE takes
# the write lock at BEGIN so two writers queue instead of failing on lock upgrade; the busy
# timeout lets a login wait for a short write transaction instead of answering "locked".
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": int(os.environ.get("GOVSITES_SQLITE_TIMEOUT_SECONDS", "30")),
}
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60,
                                                  conn_health_checks=True)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                             "NAME": str(DATA_DIR / "govsites.sqlite3"),
                             # Kept open between requests, as PostgreSQL's are: opening one
                             # (the PRAGMAs, Django's SQL functions) was a sixth of a
                             # citizen's submission (docs/interaction.md).
                             "CONN_MAX_AGE": int(os.environ.get("GOVSITES_CONN_MAX_AGE", "60")),
                             "CONN_HEALTH_CHECKS": True}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with the process's write transactions queued (govsites/core/sqlite).
    DATABASES["default"]["ENGINE"] = "govsites.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS,
                                       **DATABASES["default"].get("OPTIONS", {})}
# A PostgreSQL streaming replica for anonymous public reads (docs/deploy.md): the router
# keeps editors, the admin and every write on the primary (govsites/deployment/replica.py).
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_ROUTERS: list[str] = []
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=60,
                                                 conn_health_checks=True)
    DATABASE_ROUTERS = ["govsites.deployment.replica.ReplicaRouter"]
GOVSITES_REPLICA_PIN_SECONDS = int(os.environ.get("GOVSITES_REPLICA_PIN_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# --- account rules: 等保 2.0 level 3 basics (GB/T 22239-2019 8.1.4.1 身份鉴别) and login abuse.
# Every number of the account rules is here and only here (docs/security.md); the code reads
# these settings without fallbacks.
GOVSITES_PASSWORD_MIN_CLASSES = 3
GOVSITES_PASSWORD_HISTORY = 5
GOVSITES_PASSWORD_PATTERN_RUN = 4  # keyboard walks, sequences, repeats this long are refused
GOVSITES_LOCKOUT_THRESHOLD = int(os.environ.get("GOVSITES_LOCKOUT_THRESHOLD", "5"))
GOVSITES_LOCKOUT_MINUTES = int(os.environ.get("GOVSITES_LOCKOUT_MINUTES", "30"))
# One address failing this often within the window (across any usernames) is blocked.
GOVSITES_ADDRESS_FAILURE_THRESHOLD = int(os.environ.get("GOVSITES_ADDRESS_FAILURE_THRESHOLD",
                                                        "20"))
GOVSITES_ADDRESS_WINDOW_MINUTES = int(os.environ.get("GOVSITES_ADDRESS_WINDOW_MINUTES", "15"))
GOVSITES_ADDRESS_BLOCK_MINUTES = int(os.environ.get("GOVSITES_ADDRESS_BLOCK_MINUTES", "15"))
GOVSITES_SESSION_IDLE_MINUTES = int(os.environ.get("GOVSITES_SESSION_IDLE_MINUTES", "30"))
AUTH_PASSWORD_VALIDATORS = [
    # Length and lifetime are rule data (accounts.password.min_length, .max_age_days: RS-17).
    {"NAME": "govsites.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "govsites.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "govsites.accounts.passwords.UsernameNotContainedValidator"},
    {"NAME": "govsites.accounts.passwords.PasswordHistoryValidator"},
    {"NAME": "govsites.accounts.passwords.PatternValidator"},
    {"NAME": "govsites.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Passwords are hashed with PBKDF2-HMAC-SM3 (国密, RS-22); Django's hashers follow so a password
# stored under them still verifies and is re-hashed with SM3 at the next login.
PASSWORD_HASHERS = [
    "govsites.core.hashers.PBKDF2SM3PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# The operator declares that the TLS terminator in front (nginx built with Tongsuo/BabaSSL NTLS,
# or a 国密 SSL gateway) serves SM2 certificates and SM4/SM3 suites; the 国密 inventory
# (`govsites gm_inventory`, RS-22) reports transport as non-国密 until it is set.
GOVSITES_TLS_GM = os.environ.get("GOVSITES_TLS_GM", "0") == "1"
AUTHENTICATION_BACKENDS = ["govsites.accounts.backends.LockoutModelBackend"]
WAGTAILADMIN_USER_LOGIN_FORM = "govsites.accounts.forms.LoginForm"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60

# --- cache: Redis in production, the database otherwise ---
# Redis down means cache misses, not errors (deployment/cache.py); sessions are kept in the
# database with Redis in front (cached_db), so nobody is logged out by a Redis outage.
# Without Redis (the embedded mode, `make run`), Django's database cache: one cache for every
# process of the installation (the web server's workers, the task worker), so the per-client
# limits count each client once and a change seen by one process is seen by all. Its table is
# made by `migrate` (core migration 0005). MAX_ENTRIES bounds the table (expired rows go first).
_redis_url = os.environ.get("REDIS_URL", "")
GOVSITES_REDIS_RETRY_SECONDS = float(os.environ.get("GOVSITES_REDIS_RETRY_SECONDS", "5"))
CACHES: dict[str, dict[str, object]]
if _redis_url:
    CACHES = {"default": {"BACKEND": "govsites.deployment.cache.DegradingRedisCache",
                          "LOCATION": _redis_url}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "govsites_cache", "OPTIONS": {"MAX_ENTRIES": 5000}}}

# --- tasks: django.tasks on the database; `govsites db_worker` drains the queue ---
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- language and time: the admin and public pages are in 简体中文, times in Beijing ---
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
# The admin is served in LANGUAGE_CODE regardless of Accept-Language
# (govsites.config.middleware.PlatformLanguageMiddleware); these are the languages an account
# may choose instead in its profile. The platform's own translations of Wagtail's strings that
# Wagtail leaves untranslated are in govsites/locale (LOCALE_PATHS wins over the apps').
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# --- object storage (S3-compatible): media and the published tree, shared by every node ---
# Without a bucket both stay on local disk (the embedded default). With one, uploads go to
# the bucket under media/ (nginx proxies /media/ to it; documents keep going through
# Wagtail's permission-checked view), and the publisher copies the tree under published/,
# from which each web node's `govsites sync` pulls (docs/deploy.md).
GOVSITES_S3_BUCKET = os.environ.get("GOVSITES_S3_BUCKET", "")
GOVSITES_S3 = {
    "bucket_name": GOVSITES_S3_BUCKET,
    "endpoint_url": os.environ.get("GOVSITES_S3_ENDPOINT_URL", "") or None,
    "region_name": os.environ.get("GOVSITES_S3_REGION", "") or None,
    "access_key": os.environ.get("GOVSITES_S3_ACCESS_KEY_ID", "") or None,
    "secret_key": os.environ.get("GOVSITES_S3_SECRET_ACCESS_KEY", "") or None,
}
if GOVSITES_S3_BUCKET:
    STORAGES["default"] = {"BACKEND": "govsites.deployment.storage.MediaStorage",
                           "OPTIONS": {**GOVSITES_S3, "location": "media"}}
    WAGTAILDOCS_SERVE_METHOD = "serve_view"
# The publisher's copy of the tree (publishing/mirror.py): in the bucket when one is set.
GOVSITES_TREE_MIRROR = ("govsites.deployment.treesync.S3TreeMirror" if GOVSITES_S3_BUCKET
                        else "")

# --- wagtail ---
WAGTAIL_SITE_NAME = "政府网站集约化平台"
# The same host name the sites use under `make run` (*.localhost), so links in notifications
# open the admin with the login cookie the sites share.
WAGTAILADMIN_BASE_URL = os.environ.get("GOVSITES_ADMIN_BASE_URL", "http://localhost:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no outbound network from the admin
# No "what's new in Wagtail" banner: the platform is branded as itself (accounts/branding.py).
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
# Wagtail's database backend with the Chinese analyser (rjieba, OpenCC, width and brackets):
# the admin's 资源库, page chooser, images and documents find words inside compounds and 繁体.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "govsites.search.wagtail_backend"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "csv", "txt", "ofd", "wps", "zip"]
WAGTAILEMBEDS_FINDERS: list[dict[str, object]] = []  # embedding would fetch from the internet
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# The chain's last step publishes as the platform (a government leader may approve a
# department's item without holding that department's publish permission).
WAGTAIL_FINISH_WORKFLOW_ACTION = "govsites.workflow.finish.publish_reviewed_revision"
WAGTAIL_MODERATION_ENABLED = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000

LOGIN_URL = "wagtailadmin_login"

# --- govsites: rules that vary are data; these are operator switches ---
# Hosts the crawler and link checker may contact. Empty means "any"; tests and benchmarks
# set loopback only, so nothing they run ever leaves the machine.
GOVSITES_OUTBOUND_ALLOWED_NETWORKS = [
    n for n in os.environ.get("GOVSITES_OUTBOUND_ALLOWED_NETWORKS", "").split(",") if n
]
GOVSITES_PUBLIC_SCHEME = os.environ.get("GOVSITES_PUBLIC_SCHEME", "https")
# The national 我为政府网站找错 platform; {site_code} is the site's 政府网站标识码.
GOVSITES_ERROR_REPORT_URL = os.environ.get(
    "GOVSITES_ERROR_REPORT_URL",
    "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteById.action?websiteid={site_code}",
)
# Items' public addresses (content/addresses.py): {column} is the column's address; {yyyy},
# {yyyymm}, {yyyymmdd}, {mm}, {dd} the first publication (Beijing); {id} the page id.
GOVSITES_ITEM_ADDRESS = os.environ.get("GOVSITES_ITEM_ADDRESS",
                                       "/{column}/{yyyymm}/t{yyyymmdd}_{id}.html")
GOVSITES_ICP_URL = "https://beian.miit.gov.cn/"
GOVSITES_POLICE_RECORD_URL = "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode={code}"

# --- SM4 keys sealing the public's personal data (政民互动 writers, 依申请公开 applicants) ---
# GOVSITES_PERSONAL_DATA_KEYS="2026a:<32 hex>,2027a:<32 hex>", GOVSITES_PERSONAL_DATA_KEY_ID=2027a;
# rotate with `govsites rotate_personal_data_keys` (docs/how-to/rotate-personal-data-keys.md).
# The former names GOVSITES_INTERACTION_KEYS / _KEY_ID are still read when the new ones are unset.
# Unset, a development key is derived from SECRET_KEY.
GOVSITES_PERSONAL_DATA_KEYS = dict(
    pair.split(":", 1) for pair in (os.environ.get("GOVSITES_PERSONAL_DATA_KEYS")
                                    or os.environ.get("GOVSITES_INTERACTION_KEYS", "")).split(",")
    if ":" in pair
)
GOVSITES_PERSONAL_DATA_KEY_ID = (os.environ.get("GOVSITES_PERSONAL_DATA_KEY_ID")
                                 or os.environ.get("GOVSITES_INTERACTION_KEY_ID", ""))
# HMAC-SM3 key (32 hex) of digests that find records by a personal value (an applicant's
# identity document); never rotated. Unset, derived from SECRET_KEY: set it in production.
GOVSITES_DIGEST_KEY = os.environ.get("GOVSITES_DIGEST_KEY", "")
# SMS to the public (writers, applicants): a class with send(*, mobile, text) when they go through
# another channel than staff reminders; unset, GOVSITES_SMS_GATEWAY below. (Former name:
# GOVSITES_INTERACTION_SMS_GATEWAY, still read.)
GOVSITES_CITIZEN_SMS_GATEWAY = (os.environ.get("GOVSITES_CITIZEN_SMS_GATEWAY")
                                or os.environ.get("GOVSITES_INTERACTION_SMS_GATEWAY", ""))

# --- notifications (提醒): e-mail through Django's mail framework, SMS through a gateway class ---
# Mail goes to the log until an operator names a real backend (and EMAIL_HOST etc.); the SMS
# gateway is any class with send(*, mobile, text), see govsites/core/notifications.py.
EMAIL_BACKEND = os.environ.get("GOVSITES_EMAIL_BACKEND",
                               "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("GOVSITES_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GOVSITES_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("GOVSITES_DEFAULT_FROM_EMAIL", "noreply@localhost")
GOVSITES_SMS_GATEWAY = os.environ.get("GOVSITES_SMS_GATEWAY",
                                      "govsites.core.notifications.ConsoleSmsGateway")

# --- 12345 政务服务便民热线 (IA-09): where messages are pushed when a mailbox or the rule set
# (interaction.route_via_12345) says so; see govsites/interaction/hotline_gateways.py. The
# default gateway only logs (masked); HttpHotlineGateway posts to GOVSITES_HOTLINE_URL, and only
# to hosts inside GOVSITES_HOTLINE_ALLOWED_NETWORKS (empty refuses all). The hotline's results
# come back to POST /interact/hotline/results with GOVSITES_HOTLINE_CALLBACK_TOKEN, from the same
# networks, or by `govsites hotline_results FILE`.
GOVSITES_HOTLINE_GATEWAY = os.environ.get(
    "GOVSITES_HOTLINE_GATEWAY", "govsites.interaction.hotline_gateways.ConsoleHotlineGateway")
GOVSITES_HOTLINE_URL = os.environ.get("GOVSITES_HOTLINE_URL", "")
GOVSITES_HOTLINE_TOKEN = os.environ.get("GOVSITES_HOTLINE_TOKEN", "")
GOVSITES_HOTLINE_CALLBACK_TOKEN = os.environ.get("GOVSITES_HOTLINE_CALLBACK_TOKEN", "")
GOVSITES_HOTLINE_ALLOWED_NETWORKS = [
    n for n in os.environ.get("GOVSITES_HOTLINE_ALLOWED_NETWORKS", "").split(",") if n
]
GOVSITES_HOTLINE_FILE = os.environ.get("GOVSITES_HOTLINE_FILE", "")

# --- bulk import (整合迁移, docs/import-format.md): operator limits ---
# A larger import file, record body or attachment is refused with its line number.
GOVSITES_IMPORT_MAX_FILE_BYTES = int(os.environ.get("GOVSITES_IMPORT_MAX_FILE_BYTES",
                                                    str(512 * 1024 * 1024)))
GOVSITES_IMPORT_MAX_BODY_CHARS = int(os.environ.get("GOVSITES_IMPORT_MAX_BODY_CHARS",
                                                    str(1_000_000)))
GOVSITES_IMPORT_MAX_ATTACHMENT_BYTES = int(os.environ.get("GOVSITES_IMPORT_MAX_ATTACHMENT_BYTES",
                                                          str(100 * 1024 * 1024)))
# Records written per transaction: short enough that logins and publishing wait at most about
# a second for the write lock on SQLite; one indexing task is queued per batch.
GOVSITES_IMPORT_BATCH_SIZE = int(os.environ.get("GOVSITES_IMPORT_BATCH_SIZE", "200"))
# An unfinished import whose process wrote nothing for this long is taken to have died, and
# re-running the same file continues it.
GOVSITES_IMPORT_STALE_SECONDS = int(os.environ.get("GOVSITES_IMPORT_STALE_SECONDS", "120"))

# --- rules: the rule variant (a city's or province's rule file) this installation starts with ---
# Empty means the national defaults. A platform administrator's choice in 设置 → 规则 wins over
# this, and a site may choose its own; see docs/rules.md (`govsites rules list --variant NAME`).
GOVSITES_RULES_VARIANT = os.environ.get("GOVSITES_RULES_VARIANT", "")

# --- opendata (数据开放): where table versions (original files and Parquet) are kept ---
# Outside MEDIA_ROOT on purpose: a version is downloadable only once a release that includes
# it is published (govsites.opendata.views.download). Limits and rates are rule parameters.
GOVSITES_OPENDATA_ROOT = Path(os.environ.get("GOVSITES_OPENDATA_ROOT", DATA_DIR / "opendata"))

# --- HTTP security headers and TLS (docs/security.md, "Production defaults") ---
# Public pages rendered by the application get the policy nginx sends for the static tree
# (publishing/nginx.py CSP). The admin gets GOVSITES_ADMIN_CSP, since Wagtail's editor still
# uses inline scripts and style attributes; its previews and draft views render public
# templates and keep SECURE_CSP (govsites.config.middleware.AdminContentSecurityPolicyMiddleware).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "style-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
GOVSITES_ADMIN_CSP = {
    **SECURE_CSP,
    "img-src": [CSP.SELF, "data:", "blob:"],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"  # as nginx sends it
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its preview views SAMEORIGIN itself
# Proxy headers (X-Forwarded-For, X-Real-IP, X-Forwarded-Proto) count only on requests from
# these networks; from anyone else they are dropped (RegisteredHostMiddleware). The default is
# nginx on the same machine.
GOVSITES_TRUSTED_PROXIES = [
    n.strip() for n in os.environ.get("GOVSITES_TRUSTED_PROXIES", "127.0.0.1/32,::1/128")
    .split(",") if n.strip()
]
# TLS on (production behind nginx with GOVSITES_PUBLIC_SCHEME=https): cookies only over
# HTTPS, HSTS, and a redirect for anything that reached the application over plain HTTP.
GOVSITES_TLS = PRODUCTION and GOVSITES_PUBLIC_SCHEME == "https"
if GOVSITES_TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("GOVSITES_HSTS_SECONDS", str(365 * 24 * 3600)))
    # The cluster's department sites are subdomains of the portal's domain (as nginx sends it).
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("GOVSITES_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
    # Preloading is a separate submission to the browsers' list; opt in when it is done.
    SECURE_HSTS_PRELOAD = os.environ.get("GOVSITES_HSTS_PRELOAD", "0") == "1"
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Console: one line per event (one per finished task, errors once, no tracebacks); the log
# file DATA_DIR/log/govsites.log keeps everything, tracebacks and request lines included.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"()": "govsites.core.logs.OneLineFormatter",
                 "format": "%(asctime)s %(message)s", "datefmt": "%H:%M:%S"},
        "full": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line", "level": "INFO"},
        "file": {"()": "govsites.core.logs.LogFileHandler", "formatter": "full",
                 "filename": str(DATA_DIR / "log" / "govsites.log")},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console", "file"], "level": "WARNING"},
    "loggers": {
        # django.tasks logs two lines per task (govsites.core.logs logs one instead).
        "django.tasks": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "django.server": {"handlers": ["file"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["file"], "level": "WARNING", "propagate": False},
        "govsites": {"level": "INFO"},
        # Refused hosts (scanners, mistyped names) get a 400; a traceback each is noise.
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
    },
}

# --- task worker (govsites worker): heartbeats, and retry of tasks whose worker died ---
GOVSITES_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("GOVSITES_WORKER_HEARTBEAT_SECONDS", "5"))
GOVSITES_WORKER_LEASE_SECONDS = float(os.environ.get("GOVSITES_WORKER_LEASE_SECONDS", "30"))
GOVSITES_TASK_MAX_ATTEMPTS = int(os.environ.get("GOVSITES_TASK_MAX_ATTEMPTS", "3"))
# --- publishing: nginx map of retired addresses (docs/publishing.md) ---
GOVSITES_NGINX_RETIRED_MAP = os.environ.get("GOVSITES_NGINX_RETIRED_MAP", "")
GOVSITES_NGINX_TEST_COMMAND = os.environ.get("GOVSITES_NGINX_TEST_COMMAND", "")
GOVSITES_NGINX_RELOAD_COMMAND = os.environ.get("GOVSITES_NGINX_RELOAD_COMMAND", "")
# --- operations: the nginx configuration a site lifecycle decision rewrites (docs/operations.md);
# empty: not rewritten (a log line says to run `govsites nginx-config` by hand) ---
GOVSITES_NGINX_CONFIG_FILE = os.environ.get("GOVSITES_NGINX_CONFIG_FILE", "")
GOVSITES_NGINX_CONFIG_ARGS = os.environ.get("GOVSITES_NGINX_CONFIG_ARGS", "")  # nginx-config's options

# Former SM4 key of applicants' identity data (32 hex digits): only opens values stored before
# the personal-data keys were shared, until `govsites rotate_personal_data_keys` re-seals them.
GOVSITES_DISCLOSURE_KEY = os.environ.get("GOVSITES_DISCLOSURE_KEY", "")
# --- operations: visit statistics from the access logs (docs/operations.md) ---
# nginx (govsites nginx-config) and, in the embedded mode, the application write this log;
# `govsites visits import` and the worker read it with its rotated copies (.1, .2.gz, ...).
GOVSITES_VISITS_LOG = os.environ.get("GOVSITES_VISITS_LOG", str(DATA_DIR / "log" / "visits.log"))
GOVSITES_VISITS_LOGS = [GOVSITES_VISITS_LOG, GOVSITES_VISITS_LOG + ".*"]
GOVSITES_VISITS_APP_LOG = os.environ.get(
    "GOVSITES_VISITS_APP_LOG", "1" if GOVSITES_ENV == "embedded" else "0") == "1"
GOVSITES_VISITS_SALT_DAYS = int(os.environ.get("GOVSITES_VISITS_SALT_DAYS", "2"))
# --- backups (govsites backup / restore; docs/deploy.md) ---
# Where the scheduled backup writes (empty: no scheduled backup); its interval and the number
# of archives kept are rule data (RS-21: backup.interval_hours, backup.keep_count).
GOVSITES_BACKUP_DIR = os.environ.get("GOVSITES_BACKUP_DIR", "")
# pg_dump / pg_restore of the server's major version, when not in /usr/lib/postgresql/N/bin.
GOVSITES_PG_BIN_DIR = os.environ.get("GOVSITES_PG_BIN_DIR", "")
