"""Settings for Quy chế, in one file, read from the environment.

Defaults are safe ones: DEBUG off, and then no start without a SECRET_KEY. The quick start
(`make run`) and the tests ask for DEBUG=1, with SQLite in the project folder and no Redis.
Production sets SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and the email variables.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from quyche.ids import BIGGEST_ID

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The quick start's key is public: whoever knows it can forge sessions, so only DEBUG may use it.
QUICK_START_KEY = "django-insecure-quick-start-only"
SECRET_KEY = os.environ.get("SECRET_KEY") or QUICK_START_KEY
# The site and the worker refuse to start on it with DEBUG off (quyche/security.py); commands such as
# `check` and `migrate` still run, and `check --deploy` names the weak key.
INSECURE_START = not DEBUG and SECRET_KEY == QUICK_START_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "guardian",
    "axes",
    "simple_history",
    "treebeard",
    # Each app depends only on those listed before it (tests/test_layout.py keeps it so).
    "organizations",
    "notifications",
    "regulations",
    "inspections",
    "reviews",
    "oversight",
    "demo",
]

MIDDLEWARE = [
    "quyche.logs.RequestLogMiddleware",
    "quyche.prepared.PreparedReadsMiddleware",
    "quyche.security.RefuseInsecureStartMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "quyche.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "quyche.security.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a locked-out login into the lockout page; django-axes wants it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "quyche.urls"
WSGI_APPLICATION = "quyche.wsgi.application"

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
                "organizations.context_processors.my_organizations",
                "notifications.context_processors.unread",
                "reviews.context_processors.todo",
                "quyche.context_processors.header_links",
            ],
            "libraries": {"paper": "quyche.paper"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        # A kept connection that the database dropped (a restart) is replaced before a request uses it.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The dashboard's correlated subqueries cost enough for PostgreSQL to JIT-compile them, which
    # takes longer than running them (bench/oversight.py: 38 of 55 ms).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Reading pages have their queries planned once per connection (quyche/prepared.py); 0 for a pooler that
# does not keep prepared statements.
PREPARED_READS = env_bool("PREPARED_READS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organizations.User"
AUTHENTICATION_BACKENDS = [
    # First: it refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's anonymous user is not used: every page needs a login.
ANONYMOUS_USER_NAME = None
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Idle sessions end: the age counts from the last request (quyche.security.IdleSessionMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "480")) * 60

# Login lockout (django-axes): so many failures for one account, or from one address, lock it until the
# cool-off has passed since the last one. Attempts are kept in the database, shared by every worker.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Not reset by a success: it would clear every failure from that address, and let an insider guess a
# colleague's password between logins of their own.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "quyche.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "quyche.security.client_ip"
AXES_VERBOSE = False  # no banner on every command; failures and lockouts are still logged

# A request's fields held in memory (files go to disk and are capped by their forms): enough for a text
# pasted on the import page up to its cap (regulations/parsing/limits.py: 2,000,000 characters, which
# Vietnamese spells in 1 to 3 bytes each). Past it the Vietnamese 400 page says the request was too large.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# Our own Vietnamese for what the admin and the packages it shows leave in English (read before theirs).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
# Static files are each host's own: `collectstatic` on every web host, served by WhiteNoise.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Stored files (the PDFs of issued texts) are written by the worker and read by every web host. On one machine
# they are kept under MEDIA_ROOT; with several, in an S3-compatible bucket they all reach (STORAGE_S3_BUCKET).
# The site streams them itself, to those allowed to read them: the bucket stays private.
STORAGE_S3_BUCKET = os.environ.get("STORAGE_S3_BUCKET", "")
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": os.environ.get("STORAGE_S3_ENDPOINT_URL") or None,
            # Without keys, boto3 looks for its own (AWS_* variables, a role of the machine).
            "access_key": os.environ.get("STORAGE_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("STORAGE_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("STORAGE_S3_REGION") or None,
            "location": os.environ.get("STORAGE_S3_PREFIX", ""),
            # As on disk, a new file never takes the name of one kept: a correction deletes the old PDF by
            # its name once the new text is committed.
            "file_overwrite": False,
        },
    }
    if STORAGE_S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "quyche.static.KeptManifestStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

REDIS_URL = os.environ.get("REDIS_URL", "")
# With Redis, every process on every host shares the caches (quyche/cache.py; with Redis down a page is
# computed without them, at once rather than waiting): the API's throttles ("default": wrong tokens from an
# address are counted wherever they land), the header's counts ("counts": cached per person and dropped when
# what they count changes, quyche/counts.py, which every process must see change; the worker's heartbeat too),
# and what never changes under its key ("kept": issued texts drawn, comparisons of issued texts,
# quyche/kept.py), drawn by the first reader for all. In each process's memory (the quick start, one process)
# the counts are kept a few seconds only.


def _shared(name: str) -> dict:
    if not REDIS_URL:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}
    return {
        "BACKEND": "quyche.cache.SharedCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "quyche" if name == "counts" else f"quyche-{name}",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


CACHES = {
    "default": _shared("default"),
    "counts": _shared("counts"),
    "kept": _shared("kept"),
}
# Sessions in the database, which every host shares: a login holds wherever the next request lands.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Without Redis (the quick start) tasks run inline, in the request or command that queues them.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# A broker that is down fails the queueing within seconds (the reader is told to try again; a scan leaves
# the emails pending for the next one) instead of holding a request for 20 s.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE = {
    "scan-reminders": {"task": "notifications.tasks.scan_reminders", "schedule": crontab(minute=15)},
    "send-digests": {"task": "notifications.tasks.send_digests", "schedule": crontab(hour=7, minute=0)},
    # /healthz fails when the last heartbeat is older than HEARTBEAT_STALE_SECONDS: beat or every worker is down.
    # One not taken within the minute is dropped, so a worker coming back does not run a backlog of them.
    "heartbeat": {"task": "quyche.heartbeat", "schedule": 60.0, "options": {"expires": 55}},
}
HEARTBEAT_STALE_SECONDS = 5 * 60
# With a worker, texts of at least this many articles are printed in the background.
PDF_BACKGROUND_ARTICLES = int(os.environ.get("PDF_BACKGROUND_ARTICLES", "150"))
# With a worker, texts of at least this many articles are imported from the page in the background.
IMPORT_BACKGROUND_ARTICLES = int(os.environ.get("IMPORT_BACKGROUND_ARTICLES", "150"))
# A background import not ended this many minutes after it was asked for is given up (the worker is down or
# was stopped): the page says so and offers the text back to import again.
IMPORT_JOB_TIMEOUT_MINUTES = int(os.environ.get("IMPORT_JOB_TIMEOUT_MINUTES", "15"))
# The release being run, naming what it keeps in the shared cache (quyche/release.py); "" for a digest of the code.
RELEASE = os.environ.get("RELEASE", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Quy chế <quyche@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Addresses told of a server error (a page that failed) and of a background task that failed for good.
ADMINS = [(address, address) for address in env_list("ADMINS", "")]

# Production hardening; all on when DEBUG is off (see README, "Deploying").
# Behind a reverse proxy (BEHIND_PROXY=1), trust what it adds: the scheme and the client's address.
# Without one, those headers come from the client and are ignored.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer asks for /healthz over plain HTTP, host by host.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    # Tokens first: an anonymous request is answered 401 with `WWW-Authenticate: Token`, as HTTP says.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "quyche.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Anonymous requests are refused before any throttle; wrong tokens are counted per address
    # (quyche/authentication.py). The counts live in the default cache: Redis, shared, when REDIS_URL is set.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_RATE_USER", "120/minute"),
        "wrong_token": os.environ.get("API_RATE_WRONG_TOKEN", "10/minute"),
    },
    "NUM_PROXIES": 1 if BEHIND_PROXY else 0,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "quyche.api.vietnamese_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "quyche.api.Pagination",
    "PAGE_SIZE": 50,  # as the pages' lists (quyche.paging); ?limit= asks for up to 500
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Quy chế API",
    "DESCRIPTION": "Read-only API of Quy chế: organizations, regulations, amendments.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Ids in URLs (<id:pk>, quyche/urls.py): BigAutoField's range.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": BIGGEST_ID}},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "quyche.api.document_errors"],
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "organizations.models.OrganizationKind",
        "BodyKindEnum": "organizations.models.BodyKind",
        "RegulationKindEnum": "regulations.models.RegulationKind",
        "VersionStatusEnum": "regulations.models.VersionStatus",
        "AmendmentStatusEnum": "reviews.models.AmendmentStatus",
    },
}

# Every process (site, worker, beat) logs to stderr, for systemd's journal or a collector: one JSON object a
# line by default in production (quyche/logs.py), readable lines on a development machine.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT is json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "quyche.logs.JSONFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint reports each layout step; refused URLs still show at WARNING.
        "weasyprint.progress": {"level": "WARNING"},
        # runserver's own line for each request: quyche.requests logs them all, whatever serves them.
        "django.server": {"level": "WARNING"},
    },
}
