"""Settings for the Wonder customer dashboard.

Everything that differs between a laptop and a deployment is read from the environment
once, here, at start-up. Nothing else in the project reads ``os.environ``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
# Generated, machine-local files (SQLite database, development keys) live here; git ignores it.
VAR_DIR = Path(os.environ.get("DASHBOARD_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable; anything unrecognised is an error, not a guess."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_number(name: str, default: float, cast=float):
    """Read a numeric environment variable, failing at start-up with the variable's name."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return cast(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}.") from None


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
    "customers_app",
]

MIDDLEWARE = [
    # First, so every answer (static files and errors included) carries its X-Request-ID.
    "dashboard.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware: static files are answered before sessions or auth run.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
                "customers_app.context_processors.wonder_mode",
            ],
        },
    },
]

# SQLite under var/ by default, so `make run` needs no database server.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dashboard.sqlite3'}"),
        conn_max_age=int(env_number("DATABASE_CONN_MAX_AGE", 60, int)),
        # A kept connection may have died with a database restart; check it before reuse.
        conn_health_checks=True,
    )
}
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

LANGUAGE_CODE = "en-gb"
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
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
