"""krutt's one settings file: everything comes from the environment (see .env.example).

Development (the default) needs nothing: SQLite in the user data dir, a generated secret.
KRUTT_ENV=production refuses to start without a secret key and allowed hosts, and turns
on Django's deployment checklist (secure cookies, HSTS, SSL redirect).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from krutt.web.config import data_dir, database_url, development_secret_key, env, env_bool, env_list

WEB_DIR = Path(__file__).resolve().parent

KRUTT_ENV = env("KRUTT_ENV", "development")
if KRUTT_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"KRUTT_ENV must be development or production, not {KRUTT_ENV!r}")
PRODUCTION = KRUTT_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env("KRUTT_SECRET_KEY")
    ALLOWED_HOSTS = env_list("KRUTT_ALLOWED_HOSTS")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "KRUTT_ENV=production needs KRUTT_SECRET_KEY (50+ random characters)."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "KRUTT_ENV=production needs KRUTT_ALLOWED_HOSTS (comma-separated host names)."
        )
else:
    SECRET_KEY = env("KRUTT_SECRET_KEY") or development_secret_key()
    ALLOWED_HOSTS = env_list("KRUTT_ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "[::1]"]

DEBUG = env_bool("KRUTT_DEBUG", default=False) and not PRODUCTION

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "krutt.web.accounts",
    "krutt.web.sellers",
    "krutt.web.timelog",
    "krutt.web.audit",
    "krutt.web.dashboard",
    "krutt.web.configuration",
    "krutt.web.support",
    "krutt.web.planning",
    "krutt.web.imports",
    "krutt.web.outcome",
    "krutt.web.connections",
    "krutt.web.jobs",
    "krutt.web.crm",
    "krutt.web.privacy",
    "krutt.web.me",
    "krutt.web.twofactor",
    "krutt.web.team",
    "krutt.web.ui",
    "krutt.web.api",
    # django-ninja's own static files: the docs page is served by krutt, nothing from a CDN.
    "ninja",
    "django_tasks",
    "django_tasks_db",
]

# Background jobs (DEP 14's task API) in krutt's own database: no broker server.
# `krutt worker` runs them and the due calendar syncs.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# How long a worker's claim on a calendar sync holds before another worker may take over.
KRUTT_SYNC_LEASE_SECONDS = int(env("KRUTT_SYNC_LEASE_SECONDS", "600"))
# Web imports of files larger than this run as a background job with a progress bar.
KRUTT_IMPORT_INLINE_BYTES = int(env("KRUTT_IMPORT_INLINE_BYTES", str(2 * 1024 * 1024)))
# Where the calendar APIs live (tests point them at local servers).
KRUTT_GRAPH_URL = env("KRUTT_GRAPH_URL", "https://graph.microsoft.com")
KRUTT_MICROSOFT_LOGIN_URL = env("KRUTT_MICROSOFT_LOGIN_URL", "https://login.microsoftonline.com")
KRUTT_GOOGLE_CALENDAR_URL = env("KRUTT_GOOGLE_CALENDAR_URL", "https://www.googleapis.com")
KRUTT_GOOGLE_TOKEN_URL = env("KRUTT_GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token")
# The CRMs' API addresses (a connection's --url overrides them); tests point them at
# local servers. Salesforce and SuperOffice have one address per customer: give it.
# … and on a CRM sync (longer: a full read of a large CRM takes a while).
KRUTT_CRM_SYNC_LEASE_SECONDS = int(env("KRUTT_CRM_SYNC_LEASE_SECONDS", "7200"))
KRUTT_HUBSPOT_URL = env("KRUTT_HUBSPOT_URL", "https://api.hubapi.com")
KRUTT_PIPEDRIVE_URL = env("KRUTT_PIPEDRIVE_URL", "https://api.pipedrive.com")
KRUTT_SALESFORCE_URL = env("KRUTT_SALESFORCE_URL", "")
KRUTT_SUPEROFFICE_URL = env("KRUTT_SUPEROFFICE_URL", "")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "krutt.web.accounts.middleware.SessionTimeoutMiddleware",
    "krutt.web.accounts.middleware.UserLanguageMiddleware",
    "krutt.web.accounts.middleware.PrivateResponseMiddleware",
    "krutt.web.accounts.middleware.SellerScopeMiddleware",
    # After the password, the second factor before anything else (TOTP, the organisation's roles).
    "krutt.web.twofactor.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A domain error a view lets through is the user's sentence, in one place.
    "krutt.web.decorators.DomainErrors",
    "krutt.web.busy.DatabaseBusyMiddleware",
    # axes must come last (its documentation): it sees the outcome of every login.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling, every value explicit (the defaults lock an account until an admin resets it).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_USERNAME_FORM_FIELD = "username"
# The same normal form as sign-in: PER@x and per@x share one counter.
AXES_USERNAME_CALLABLE = "krutt.web.accounts.views.login_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Only our own files: no inline script or style, no framing, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_AGE = 12 * 60 * 60  # the absolute limit after signing in
SESSION_IDLE_SECONDS = int(env("KRUTT_SESSION_IDLE_MINUTES", "30")) * 60
# The organisation's required second factor (default: admins and directors). Off only for
# a throw-away demo or the test suite; a user who set up an authenticator is always asked.
KRUTT_TWO_FACTOR_REQUIRED = env_bool("KRUTT_TWO_FACTOR_REQUIRED", default=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# The HTTP API: requests a minute per token (429 + Retry-After beyond), the largest page a
# list returns, and the largest request body (413 beyond; a batch of 500 entries fits).
KRUTT_API_RATE_PER_MINUTE = int(env("KRUTT_API_RATE_PER_MINUTE", "600"))
KRUTT_API_MAX_PAGE = 500
KRUTT_API_MAX_BODY_BYTES = int(env("KRUTT_API_MAX_BODY_BYTES", str(1024 * 1024)))

ROOT_URLCONF = "krutt.web.urls"
WSGI_APPLICATION = "krutt.web.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def _lock_wait_seconds() -> float:
    text = env("KRUTT_DB_LOCK_WAIT_SECONDS", "60")
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        raise ImproperlyConfigured(
            f"KRUTT_DB_LOCK_WAIT_SECONDS must be a number of seconds from 0 to 3600, not {text!r}"
        )
    return seconds


# How long a write waits for another one's lock (a large import holds it for its whole
# transaction) before it gives up with "the database is busy" (krutt.web.busy).
DB_LOCK_WAIT_SECONDS = _lock_wait_seconds()


def _positive(name: str, default: int) -> int:
    text = env(name, str(default))
    if not text.isdigit() or int(text) <= 0:
        raise ImproperlyConfigured(f"{name} must be a whole number above 0, not {text!r}")
    return int(text)


# What a spreadsheet may unpack to before it is refused unread (krutt.importers.workbooks):
# generous for any real CRM export, small enough that a compressed "bomb" costs nothing.
KRUTT_XLSX_MAX_UNPACKED_MB = _positive("KRUTT_XLSX_MAX_UNPACKED_MB", 1024)
KRUTT_XLSX_MAX_RATIO = _positive("KRUTT_XLSX_MAX_RATIO", 100)
KRUTT_XLSX_MAX_ROWS = _positive("KRUTT_XLSX_MAX_ROWS", 1_048_576)
KRUTT_XLSX_MAX_CELLS = _positive("KRUTT_XLSX_MAX_CELLS", 20_000_000)


def _databases() -> dict[str, Any]:
    parsed = dj_database_url.parse(database_url(), conn_max_age=60, conn_health_checks=True)
    config: dict[str, Any] = dict(parsed)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets the web server read while an import writes; FULL keeps each commit
            # durable; IMMEDIATE takes the write lock at BEGIN, so the busy timeout applies
            # there instead of failing at once on a lock upgrade halfway through.
            "transaction_mode": "IMMEDIATE",
            "timeout": DB_LOCK_WAIT_SECONDS,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        }
    elif config["ENGINE"].startswith("django.db.backends.postgresql"):
        options = dict(config.get("OPTIONS") or {})
        wait = f"-c lock_timeout={int(DB_LOCK_WAIT_SECONDS * 1000)}"
        options["options"] = f"{options['options']} {wait}" if options.get("options") else wait
        config["OPTIONS"] = options
    return {"default": config}


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
FORMAT_MODULE_PATH = ["krutt.web.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("KRUTT_STATIC_ROOT") or data_dir() / "static")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# A seller's invitation link (the password-reset token) lasts 72 hours and works once.
PASSWORD_RESET_TIMEOUT = 72 * 3600

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("KRUTT_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("KRUTT_BEHIND_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("KRUTT_LOG_LEVEL", "WARNING")},
}
