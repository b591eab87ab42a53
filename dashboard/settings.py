"""Settings for the Wonder customer dashboard.

Everything that differs between a laptop and a deployment is read from the environment
once, here, at start-up. Nothing else in the project reads ``os.environ``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from dashboard.environment import env_bool, env_number

BASE_DIR = Path(__file__).resolve().parent.parent
# Generated, machine-local files (SQLite database, development keys) live here; git ignores it.
VAR_DIR = Path(os.environ.get("DASHBOARD_VAR_DIR", BASE_DIR / "var"))


DEBUG = env_bool("DEBUG", False)

# Public on purpose: it only ever works with DEBUG on (refused below otherwise).
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=true for development."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif SECRET_KEY == DEVELOPMENT_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("The development SECRET_KEY must not be used with DEBUG off.")

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "ui",
    "accounts",
    "customers_app",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry an X-Request-ID (and their log lines one) too.
    "accounts.middleware.RequestIdMiddleware",
    # Static files are answered here, before anything below runs, so they keep WhiteNoise's
    # far-future cache headers; everything below is a dashboard page.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the user's stored choice (applied below, once logged in), else the
    # language cookie the header's switch sets, else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # request.htmx: whether htmx sent the request, and for which target (ui/list_views.py).
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before LoginRequiredMiddleware: an expired session is logged out, then sent to login.
    "accounts.middleware.SessionLifetimeMiddleware",
    # After authentication: a logged-in user's stored language wins on any device.
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # allauth keeps a half-finished sign-in (password done, second factor pending) in the
    # session; this middleware gives its views the request.
    "allauth.account.middleware.AccountMiddleware",
    # A user whose role needs a second factor and has none can open nothing but its set-up.
    "accounts.signin.middleware.MfaSetupRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Every page's Wonder calls share WONDER_PAGE_TIME_BUDGET (the sync keeps its own).
    "customers_app.browsing.page_budget.WonderPageBudgetMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Work that spans every customer runs on `python manage.py db_worker` processes, which claim
# tasks from this database (SKIP LOCKED on PostgreSQL, so any number may run on any machine).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

ROOT_URLCONF = "dashboard.urls"
WSGI_APPLICATION = "dashboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.language_choices",
                "customers_app.context_processors.wonder_mode",
                "accounts.signin.context_processors.sign_in",
            ],
        },
    },
]

# SQLite under var/ by default, so `make run` needs no database server. var/ is git-ignored,
# so a fresh clone has none: create it, or SQLite cannot create its file there.
if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dashboard.sqlite3'}"),
        conn_max_age=int(env_number("DATABASE_CONN_MAX_AGE", 60, int)),
        # A kept connection may have died with a database restart; check it before reuse.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers at once (people saving, task workers syncing) on one file. The
    # write-ahead log lets pages read while one writer writes; IMMEDIATE takes the write lock
    # when a transaction begins, so two transactions never both read and then both try to
    # write (SQLite answers that deadlock "database is locked" at once, without waiting);
    # and a writer waits up to the busy timeout for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env_number("DATABASE_BUSY_TIMEOUT", 20.0),
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail in seconds, not the OS default of minutes, so /readyz answers 503 promptly.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(env_number("DATABASE_CONNECT_TIMEOUT", 5, int))
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Distinct per deployment (or test run) sharing one Redis.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "dashboard"),
            # Short socket timeouts: a hung Redis must cost a page a moment, not a worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Several app servers share Redis: sessions are read from it and written through to the
    # database, so a Redis restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "customers:list"
LOGOUT_REDIRECT_URL = "login"

# --- Accounts, sessions and login protection ----------------------------------------------
# Axes checks the lockout first; ModelBackend then checks the password (and refuses inactive
# users on every request; accounts/signals.py also deletes a deactivated user's sessions).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on sign-ins come through allauth's backend.
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_FAILURE_LIMIT = int(env_number("AXES_FAILURE_LIMIT", 5, int))
AXES_COOLOFF_TIME = timedelta(minutes=env_number("AXES_COOLOFF_MINUTES", 15))
# Lock the username+IP pair: one attacker cannot lock a colleague out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# With Redis, failed-login counters live in the shared cache, so every app server counts
# the same attempts (and the database is spared a write per failed login).
AXES_HANDLER = os.environ.get(
    "AXES_HANDLER",
    "axes.handlers.cache.AxesCacheHandler"
    if REDIS_URL
    else "axes.handlers.database.AxesDatabaseHandler",
)
AXES_CACHE = "default"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.request_context.client_ip_address"
# How many reverse proxies append to X-Forwarded-For in front of the dashboard (0: none, the
# client address is REMOTE_ADDR). Wrong here means lockouts and audit hit the proxy's IP.
TRUSTED_PROXY_COUNT = int(env_number("TRUSTED_PROXY_COUNT", 0, int))

# --- Sign-in: django-allauth (accounts, two-factor, single sign-on) -----------------------
# In their own module (allauth's many settings, MFA_REQUIRED_ROLES and the SSO_* variables).
from dashboard.signin_settings import *  # noqa: E402, F403
from dashboard.signin_settings import SSO_FORM_ACTION_ORIGINS  # noqa: E402  (used below)

SESSION_IDLE_TIMEOUT = int(env_number("SESSION_IDLE_MINUTES", 30) * 60)
SESSION_ABSOLUTE_LIFETIME = int(env_number("SESSION_LIFETIME_HOURS", 12) * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Templates carry the CSRF token (forms, and a <meta> tag for htmx), so no script needs the
# cookie.
CSRF_COOKIE_HTTPONLY = True

# --- Hardening: transport, headers, content security policy -------------------------------
# Secure by default; development (DEBUG) relaxes only what plain-http localhost needs.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env_number("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, int))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

# django-csp 4. No inline script or style anywhere: JS and CSS are static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        # "Sign in with ..." posts here and is redirected on to the identity provider:
        # browsers hold the redirect to form-action too.
        "form-action": ["'self'", *SSO_FORM_ACTION_ORIGINS],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
# English, and Traditional Chinese as Hong Kong writes it. Browsers asking for zh-HK, zh-TW
# or zh-MO get zh-hant (Django's fallbacks); anything else English. URLs are the same in
# both: the language is a cookie and, for a logged-in user, a stored choice (accounts).
LANGUAGES = [("en-gb", "English"), ("zh-hant", "繁體中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Hong Kong's conventions where Django's zh_Hant differs: thousands grouped by commas
# (dashboard/formats/zh_Hant).
FORMAT_MODULE_PATH = ["dashboard.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Hong_Kong")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# `collectstatic` writes compressed copies with content-hashed names; WhiteNoise serves them
# with far-future cache headers. It must run before serving (`make serve` does): a page that
# names an uncollected file fails loudly rather than shipping a stale stylesheet.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "dashboard.static_storage.HashedStaticFilesStorage"},
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# --- Wonder upstream -------------------------------------------------------------------
# With no WONDER_APP_ID the dashboard talks to the embedded sandbox (wonder_sandbox/) with the
# development key pair that `make run` generates under var/, and says "Sandbox data" on every
# page. With WONDER_APP_ID set, the key is required and checked at start-up.
WONDER_APP_ID = os.environ.get("WONDER_APP_ID", "")
WONDER_SANDBOX_MODE = not WONDER_APP_ID
WONDER_SANDBOX_APP_ID = "sandbox-app"
WONDER_BASE_URL = os.environ.get(
    "WONDER_BASE_URL",
    "http://127.0.0.1:8765" if WONDER_SANDBOX_MODE else "https://gateway-stg.wonder.today",
).rstrip("/")
WONDER_PRIVATE_KEY = os.environ.get("WONDER_PRIVATE_KEY", "")
WONDER_PRIVATE_KEY_FILE = os.environ.get(
    "WONDER_PRIVATE_KEY_FILE",
    str(VAR_DIR / "wonder_dev_private.pem") if WONDER_SANDBOX_MODE else "",
)
# Connect timeout is short: a gateway that does not accept a connection in 3 s is down.
WONDER_CONNECT_TIMEOUT = env_number("WONDER_CONNECT_TIMEOUT", 3.05)
WONDER_READ_TIMEOUT = env_number("WONDER_READ_TIMEOUT", 10.0)
# The most one call may take, retries and back-off included, so a page never hangs forever.
WONDER_TIME_BUDGET = env_number("WONDER_TIME_BUDGET", 20.0)
# What one page may wait for Wonder in all (every call of the request together): shorter than
# the sync's, since a person is waiting. Then the page shows cached rows marked stale, or says
# Wonder is not answering.
WONDER_PAGE_TIME_BUDGET = env_number("WONDER_PAGE_TIME_BUDGET", 8.0)
WONDER_MAX_RETRIES = int(env_number("WONDER_MAX_RETRIES", 2, int))
WONDER_RETRY_BACKOFF = env_number("WONDER_RETRY_BACKOFF", 0.25)
# How long a fetched page of customers is served from the cache before Wonder is asked again.
WONDER_PAGE_CACHE_SECONDS = int(env_number("WONDER_PAGE_CACHE_SECONDS", 30, int))
# How long an older copy is kept to show (marked stale) when Wonder is not answering.
WONDER_STALE_CACHE_SECONDS = int(env_number("WONDER_STALE_CACHE_SECONDS", 3600, int))
# Circuit breaker (state in the shared cache, so every app server agrees): after this many
# consecutive failed calls, calls fail at once for the cool-down, then one trial call decides.
WONDER_BREAKER_FAILURES = int(env_number("WONDER_BREAKER_FAILURES", 5, int))
WONDER_BREAKER_COOLDOWN = env_number("WONDER_BREAKER_COOLDOWN", 30.0)
# Single-flight: how long a request waits for another worker already fetching the same page
# before asking Wonder itself. Past the time budget the other worker has surely given up.
WONDER_SINGLE_FLIGHT_WAIT = env_number("WONDER_SINGLE_FLIGHT_WAIT", WONDER_TIME_BUDGET + 2)

# Every line carries the request id and user; the redaction filter sits on the handler, so
# no token value or card number is written whichever logger it came through.
# --- Customer sync (customers_app/sync/) --------------------------------------------------
# A sync's walk is split into this many partition tasks (disjoint sets of pages), which any
# number of `db_worker` processes share.
SYNC_PARTITIONS = max(1, int(env_number("SYNC_PARTITIONS", 4, int)))
# Requests in flight at once per partition (each one page of up to SYNC_PAGE_SIZE rows).
SYNC_CONCURRENCY = max(1, int(env_number("SYNC_CONCURRENCY", 8, int)))
SYNC_PAGE_SIZE = int(env_number("SYNC_PAGE_SIZE", 1000, int))
# The report enqueues a sync by itself (and says the data is stale) once the last complete
# sync is older than this, and workers schedule the next one that long after each; 0 turns
# both off (cron then runs `sync_customers --enqueue`).
SYNC_MAX_AGE_SECONDS = int(env_number("SYNC_MAX_AGE_SECONDS", 6 * 3600, int))
# A running sync none of whose partitions reported progress for this long died with its
# worker: it is failed with that reason, and the next sync may start.
SYNC_STALE_SECONDS = int(env_number("SYNC_STALE_SECONDS", 120, int))
# PostgreSQL's work_mem and maintenance_work_mem for the snapshot transaction alone (it joins
# every staged row to the index in a few statements, and a first sync builds the search
# indexes; the server's default work_mem, 4MB, makes the joins spill to disk).
SYNC_SNAPSHOT_WORK_MEM = os.environ.get("SYNC_SNAPSHOT_WORK_MEM", "256MB")
# django-tasks-db keeps every finished task's row; each completed sync deletes those older
# than this many days (0 keeps them all).
SYNC_TASK_RESULTS_KEEP_DAYS = int(env_number("SYNC_TASK_RESULTS_KEEP_DAYS", 30, int))
# Exports above this many rows are cut here, and the file and the page say so.
BINDING_EXPORT_MAX_ROWS = int(env_number("BINDING_EXPORT_MAX_ROWS", 50_000, int))

# --- Customer search ----------------------------------------------------------------------
# A search counts its matches up to this many ("10,000+ customers"), and pages only that far:
# counting every "Chan" among a million rows costs more than any agent reads.
CUSTOMER_SEARCH_COUNT_LIMIT = max(1, int(env_number("CUSTOMER_SEARCH_COUNT_LIMIT", 10_000, int)))

# --- Email and digests ------------------------------------------------------------------
# One URL says how mail leaves (dj-email-url): smtp://user:password@host:587/?tls=True,
# smtps://... for implicit TLS, console: to print mails instead (the default with DEBUG).
# Without it and without DEBUG: SMTP on localhost:25, Django's own default.
EMAIL_URL = os.environ.get("EMAIL_URL", "console:" if DEBUG else "smtp://localhost:25")
try:
    _email_settings = dj_email_url.parse(EMAIL_URL)
except Exception as error:  # noqa: BLE001 - any unreadable URL is a start-up error
    raise ImproperlyConfigured(
        f"EMAIL_URL is not a mail URL dj-email-url understands: {error}"
    ) from None
for _name, _value in _email_settings.items():
    if _value not in (None, ""):
        globals()[_name] = _value
# A mail server that accepts the connection and then hangs must not hold a worker forever.
EMAIL_TIMEOUT = env_number("EMAIL_TIMEOUT", 10.0)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dashboard@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the dashboard is reached from a mail client: links in digests start with it.
DASHBOARD_BASE_URL = os.environ.get("DASHBOARD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Optional: one incoming webhook (Slack, Microsoft Teams) that receives every sync's digest as
# JSON, signed with HMAC-SHA256 over the timestamp and body with this secret.
DIGEST_WEBHOOK_URL = os.environ.get("DIGEST_WEBHOOK_URL", "")
DIGEST_WEBHOOK_SECRET = os.environ.get("DIGEST_WEBHOOK_SECRET", "")
if DIGEST_WEBHOOK_URL and not DIGEST_WEBHOOK_SECRET:
    raise ImproperlyConfigured("DIGEST_WEBHOOK_URL is set: set DIGEST_WEBHOOK_SECRET too.")
# A failed send is tried again after BACKOFF, 2 x BACKOFF, 4 x BACKOFF ... up to MAX_ATTEMPTS.
DIGEST_MAX_ATTEMPTS = int(env_number("DIGEST_MAX_ATTEMPTS", 5, int))
DIGEST_RETRY_BACKOFF_SECONDS = env_number("DIGEST_RETRY_BACKOFF_SECONDS", 60.0)
# How many of the oldest still-open follow-ups a digest lists.
DIGEST_OLDEST_OPEN_ROWS = int(env_number("DIGEST_OLDEST_OPEN_ROWS", 5, int))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "accounts.log_filters.RequestContextFilter"},
        "redact_secrets": {"()": "accounts.log_filters.SecretRedactionFilter"},
        "request_line_query": {"()": "accounts.log_filters.RequestLineQueryFilter"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s "
            "user=%(user)s %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_context", "redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's defaults give these loggers handlers of their own, without the filters
        # (runserver's request lines carry the query string): emptied, so every line goes
        # through the one filtered handler above.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {
            "handlers": [],
            "propagate": True,
            # runserver's request lines: query values left out, as in gunicorn's access log.
            "filters": ["request_line_query"],
        },
    },
}
