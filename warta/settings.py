"""warta settings: one file, read from the environment (see docs/configuration.md)."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from warta.lib.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("WARTA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("WARTA_DEBUG", False)
SECRET_KEY = env_secret("WARTA_SECRET_KEY")
ALLOWED_HOSTS = env_list("WARTA_ALLOWED_HOSTS", ["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("WARTA_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("WARTA_SITE_URL", "http://127.0.0.1:8000")

_INSECURE_KEYS = {"", "changeme", "secret", "django-insecure"}
if not DEBUG:
    if SECRET_KEY in _INSECURE_KEYS or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "WARTA_SECRET_KEY (or WARTA_SECRET_KEY_FILE) must hold a random value of at least "
            "32 characters when WARTA_DEBUG is off."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("WARTA_ALLOWED_HOSTS must name this server's host names.")
elif not SECRET_KEY:
    SECRET_KEY = "django-insecure-debug-only-key-never-used-in-production"  # noqa: S105

# Keys for credentials at rest (Fernet, comma-separated, newest first). Rotate with
# `warta rotate-credentials-key`.
WARTA_CREDENTIAL_KEYS = [
    k.strip() for k in env_secret("WARTA_CREDENTIAL_KEYS").split(",") if k.strip()
]
if not WARTA_CREDENTIAL_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "WARTA_CREDENTIAL_KEYS (or WARTA_CREDENTIAL_KEYS_FILE) must hold at least one Fernet key "
            "when WARTA_DEBUG is off; make one with `warta generate-credentials-key`."
        )
    # Debug only: a fixed, well-known key, so a laptop demo works with no set-up.
    WARTA_CREDENTIAL_KEYS = ["d2FydGEtZGVidWctb25seS1uZXZlci1pbi1wcm9kISE="]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before django_tasks_db: warta.core's db_worker (reconnecting) replaces its own.
    "warta.core",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "warta.institutions",
    "warta.channels",
    "warta.connectors",
    "warta.strategy",
    "warta.content",
    "warta.guardrails",
    "warta.engagement",
    "warta.language",
    "warta.analytics",
    "warta.archive",
]

MIDDLEWARE = [
    "warta.core.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "warta.core.middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "warta.core.twofactor_views.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "warta.institutions.middleware.RegionTimezoneMiddleware",
    "warta.core.middleware.DiskFullMiddleware",
]

ROOT_URLCONF = "warta.urls"
WSGI_APPLICATION = "warta.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "warta" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "warta.institutions.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_secret("WARTA_DATABASE_URL", f"sqlite:///{VAR_DIR / 'warta.sqlite3'}"),
        conn_max_age=env_int("WARTA_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids
    # "database is locked" upgrades from read to write inside a transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=1073741824;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every web process and machine on PostgreSQL: dashboard figures and page
# fragments computed by one process then serve all of them, where a process-local cache
# recomputes them in each. The database is the one service every warta machine already
# shares, so no cache server is needed; `migrate` creates the table (warta.core.apps).
# On SQLite (one machine, the demo) cache writes would queue behind the worker's writes:
# each process keeps its own. WARTA_CACHE=local|database overrides.
_CACHE_KIND = env_str(
    "WARTA_CACHE",
    "local" if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else "database",
)
if _CACHE_KIND not in {"local", "database"}:
    raise ImproperlyConfigured("WARTA_CACHE must be 'local' or 'database'.")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "warta_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
    if _CACHE_KIND == "database"
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

TASKS = {
    "default": {
        "BACKEND": env_str("WARTA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}
# Publishing: variants per task, platform requests a worker keeps in flight, tries.
WARTA_PUBLISH_BATCH = env_int("WARTA_PUBLISH_BATCH", 25)
WARTA_PUBLISH_CONCURRENCY = env_int("WARTA_PUBLISH_CONCURRENCY", 8)
WARTA_PUBLISH_MAX_ATTEMPTS = env_int("WARTA_PUBLISH_MAX_ATTEMPTS", 10)
# Officers' Telegram notifications (empty token: e-mail only); the base URL lets tests
# point at a local fake.
WARTA_TELEGRAM_BOT_TOKEN = env_secret("WARTA_TELEGRAM_BOT_TOKEN")
WARTA_TELEGRAM_API_BASE = env_str("WARTA_TELEGRAM_API_BASE", "https://api.telegram.org")
# Connectors' API roots for a sandbox or tests, platform -> base URL (these alone may be
# loopback or plain http). "mastodon=http://127.0.0.1:8081,x=http://127.0.0.1:8082".
# Operators set them; a URL typed into a channel's credentials never reaches this list.
WARTA_CONNECTOR_BASE_URLS: dict[str, str] = dict(
    item.split("=", 1) for item in env_list("WARTA_CONNECTOR_BASE_URLS") if "=" in item
)
# Rate-limit budgets whose documented figure depends on the operator's plan (X's access
# tier, Meta's allowance), platform:limit:scope=units, e.g. "x:posts_24h:app=10000,
# x:posts_24h:account=100" for X Pro. The rest are the documented figures in
# warta/connectors/ratelimits.py; the platforms' headers correct both.
WARTA_RATE_BUDGETS: dict[str, dict[str, int]] = {}
for _item in env_list("WARTA_RATE_BUDGETS"):
    _name, _sep, _units = _item.rpartition("=")
    _platform, _sep, _budget = _name.partition(":")
    if _budget and _units.strip().isdigit():
        WARTA_RATE_BUDGETS.setdefault(_platform.strip(), {})[_budget.strip()] = int(_units)
# A task RUNNING longer than this is taken to belong to a dead worker and re-queued.
WARTA_TASK_STALE_AFTER_SECONDS = env_int("WARTA_TASK_STALE_AFTER_SECONDS", 900)
# A task whose worker died this many times running it is failed, not re-queued again.
# Above the metric import's own limit (3), which ends its job with a message first.
WARTA_TASK_MAX_RUNS = env_int("WARTA_TASK_MAX_RUNS", 5)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("WARTA_FAST_PASSWORD_HASHER", False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Failed logins per user name and per address before the login form refuses for a while.
WARTA_LOGIN_MAX_FAILURES = env_int("WARTA_LOGIN_MAX_FAILURES", 5)
WARTA_LOGIN_LOCKOUT_SECONDS = env_int("WARTA_LOGIN_LOCKOUT_SECONDS", 900)
# API tokens expire: after this many days unless the maker chooses fewer, never later
# than the maximum. Changing or resetting a password revokes all of the person's tokens.
WARTA_API_TOKEN_DAYS = env_int("WARTA_API_TOKEN_DAYS", 90)
WARTA_API_TOKEN_MAX_DAYS = env_int("WARTA_API_TOKEN_MAX_DAYS", 365)
# Signs the archive chain's head files (`warta archive head`, docs/deployment.md).
WARTA_ARCHIVE_HEAD_KEY = env_secret("WARTA_ARCHIVE_HEAD_KEY")
# Coordinators must enrol a TOTP authenticator and pass it at every sign-in.
WARTA_REQUIRE_2FA_FOR_COORDINATORS = env_bool("WARTA_REQUIRE_2FA_FOR_COORDINATORS", False)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "warta" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # stored in UTC; shown in the region's zone (RegionTimezoneMiddleware)
WARTA_DEFAULT_REGION_TIMEZONE = env_str("WARTA_DEFAULT_REGION_TIMEZONE", "Asia/Jakarta")

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("WARTA_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "warta" / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("WARTA_MEDIA_ROOT", str(VAR_DIR / "media")))
# Files are written whole or not at all: a full disk leaves no partial file (lib/storage).
STORAGES = {
    "default": {"BACKEND": "warta.lib.storage.SafeFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# /healthz answers 503 when MEDIA_ROOT, the private files or an SQLite database have less
# free space than this.
WARTA_MIN_FREE_DISK_BYTES = env_int("WARTA_MIN_FREE_DISK_BYTES", 1024 * 1024 * 1024)
# Production serves media from the reverse proxy; the demo lets Django do it.
WARTA_SERVE_MEDIA = env_bool("WARTA_SERVE_MEDIA", False)
# Public base URL of MEDIA_ROOT (https), for platforms that fetch media themselves
# (Instagram images, TikTok photos); empty when media are not public.
WARTA_PUBLIC_MEDIA_URL = env_str("WARTA_PUBLIC_MEDIA_URL")
# warta's own sandbox platforms ("Sandbox/latihan" channels, docs/sandbox.md): the
# address of `python -m warta.connectors.fakes.sandbox`. Only settings name it, never a
# channel's credentials; empty: sandbox channels reach nothing.
WARTA_SANDBOX_URL = env_str("WARTA_SANDBOX_URL")
WARTA_MAX_UPLOAD_BYTES = env_int("WARTA_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
WARTA_MAX_IMPORT_BYTES = env_int("WARTA_MAX_IMPORT_BYTES", 50 * 1024 * 1024)
# Pixels (width x height) an uploaded image may have: 50 MP holds an 8,160 x 6,120 phone
# photo; decoding one takes about 4 bytes a pixel.
WARTA_MAX_IMAGE_PIXELS = env_int("WARTA_MAX_IMAGE_PIXELS", 50_000_000)
# Import bombs (warta.lib.tabular, docs/deployment.md "Import limits"): what an XLSX may
# unpack to, its distinct texts, the cells of one file, the seconds one read may take.
WARTA_IMPORT_MAX_UNPACKED_BYTES = env_int(
    "WARTA_IMPORT_MAX_UNPACKED_BYTES", 4 * WARTA_MAX_IMPORT_BYTES
)
WARTA_IMPORT_MAX_SHARED_STRINGS = env_int("WARTA_IMPORT_MAX_SHARED_STRINGS", 1_000_000)
WARTA_IMPORT_MAX_CELLS = env_int("WARTA_IMPORT_MAX_CELLS", 5_000_000)
WARTA_IMPORT_MAX_SECONDS = env_int("WARTA_IMPORT_MAX_SECONDS", 300)
# Who receives the city-wide monthly report besides the region's coordinators.
WARTA_MONTHLY_REPORT_RECIPIENTS = env_list("WARTA_MONTHLY_REPORT_RECIPIENTS")

# Guardrails and strategy. The link check spends at most this long per variant on the
# network; unfinished lookups finish in the background and are cached.
WARTA_LINK_CHECK_BUDGET_SECONDS = float(env_str("WARTA_LINK_CHECK_BUDGET_SECONDS", "0.3"))
WARTA_LINK_CHECK_ENABLED = env_bool("WARTA_LINK_CHECK_ENABLED", True)
# Optional caption drafts from an OpenAI-compatible endpoint (off when the URL is empty).
WARTA_LLM_BASE_URL = env_str("WARTA_LLM_BASE_URL")
WARTA_LLM_MODEL = env_str("WARTA_LLM_MODEL", "local-model")
WARTA_LLM_API_KEY = env_secret("WARTA_LLM_API_KEY")
WARTA_LLM_TIMEOUT_SECONDS = env_int("WARTA_LLM_TIMEOUT_SECONDS", 30)

# OAuth apps this installation registered with the platforms, for connecting accounts and
# refreshing tokens (warta.connectors.oauth); a provider without a client id is not offered.
WARTA_OAUTH_CLIENTS = {
    provider: {
        "client_id": env_str(f"WARTA_{provider.upper()}_CLIENT_ID"),
        "client_secret": env_secret(f"WARTA_{provider.upper()}_CLIENT_SECRET"),
    }
    for provider in ("meta", "x", "google", "tiktok", "threads")
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "warta.core.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "warta.core.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "warta.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "warta API",
    "DESCRIPTION": "REST API v1 of warta; the same permissions as the web interface.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# E-mail through Django 6.1's MAILERS; SMTP when WARTA_EMAIL_HOST is set, else the console.
if env_str("WARTA_EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("WARTA_EMAIL_HOST"),
                "port": env_int("WARTA_EMAIL_PORT", 587),
                "username": env_str("WARTA_EMAIL_HOST_USER"),
                "password": env_secret("WARTA_EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("WARTA_EMAIL_USE_TLS", True),
                "timeout": 30,
            },
        }
    }
elif env_str("WARTA_EMAIL_FILE_PATH"):
    # Each message as a file in a folder: the demo keeps its terminal for the logins.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env_str("WARTA_EMAIL_FILE_PATH")},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("WARTA_DEFAULT_FROM_EMAIL", "warta@localhost")

# Security headers. Behind TLS set WARTA_SECURE_COOKIES=1 (the production guide does).
SECURE_COOKIES = env_bool("WARTA_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("WARTA_SESSION_SECONDS", 12 * 3600)
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Addresses of our own reverse proxies, whose X-Forwarded-For is believed.
WARTA_TRUSTED_PROXIES = env_list("WARTA_TRUSTED_PROXIES")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("WARTA_BEHIND_TLS_PROXY", False) else None
)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("WARTA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
