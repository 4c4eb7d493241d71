"""Settings shared by every environment. Values that differ per deployment come from the
environment (django-environ); see the table in README.md."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "noloc_portal.accounts.admin_site.VerifiedAdminConfig",  # django.contrib.admin, OTP-verified
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "noloc_portal.accounts.axes_app.LoginLockoutConfig",  # django-axes, named in Dutch
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "noloc_portal.accounts",
    "noloc_portal.documents",
    "noloc_portal.pdf",
    "portfolios",
    "assessments",
    "kwaliteitskringen",
    "noloc_portal.audit",
    "noloc_portal.backup",
    "noloc_portal.database",
    "noloc_portal.privacy",
]

# The portfolio frameworks (toetsingskaders): packages that register themselves with
# portfolios.registry. A new framework is a package plus a line here.
PORTFOLIO_FRAMEWORKS = ["portfolios.jobcoach", "portfolios.loopbaan"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django_otp's, checking the session's device against the devices loaded with the user.
    "noloc_portal.accounts.session_user.OTPMiddleware",
    "noloc_portal.accounts.middleware.MfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "noloc_portal.audit.client.ClientAddressMiddleware",
]

# Content-Security-Policy (django-csp 4): nothing inline, everything from the portal itself.
# Scripts, styles and handlers live in static/; a view that cannot comply relaxes the policy for
# itself only with csp.decorators (the API docs page, see noloc_portal/api_urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws the icons of selects, checkboxes, the navbar toggler and the close
        # button as data: SVG images in its stylesheet.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (django-permissions-policy): the portal uses no device or browser feature.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

ROOT_URLCONF = "noloc_portal.urls"
WSGI_APPLICATION = "noloc_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "noloc_portal.template_backend.DjangoTemplates",
        "NAME": "django",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "noloc_portal.accounts.context_processors.navigation",
                # After Django's built-in csrf processor, whose token it replaces.
                "noloc_portal.csrf_token.csrf",
            ],
            "libraries": {"layout": "noloc_portal.layout", "i18n": "noloc_portal.i18n_tags"},
            "builtins": ["noloc_portal.remembered_tags"],
        },
    },
]

# The API throttles and the password-reset limits count in the cache. The default is per
# process; with several web processes set CACHE_URL (for example redis://host:6379/1).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's Redis cache, reusing its client (see noloc_portal/cache.py).
    CACHES["default"]["BACKEND"] = "noloc_portal.cache.RedisCache"
    # With a shared cache every request reads its session from the cache (the database stays
    # the record). Not with the per-process default: a logout in one process would leave the
    # session alive in the cache of another.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def sqlite_waits_for_writes(database: dict) -> dict:
    """SQLite allows one writer at a time. A transaction that starts as a reader and then
    writes fails at once with "database is locked" when another writer got there first, so
    every transaction takes the write lock when it begins (IMMEDIATE) and waits up to 20
    seconds for it: a double submit is then handled in turn, as on PostgreSQL."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
    return database


def postgresql_prepares_statements(database: dict) -> dict:
    """On PostgreSQL a query's values are sent apart from its text, so the server can keep the
    query parsed and planned: a query that has run five times on one connection is prepared, and its
    later runs skip both (Django's default binds the values into the text and prepares
    nothing). That took 70-80 % of the database's CPU off every page (docs/performance.md).
    A pooler in transaction mode (PgBouncer before 1.21) cannot keep prepared statements:
    behind one set DATABASE_PREPARED_STATEMENTS=false."""
    if database["ENGINE"] == "django.db.backends.postgresql" and env.bool(
        "DATABASE_PREPARED_STATEMENTS", default=True
    ):
        options = database.setdefault("OPTIONS", {})
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", 5)
    return database


def database_from_environment(default: str | None = None) -> dict:
    url = env.db("DATABASE_URL", default=default) if default else env.db("DATABASE_URL")
    return postgresql_prepares_statements(sqlite_waits_for_writes(url))


