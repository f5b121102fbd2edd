"""Settings shared by every environment. Values come from the environment (django-environ)."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(str(BASE_DIR / ".env"))
VAR_DIR = Path(env.str("SMA_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me-0123456789abcdef")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "phonenumber_field",
    "axes",
    "sma",
    "contracts",
    "cases",
    "escalation",
    "warranty",
    "knowledge",
    "portal",
    "reports",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "sma.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sma.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sma.middleware.NoStoreForSignedInMiddleware",
    "contracts.middleware.SlaRevisionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Customers' contacts stay in the portal; an ended designation is signed out at once.
    "portal.access.PortalBoundaryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused by the lock-out into its page (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sma.urls"
WSGI_APPLICATION = "sma.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sma.context_processors.product",
                "sma.context_processors.inbox",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# PostgreSQL in production and tests (DATABASE_URL); an embedded SQLite file otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'sma.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: WAL, a busy timeout and IMMEDIATE transactions keep
    # any of them from dying of "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    )
else:
    # Persistent connections: a new one costs its first requests the backend's start and catalog
    # reads (planning a case-list query on a fresh backend reads ~1,300 catalog buffers, ~10x a
    # warm one). Checked before reuse, so a restarted database costs one reconnect, not an error.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=600))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Short OLTP queries: PostgreSQL's JIT costs 150+ ms whenever it kicks in and never pays back.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering-index columns (INCLUDE) are a PostgreSQL speed-up; the embedded SQLite just skips them.
# axes.W006 asks to lock by IP address too: SMA locks by user name on purpose (see AXES_* below), and
# the failures of a user name are summed over every address and browser, so rotating them gains nothing.
SILENCED_SYSTEM_CHECKS = ["models.W040", "axes.W006"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# A session lasts a working day from sign-in (staff and customers' contacts alike); Django gives the
# session a new key at every sign-in.
SESSION_COOKIE_AGE = env.int("SMA_SESSION_HOURS", default=10) * 3600
# Where the Django admin lives (production sets it from the environment).
SMA_ADMIN_URL = env("SMA_ADMIN_URL", default="admin/")
# Links to choose a password (portal invitations, "forgot your password?") work once and expire.
PASSWORD_RESET_TIMEOUT = env.int("SMA_PASSWORD_LINK_HOURS", default=72) * 3600
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Login throttling (django-axes) ---------------------------------------------------------------
# After AXES_FAILURE_LIMIT wrong passwords for one user name within AXES_COOLOFF_TIME, that user name
# is locked out (even with the right password) until the failures are older than the cool-off; on
# the site's sign-in page and on the admin's alike. Locking by user name, not by address: the staff
# share an office's address, and one person's typos must not lock out their colleagues. Case and
# surrounding spaces do not make a new user name; an empty one is never counted.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, reading the inbox's unread count with the user (sessions from before it sign in again).
    "sma.auth.InboxCountBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("SMA_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SMA_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "sma.auth.lockout_username"
AXES_LOCKOUT_CALLABLE = "sma.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Tries while locked are refused without counting: the lock ends AXES_COOLOFF_TIME after the failure
# that set it, however often the user (or a guesser) tries meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Locks end by themselves after the cool-off; to lift one sooner:
# `manage.py axes_reset_username <user name>` (lower case). No admin pages: they would be in English.
AXES_ENABLE_ADMIN = False

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "es-co"
LANGUAGES = [("es-co", _("Spanish (Colombia)")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Bogota"
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "CO"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Private uploads (attachments, certificates): never served directly, only through views that
# check the user may see them.
MEDIA_ROOT = Path(env.str("SMA_MEDIA_ROOT", default=str(VAR_DIR / "private")))

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Soporte Calltech <support@calltechsa.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMA_SUPPORT_ADDRESS = env("SMA_SUPPORT_ADDRESS", default="support@calltechsa.com")
# Customer e-mails carry links to the site (the portal, later) and a Message-ID of this domain.
SMA_SITE_URL = env("SMA_SITE_URL", default="http://127.0.0.1:8000")
# Incoming support mail: an IMAP mailbox read by a beat job (off while SMA_IMAP_HOST is unset).
# Messages are flagged as seen / moved only after they were stored.
SMA_IMAP_HOST = env("SMA_IMAP_HOST", default="")
SMA_IMAP_PORT = env.int("SMA_IMAP_PORT", default=993)
SMA_IMAP_SSL = env.bool("SMA_IMAP_SSL", default=True)
SMA_IMAP_USER = env("SMA_IMAP_USER", default="")
SMA_IMAP_PASSWORD = env("SMA_IMAP_PASSWORD", default="")
SMA_IMAP_FOLDER = env("SMA_IMAP_FOLDER", default="INBOX")
# Stored messages are moved here (created when missing); empty = leave them, flagged as seen.
SMA_IMAP_DONE_FOLDER = env("SMA_IMAP_DONE_FOLDER", default="SMA-procesados")
SMA_IMAP_INTERVAL = env.float("SMA_IMAP_INTERVAL", default=60.0)
# Other addresses that deliver into the support mailbox (comma-separated), e.g. soporte@….
SMA_SUPPORT_ALIASES = [a.strip().lower() for a in env.list("SMA_SUPPORT_ALIASES", default=[]) if a.strip()]
# A message naming none of the support addresses in To or Cc (it came by Bcc or through a list):
# "hold" keeps it for staff to review in the admin (default); "register" handles it like any other
# message but never sends it an automatic answer.
SMA_INBOUND_UNADDRESSED = env("SMA_INBOUND_UNADDRESSED", default="hold").strip().lower()
if SMA_INBOUND_UNADDRESSED not in ("hold", "register"):
    raise ImproperlyConfigured("SMA_INBOUND_UNADDRESSED must be 'hold' or 'register'.")

# --- Caches -------------------------------------------------------------------------------------
# "default" is each process's own memory (cached lookups). "shared" holds what every web process
# must count together (the public verification's rate limit): Redis when REDIS_URL is set, the
# embedded run's one file otherwise.
REDIS_URL = env("REDIS_URL", default="")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "sma"}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    ),
}
# Public certificate verification (/verificar/): look-ups allowed per client address within the
# window (counted from its first look-up); more are answered 429 until the window has passed.
SMA_VERIFY_LIMIT = env.int("SMA_VERIFY_LIMIT", default=20)
SMA_VERIFY_WINDOW_SECONDS = env.int("SMA_VERIFY_WINDOW_SECONDS", default=600)

# --- Celery -------------------------------------------------------------------------------------
# Redis when configured; otherwise Celery's filesystem transport so that the embedded run needs
# no broker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default="filesystem://localhost//"))
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "sweep-attention-deadlines": {
        "task": "escalation.tasks.sweep_attention_deadlines",
        "schedule": 60.0,
    },
    "sweep-rma-deadlines": {
        "task": "warranty.tasks.sweep_rma_deadlines",
        "schedule": 60.0,
    },
    "climb-unacknowledged-pqrs": {
        "task": "escalation.tasks.climb_unacknowledged_pqrs",
        "schedule": 60.0,
    },
    "send-customer-email": {
        "task": "escalation.tasks.collect_customer_email",
        "schedule": 15.0,
    },
    "send-survey-invitations": {
        "task": "escalation.tasks.collect_survey_invitations",
        "schedule": 30.0,
    },
    "send-product-news": {
        "task": "escalation.tasks.collect_news_deliveries",
        "schedule": 60.0,
    },
    "fetch-support-mailbox": {
        "task": "escalation.tasks.fetch_support_mailbox",
        "schedule": SMA_IMAP_INTERVAL,
    },
    "ensure-public-holidays": {
        "task": "contracts.tasks.ensure_public_holidays",
        "schedule": crontab(minute=15, hour=3),
    },
    "prune-form-submissions": {
        "task": "cases.tasks.prune_form_submissions",
        "schedule": crontab(minute=45, hour=3),
    },
    "prune-api-writes": {
        "task": "api.tasks.prune_api_writes",
        "schedule": crontab(minute=50, hour=3),
    },
    "refresh-report-snapshots": {
        "task": "reports.tasks.refresh_period_snapshots",
        "schedule": crontab(minute=5, hour=0),
    },
    "retry-breach-reports": {
        "task": "reports.tasks.retry_breach_reports",
        "schedule": 300.0,
    },
    "generate-monthly-reports": {
        "task": "reports.tasks.generate_monthly_reports",
        "schedule": crontab(minute=30, hour=6),
    },
}

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        # One JSON object a line (SMA_LOG_FORMAT=json, production's default): time, level, logger,
        # message, the request id, and any extra the code logged.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    # 4xx answers (403, 404, CSRF, 400) are one line each; only server errors print a traceback.
    "filters": {
        "client_errors_one_line": {"()": "sma.log.ClientErrorsOnOneLine"},
        "request_id": {"()": "sma.request_id.RequestIdFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("SMA_LOG_FORMAT", default="plain"),
            "filters": ["request_id", "client_errors_one_line"],
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # django-axes: wrong passwords and lock-outs (warnings); not every successful sign-in, which
    # its access log table keeps.
    "loggers": {
        "axes": {"level": env("SMA_AXES_LOG_LEVEL", default="WARNING")},
        # WeasyPrint logs every step of every PDF (certificates) at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The worker logs through LOGGING above (JSON and request ids), not Celery's own set-up.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

SMA_PRODUCT_NAME = "SMA · Mesa de Ayuda Calltech"
# The office-hours calendar: a 24x7 customer's urgent case outside it calls the on-duty engineer.
SMA_OFFICE_CALENDAR = env("SMA_OFFICE_CALENDAR", default="oficina-8x5")
# Largest attachment accepted on a case.
SMA_MAX_ATTACHMENT_BYTES = env.int("SMA_MAX_ATTACHMENT_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The scheme's fallback: with no designated contacts, accept people who opened cases before.
SMA_ACCEPT_PREVIOUS_REQUESTERS = env.bool("SMA_ACCEPT_PREVIOUS_REQUESTERS", default=True)
# --- REST API (/api/v1/) ----------------------------------------------------------------------------
# Integrations authenticate with their own key (admin → API keys), scoped to read or to write;
# requests per key and window beyond SMA_API_RATE are answered 429 (counted in the "shared" cache).
SMA_API_RATE = env("SMA_API_RATE", default="600/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.access.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.access.KeyScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.access.KeyRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SMA API",
    "DESCRIPTION": (
        "The REST API of SMA, Calltech's help desk, for integrations (CRM, monitoring, the IVR). "
        "Each integration has its own key, issued by an administrator, sent as "
        "`Authorization: Api-Key <key>`; a key reads, or reads and writes. Integrations are trusted "
        "like staff: they read a case's internal activities too. Messages are in Spanish unless "
        "the request says `Accept-Language: en`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its documentation are public (they hold no data); the endpoints need a key.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI and Redoc from the sidecar's vendored files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Token the phone IVR presents to the SMA lookup endpoint; the endpoint is off while unset.
SMA_IVR_TOKEN = env("SMA_IVR_TOKEN", default="")
# A PQR must be acknowledged at each level of the escalation matrix within this many business
# hours (office calendar), or it climbs to the next level by itself.
SMA_PQR_ACK_HOURS = env.float("SMA_PQR_ACK_HOURS", default=4.0)

# Content-Security-Policy (django-csp 4): every page's scripts and styles come from our own static
# files — no inline script, style element or style attribute, no CDN. Bootstrap's icons are
# data: SVGs in its CSS. A response that sets its own policy (attachment downloads) keeps it.
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
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
