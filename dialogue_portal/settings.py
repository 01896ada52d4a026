"""Settings for the Decision 2200 dialogue portal.

One module, read from the environment (django-environ). The defaults give a newcomer a
working embedded set-up (SQLite, Celery eager, e-mail to the console); a production
configuration that forgets something essential refuses to start instead of guessing.
Every variable is documented in `.env.example`.
"""

import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# What a production configuration lacks. Maintenance commands (makemigrations, migrate, shell) still
# run; serving refuses to start: wsgi.py, asgi.py and the Celery worker and beat raise
# ImproperlyConfigured, and `check --deploy` reports each one (dialogue_portal/checks.py).
CONFIGURATION_ERRORS: list[str] = []

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        CONFIGURATION_ERRORS.append(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=true for local development."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if (DEBUG or TESTING) else [])
if not ALLOWED_HOSTS:
    CONFIGURATION_ERRORS.append("ALLOWED_HOSTS is empty. Set it to the host names the portal is served on.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Number of reverse proxies in front of gunicorn whose X-Forwarded-For entries are trusted.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

INSTALLED_APPS = [
    "dialogue_portal",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "captcha",
    "phonenumber_field",
    "django_celery_beat",
    # The domain, from the parts that know least to those that know most.
    "audit",
    "units",
    "rules",
    "conferences",
    "petitions",
    "followup",
    "notifications",
    "reports",
    "citizens",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dialogue_portal.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dialogue_portal.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dialogue_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "dialogue_portal.wsgi.application"

# --- Database -------------------------------------------------------------------------
# Embedded default: SQLite in the project folder. Production: DATABASE_URL=postgres://…
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
IS_SQLITE = DATABASES["default"]["ENGINE"].endswith("sqlite3")
if IS_SQLITE:
    # Several people sending at once on the embedded default: BEGIN IMMEDIATE takes the write lock when
    # a transaction starts (a deferred one fails with "database is locked" when it upgrades), WAL lets
    # readers go on while one writes, and a writer waits up to SQLITE_BUSY_TIMEOUT seconds for the lock.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    if not (DEBUG or TESTING):
        CONFIGURATION_ERRORS.append(
            "DATABASE_URL is not set (or is SQLite). Production needs PostgreSQL: SQLite is the embedded "
            "default for one machine with DEBUG=true."
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith(("postgresql", "postgis"))

# --- Redis: broker, results and cache -------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# A hung Redis (accepting connections, never answering) must cost a request about a second, not the
# client's default of waiting for ever: every connection and every reply is bounded by REDIS_TIMEOUT.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=1.0)


def redis_cache(url: str, *, timeout: float, key_prefix: str = "portal") -> dict:
    """Return the CACHES entry of Django's RedisCache at `url`, every connection and reply bounded by `timeout`."""
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {"socket_timeout": timeout, "socket_connect_timeout": timeout},
    }


if REDIS_URL:
    CACHES = {
        "default": redis_cache(
            REDIS_URL, timeout=REDIS_TIMEOUT, key_prefix=env.str("CACHE_KEY_PREFIX", default="portal")
        )
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SILENCED_SYSTEM_CHECKS = [
    # Django's own RedisCache increments atomically; django-ratelimit only lists django-redis.
    "django_ratelimit.W001",
]
if not REDIS_URL:
    if not (DEBUG or TESTING):
        CONFIGURATION_ERRORS.append("REDIS_URL is not set. Production needs Redis for Celery and the shared cache.")
    # The embedded default is one development server process: a local-memory cache is shared
    # by all its threads, which is all rate limiting needs there.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_timeout": REDIS_TIMEOUT,
    "socket_connect_timeout": REDIS_TIMEOUT,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_TIMEOUT
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT
# A request that hands a task to a hung broker tries once more, then gives up (the database keeps the work).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

# --- E-mail ---------------------------------------------------------------------------


def email_config(url: str) -> dict:
    """Read EMAIL_URL; `filemail:///var/mail/portal` is the absolute folder /var/mail/portal.

    django-environ drops the leading slash of a file path (it reads `var/mail/portal`, relative to
    wherever the process started), so the path of a `filemail://` URL is taken as written.
    """
    config = environ.Env.email_url_config(url)
    parsed = urlsplit(url)
    if parsed.scheme == "filemail" and not parsed.netloc and parsed.path.startswith("/"):
        config["EMAIL_FILE_PATH"] = unquote(parsed.path)
    return config


EMAIL_CONFIG = email_config(env.str("EMAIL_URL", default="consolemail://"))
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cổng đối thoại 2200 <no-reply@doithoai.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A slow mail server must not hold an outbox row's lock for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# Outbox retries: wait 1, 2, 4 … minutes (at most 6 hours), park the message after this many attempts.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=8)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.int("NOTIFICATIONS_RETRY_MAX_SECONDS", default=6 * 60 * 60)

# --- Authentication -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "citizens:home"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The same client address as the audit log (TRUSTED_PROXY_COUNT hops from the right of X-Forwarded-For):
# behind the proxy REMOTE_ADDR is the proxy for everybody, and failures from one address would lock the
# official out everywhere.
AXES_CLIENT_IP_CALLABLE = "audit.services.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The locked-out page and its Retry-After say the real cool-off (AXES_COOLOFF_HOURS).
AXES_LOCKOUT_CALLABLE = "dialogue_portal.views.locked_out"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Sessions end after 30 minutes idle and 12 hours after sign-in whatever the activity, in the database
# (dialogue_portal/sessions.py) and in SessionTimeoutMiddleware; `clearsessions` runs nightly.
SESSION_ENGINE = "dialogue_portal.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Internationalisation: Vietnamese first -------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["dialogue_portal.formats"]
PHONENUMBER_DEFAULT_REGION = "VN"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

# --- Static and uploaded files --------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not (DEBUG or TESTING))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Above the petition form's own limit (5), so a citizen who picks too many files gets the form's message.
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# --- Forms ----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
CAPTCHA_IMAGE_SIZE = (160, 50)
CAPTCHA_LENGTH = 5
CAPTCHA_TEST_MODE = env.bool("CAPTCHA_TEST_MODE", default=False)
RATELIMIT_VIEW = "citizens.ratelimits.rate_limited"
# Rate limits of the public forms (citizens/ratelimits.py), "<count>/<period>" with s, m, h or d, e.g. 20/h
# or 100/5m. RATELIMIT_ENABLE=false switches every one of them off (load tests only, never in production).
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
# After a cache failure the limits are not checked (fail open) for this many seconds, with one warning.
CACHE_OUTAGE_SECONDS = env.int("CACHE_OUTAGE_SECONDS", default=60)
CITIZENS_RATE_SEND_PER_IP = env.str("CITIZENS_RATE_SEND_PER_IP", default="20/h")
CITIZENS_RATE_SEND_PER_PHONE = env.str("CITIZENS_RATE_SEND_PER_PHONE", default="5/h")
CITIZENS_RATE_CAPTCHA_FAILURES_PER_IP = env.str("CITIZENS_RATE_CAPTCHA_FAILURES_PER_IP", default="60/h")
CITIZENS_RATE_FORM_PER_IP = env.str("CITIZENS_RATE_FORM_PER_IP", default="60/h")
CITIZENS_RATE_TRACK_PER_IP = env.str("CITIZENS_RATE_TRACK_PER_IP", default="30/h")
CITIZENS_RATE_MY_DATA_PER_IP = env.str("CITIZENS_RATE_MY_DATA_PER_IP", default="10/h")
CITIZENS_RATE_MY_DATA_PER_CONTACT = env.str("CITIZENS_RATE_MY_DATA_PER_CONTACT", default="10/h")
CITIZENS_RATE_ALERTS_PER_IP = env.str("CITIZENS_RATE_ALERTS_PER_IP", default="10/h")
CITIZENS_RATE_ALERTS_PER_EMAIL = env.str("CITIZENS_RATE_ALERTS_PER_EMAIL", default="3/h")
# Days an e-mail alert's confirmation link works (notifications/alerts.py).
ALERTS_CONFIRM_MAX_AGE_DAYS = env.int("ALERTS_CONFIRM_MAX_AGE_DAYS", default=7)
CITIZENS_RATE_PASSWORD_RESET_PER_IP = env.str("CITIZENS_RATE_PASSWORD_RESET_PER_IP", default="10/h")
CITIZENS_RATE_PASSWORD_RESET_PER_ACCOUNT = env.str("CITIZENS_RATE_PASSWORD_RESET_PER_ACCOUNT", default="3/h")

# --- Security -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A plain Vietnamese page instead of Django's English developer page.
CSRF_FAILURE_VIEW = "dialogue_portal.views.csrf_failure"
if not DEBUG and not TESTING:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_REFERRER_POLICY = "same-origin"
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a one-way decision for the domain owner, not a default.
        SILENCED_SYSTEM_CHECKS.append("security.W021")

# --- Logging: never the petitioner's name or contacts ---------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"ordinary_refusals": {"()": "dialogue_portal.log_filters.OrdinaryRefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # "Forbidden: /path" and "Not Found: /path" in one line each, without a traceback.
        "django.request": {"filters": ["ordinary_refusals"]},
        # WeasyPrint logs every font and stylesheet it loads at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Domain settings ------------------------------------------------------------------
PORTAL_PROVINCE_CODE = env.str("PORTAL_PROVINCE_CODE", default="01")  # Hà Nội
# Reports and rankings judge a unit only above this many cases (FixMyStreet's rule).
PORTAL_MIN_SAMPLE_SIZE = env.int("PORTAL_MIN_SAMPLE_SIZE", default=5)
REPORTS_ROOT = Path(env.str("REPORTS_ROOT", default=str(MEDIA_ROOT / "reports")))

# --- Open data (issue 11): the Open311 API's limits -----------------------------------
# Petitions one API key may submit per hour, and the largest page of `GET requests`.
OPEN311_POSTS_PER_KEY = env.str("OPEN311_POSTS_PER_KEY", default="100/h")
OPEN311_PAGE_SIZE = env.int("OPEN311_PAGE_SIZE", default=50)

# --- Privacy headers (issue 9 §1, helper "uploads"; kept apart to ease merging) -------------------
# no-store on personal pages, Permissions-Policy; COOP "same-origin" is Django's default.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "dialogue_portal.headers.PrivacyHeadersMiddleware",
)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Content-Security-Policy (issue 9 §1, helper "uploads"; django-csp) ---------------------------
# Scripts only from our static files (no inline, no eval); inline style *attributes* are still used by
# a few templates (widths of progress bars), style elements are not (htmx's is turned off in base.html).
from csp.constants import NONE, SELF  # noqa: E402

MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": "/csp-report/",
    }
}
