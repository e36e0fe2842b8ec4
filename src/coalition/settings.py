"""One settings module for every environment, driven by environment variables.

``DJANGO_ENV`` selects the profile: ``development`` (default), ``test`` or ``production``.
``DATABASE_URL`` selects the database (SQLite in ``var/`` by default, PostgreSQL in production).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

# Lets Django's generic classes be subscripted at run time (class NoteForm(forms.ModelForm[Note])), as
# the strictly checked apps must write them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("COALITION_VAR_DIR", PROJECT_DIR / "var"))

ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = ENV == "production"
TESTING = ENV == "test"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-insecure-key-change-me-" + "x" * 32  # noqa: S105 - never used in production

DEBUG = os.environ.get("DJANGO_DEBUG", "0" if PRODUCTION else "1") == "1" and not PRODUCTION
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "coalition.core",
    "coalition.notifications",
    "coalition.accounts",
    "coalition.coalitions",
    "coalition.stakeholders",
    "coalition.measurement",
    "coalition.network",
    "coalition.planning",
    "coalition.joint_action",
    "coalition.meetings",
    "coalition.decisions",
    "coalition.feedback",
    "coalition.learning",
    "coalition.funding",
    "coalition.cohesion",
    "coalition.public",
    "coalition.api",
    "coalition.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "coalition.core.log.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "coalition.core.middleware.OutOfRangeIdMiddleware",
    "coalition.core.routing.PinAfterWriteMiddleware",
]

ROOT_URLCONF = "coalition.urls"
WSGI_APPLICATION = "coalition.wsgi.application"

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
                "coalition.core.navigation.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'coalition.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so two writers
    # queue on the busy timeout instead of failing with "database is locked" on lock upgrade. Up to
    # 256 MB of page cache per connection (taken only as pages are read) keeps a million values and
    # their index in memory while an import writes them.
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if TESTING else DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000; PRAGMA cache_size=-256000; PRAGMA temp_store=MEMORY;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif TESTING:
    # A test database is thrown away: not waiting for each commit to reach the disk saves the suite minutes.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"

# A streaming replica of the PostgreSQL primary for read-only pages (``core/routing.py``); never needed.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("COALITION_REPLICA_MAX_LAG", "5"))
REPLICA_PIN_SECONDS = int(os.environ.get("COALITION_REPLICA_PIN_SECONDS", "15"))
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    # Tests that use the replica reach the real one by name; the suite's own database setup leaves it alone.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["coalition.core.routing.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Nightly backups (``manage.py backup_db``, which also runs the restore drill), the newest kept.
BACKUP_DIR = Path(os.environ.get("COALITION_BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("COALITION_BACKUP_KEEP", "14"))

# --- Cache ------------------------------------------------------------------------------------------
# Redis (Django's own backend) when ``REDIS_URL`` is set, so every app process shares one cache; process-local
# memory otherwise (one process: the demo, the tests). Cached values are keyed by data versions kept in the
# database, so no process can serve what another has already invalidated.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("COALITION_CACHE_PREFIX", "coalition"),
            "TIMEOUT": 3600,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "coalition"}}

# --- Authentication and passwords ------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 stays first (tests assert it); its cost is lowered only for test speed.
    PASSWORD_HASHERS = ["coalition.accounts.hashers.FastArgon2PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "coalition.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Lock a username+address pair after 5 failures; the same user can still sign in from elsewhere.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Two-step sign-in (a code from an authenticator app) for the roles that administer a coalition: required in
# production; off by default elsewhere so the demo's printed logins work as printed.
REQUIRE_TWO_STEP = os.environ.get("COALITION_REQUIRE_TWO_STEP", "1" if PRODUCTION else "0") == "1"
OTP_TOTP_ISSUER = "Coalition"

INVITATION_LIFETIME = timedelta(days=int(os.environ.get("COALITION_INVITATION_DAYS", "7")))

# First run: with sign-up allowed, anyone can create an account (confirmed by email) and start a coalition.
# Off by default: the operator starts the first coalition with ``manage.py create_coalition``.
COALITION_ALLOW_SIGNUP = os.environ.get("COALITION_ALLOW_SIGNUP", "0") == "1"
EMAIL_CONFIRMATION_LIFETIME = timedelta(hours=int(os.environ.get("COALITION_EMAIL_CONFIRMATION_HOURS", "48")))
# Sign-up attempts per client address, and confirmation emails per account, in each hour.
SIGNUP_RATE_PER_HOUR = int(os.environ.get("COALITION_SIGNUP_RATE_PER_HOUR", "5"))
# API calls per person and minute (Django cache: shared by every process when REDIS_URL is set).
API_READS_PER_MINUTE = int(os.environ.get("COALITION_API_READS_PER_MINUTE", "600"))
API_WRITES_PER_MINUTE = int(os.environ.get("COALITION_API_WRITES_PER_MINUTE", "120"))

# --- Email ---------------------------------------------------------------------------------------
# Development prints email to the console. In production set EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS=1 and DEFAULT_FROM_EMAIL (see README, "Email").
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "coalition@localhost")
# The address people reach the site at, for links in email (unsubscribe, "open it in Coalition").
SITE_URL = os.environ.get("COALITION_SITE_URL", "http://127.0.0.1:8000")

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# Arabic is written right to left: templates set <html dir> from get_current_language_bidi.
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("COALITION_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
COALITION_MAX_UPLOAD_BYTES = int(os.environ.get("COALITION_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))

# --- Background work --------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if os.environ.get("COALITION_TASKS") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Security headers ----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Server-rendered SVG charts carry presentation styles; scripts stay strictly external.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if PRODUCTION:
    # TLS terminates at the HTTPS proxy, which must send X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# One line a record: JSON in production (``COALITION_LOG_FORMAT=json``), text elsewhere; each names its request id,
# actor and coalition (``core/log.py``). Times are UTC.
LOG_FORMAT = os.environ.get("COALITION_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "coalition.core.log.RequestContextFilter"}},
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s actor=%(actor)s coalition=%(coalition)s] %(message)s"
        },
        "json": {"()": "coalition.core.log.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("COALITION_LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    # PDF rendering narrates every step at INFO; only its problems are worth a log line.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