# Embedded default: a SQLite file in the project. PostgreSQL with DATABASE_URL.
DATABASES = {"default": database_from_environment(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading a session's user with their roles and devices in one query.
    "noloc_portal.accounts.session_user.RolesModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: an account locks after AXES_FAILURE_LIMIT failed logins from any address, an
# address after LOGIN_FAILURE_LIMIT_PER_ADDRESS failures on any accounts; while locked even the
# right password is refused. The order of the lockout parameters is the one the handler reads.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env.int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "noloc_portal.accounts.lockout.AccountAndAddressHandler"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "noloc_portal.accounts.lockout.login_username"
AXES_LOCKOUT_CALLABLE = "noloc_portal.accounts.lockout.locked_out_response"
# A try during the lockout (perhaps with the right password) does not start it again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# The client address for the lockout, the throttles and the security log: REMOTE_ADDR, or behind
# a reverse proxy listed in TRUSTED_PROXIES the address that proxy put in X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "noloc_portal.audit.client.client_ip"

# Password reset requests: per address the page answers 429 past the limit; per e-mail address
# no further mail is sent (with the same answer, so no one learns whether an account exists).
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)
PASSWORD_RESET_LIMIT_WINDOW = timedelta(hours=1)
# Interest in a quality circle (public form): per client address, and per e-mail address; past
# the e-mail limit nothing more is registered or mailed, with the usual answer.
INTEREST_LIMIT_PER_ADDRESS = env.int("INTEREST_LIMIT_PER_ADDRESS", default=20)
INTEREST_LIMIT_PER_EMAIL = env.int("INTEREST_LIMIT_PER_EMAIL", default=3)
INTEREST_LIMIT_WINDOW = timedelta(hours=1)
# The public register (/register/): pages per client address per window. Checking a claim by
# hand stays far below it; a script copying the register goes no faster than a person paging.
REGISTER_LIMIT_PER_ADDRESS = env.int("REGISTER_LIMIT_PER_ADDRESS", default=60)
REGISTER_LIMIT_WINDOW = timedelta(minutes=10)
# Sign-up (noloc_portal/accounts): the link that confirms the e-mail address works once and
# expires after SIGNUP_VERIFICATION_HOURS. Per client address the page answers 429 past the
# limit; per e-mail address no further mail is sent (sign-up and "send the link again" count
# together), with the same answer, so no one learns whether an account exists.
SIGNUP_VERIFICATION_TIMEOUT = timedelta(hours=env.int("SIGNUP_VERIFICATION_HOURS", default=48))
SIGNUP_LIMIT_PER_ADDRESS = env.int("SIGNUP_LIMIT_PER_ADDRESS", default=10)
SIGNUP_LIMIT_PER_EMAIL = env.int("SIGNUP_LIMIT_PER_EMAIL", default=3)
SIGNUP_LIMIT_WINDOW = timedelta(hours=1)

# Two-factor authentication (noloc_portal/accounts/otp.py): TOTP apps with recovery codes.
OTP_TOTP_ISSUER = "Noloc certificering"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a member's TOTP key

# The security log (noloc_portal/audit) records REMOTE_ADDR; only when that is one of these
# addresses or networks (your reverse proxy) does it believe X-Forwarded-For.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
# Our own texts (Dutch, an identity catalogue), then Dutch names for third-party admin texts.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "third_party_locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/media/"

# Files go through the storages API: local disk by default, S3-compatible storage when
# S3_BUCKET is set. Uploads are served by the portal's own permission-checked views.
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": env("S3_ENDPOINT_URL", default=None),
                "access_key": env("S3_ACCESS_KEY_ID", default=None),
                "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
                "region_name": env("S3_REGION", default=None),
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
# Importing a bundle (portfolios/exchange/bundle.py): refused before anything is written when its
# zip directory lists more files, unpacks to more bytes in total, or compresses one file more
# than this (each file is also at most UPLOAD_MAX_BYTES). A real portfolio is far below these.
EXCHANGE_BUNDLE_MAX_ENTRIES = env.int("EXCHANGE_BUNDLE_MAX_ENTRIES", default=500)
EXCHANGE_BUNDLE_MAX_BYTES = env.int("EXCHANGE_BUNDLE_MAX_BYTES", default=200 * 1024 * 1024)
EXCHANGE_BUNDLE_MAX_RATIO = env.int("EXCHANGE_BUNDLE_MAX_RATIO", default=100)

# Celery: without REDIS_URL tasks run in-process (eager); with it, Redis is broker and backend.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Without a broker a PDF renders in a thread beside the request that asked for it, so that the
# request answers at once and the page shows the PDF's state until it is there (the test
# settings render in the request, so a test reads the PDF right after).
RENDER_BESIDE_REQUEST = env.bool("RENDER_BESIDE_REQUEST", default=not REDIS_URL)
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that publishes a task must not hang on a broker that is down (the defaults retried
# for 19 seconds): one immediate reconnect (a pooled connection may be stale), a one-second
# connect timeout, one publish. The job row stays queued and the reconciler below publishes it
# later (docs/operations.md). The worker's consumer keeps reconnecting (broker_connection_retry).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "max_retries": 1,
    "interval_start": 0,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE: dict = {}

# PDF render jobs (noloc_portal/pdf). A render that runs past the soft limit fails its job;
# the hard limit ends the worker process of a render that ignores the soft one. A worker renews
# a job's lease every third of RENDER_LEASE_SECONDS; the reconciler takes back a job whose
# lease ran out, and publishes a queued job again after RENDER_REQUEUE_AFTER seconds.
RENDER_SOFT_TIME_LIMIT = env.int("RENDER_SOFT_TIME_LIMIT", default=300)
RENDER_TIME_LIMIT = env.int("RENDER_TIME_LIMIT", default=RENDER_SOFT_TIME_LIMIT + 60)
RENDER_LEASE_SECONDS = env.int("RENDER_LEASE_SECONDS", default=60)
RENDER_REQUEUE_AFTER = env.int("RENDER_REQUEUE_AFTER", default=120)
RENDER_RECONCILE_INTERVAL = env.float("RENDER_RECONCILE_INTERVAL", default=60.0)

# Assessment workflow: an assignment waiting this many days for the assessor's declaration or
# judgement brings a reminder (and again after each such period), and the coordinators a list.
ASSESSMENT_REMINDER_DAYS = env.int("ASSESSMENT_REMINDER_DAYS", default=14)

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST", default="")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Noloc certificering <noreply@noloc.nl>")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "noloc_portal.accounts.authentication.ExpiringTokenAuthentication",
    ],
    # The token endpoint, per client address; the login lockout applies to it as well.
    "DEFAULT_THROTTLE_RATES": {"api-token": env("API_TOKEN_THROTTLE_RATE", default="10/minute")},
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# An API token expires this long after it was issued; a new password or logging out
# everywhere revokes it at once.
API_TOKEN_LIFETIME = timedelta(hours=env.int("API_TOKEN_LIFETIME_HOURS", default=24))
SPECTACULAR_SETTINGS = {
    "TITLE": "Noloc certificeringsportaal API",
    "DESCRIPTION": "Portfolios in the noloc-portfolio/1 exchange format and their evaluation.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

CELERY_BEAT_SCHEDULE["requeue-stale-reports"] = {
    "task": "noloc_portal.pdf.tasks.requeue_stale_reports",
    "schedule": RENDER_RECONCILE_INTERVAL,
    # A run that waited longer than its interval (no worker) is superseded by the next one.
    "options": {"expires": RENDER_RECONCILE_INTERVAL},
}

CELERY_BEAT_SCHEDULE["privacy-delete-expired-exports"] = {
    "task": "noloc_portal.privacy.tasks.delete_expired_exports",
    "schedule": 60 * 60 * 24,  # daily; a download of one's data is kept a week
}

CELERY_BEAT_SCHEDULE["kwaliteitskringen-meeting-reminders"] = {
    "task": "kwaliteitskringen.tasks.send_meeting_reminders",
    "schedule": 60 * 60 * 6,  # every six hours; each registration is reminded once
}

CELERY_BEAT_SCHEDULE["kwaliteitskringen-expire-interests"] = {
    "task": "kwaliteitskringen.tasks.expire_interests",
    "schedule": 60 * 60 * 24,  # daily; a reminder goes out once, an expiry is a state change
}

CELERY_BEAT_SCHEDULE["kwaliteitskringen-prune-circle-changes"] = {
    "task": "kwaliteitskringen.tasks.prune_circle_changes",
    "schedule": 60 * 60 * 24,  # daily; the revisions' query reads a row per change since
}

CELERY_BEAT_SCHEDULE["portfolios-prune-portfolio-changes"] = {
    "task": "portfolios.tasks.prune_portfolio_changes",
    "schedule": 60 * 60 * 24,  # daily; the revisions' query reads a row per change since
}

CELERY_BEAT_SCHEDULE["expire-facilitator-confirmations"] = {
    "task": "portfolios.jobcoach.tasks.expire_confirmations",
    "schedule": 3600.0,
}

CELERY_BEAT_SCHEDULE["assessment-assignment-reminders"] = {
    "task": "assessments.tasks.send_assignment_reminders",
    "schedule": 60 * 60 * 24,  # daily; each assignment is reminded once per reminder period
}

# Supplement rounds (workflow.md): the owner is reminded this many days before the deadline;
# after the deadline the portfolio goes back to its assessors. Checked every hour.
SUPPLEMENT_REMINDER_DAYS = env.int("SUPPLEMENT_REMINDER_DAYS", default=7)
CELERY_BEAT_SCHEDULE["assessments-supplement-deadlines"] = {
    "task": "assessments.tasks.supplement_deadlines",
    "schedule": 60 * 60,
    "options": {"expires": 60 * 60},
}

# Registrations running out (AS-5): the owner is e-mailed 12, 6 and 3 months before the end,
# each once (assessments.RegistrationReminder). Daily; a late run still sends the due stage.
CELERY_BEAT_SCHEDULE["assessments-registration-reminders"] = {
    "task": "assessments.tasks.send_registration_reminders",
    "schedule": 60 * 60 * 24,
    "options": {"expires": 60 * 60 * 12},
}
