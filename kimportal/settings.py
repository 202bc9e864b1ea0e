"""kimportal settings: one file, driven by the environment.

SQLite is the default so a fresh checkout runs without a server;
DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/kimportal) selects PostgreSQL.
"""
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no environment variable: "1", "true", "yes" and "on" mean yes, anything else no."""
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """A whole-number environment variable (minutes, seconds, counts).

    Raises ImproperlyConfigured, one line naming the variable, for anything but a whole number >= ``minimum``,
    so a typo in the server's environment stops the start with a clear message, not a ValueError traceback.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}, not {raw!r}.")
    return value


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    # The admin, whose site also demands the second factor (accounts.admin_site).
    "accounts.apps.KimportalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "csp",
    # Login throttling and TOTP; before reports, so their permissions exist when the roles are synced.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "kimportal",
    "programmes",
    "staffing",
    "population",
    "budgeting",
    # Who decides an unplanned provision (§ 83 GO NRW); before reports, whose post-migrate syncs the roles.
    "provisions",
    # Umlagegrundlagen and the split of own shares over the municipalities (Kreisumlage).
    "levy",
    # A county's plan in and out as one XLSX workbook (import_county, export_county, /verwaltung/arbeitsmappe/).
    "workbook",
    # Draw-downs of grant decisions (Mittelabrufe): requested, received, still to be called (/mittelabrufe/).
    "drawdowns",
    # Actual costs (Ist) per position and month, imported or entered by hand; before reports (roles sync).
    "actuals",
    # Year-end rollover of a fiscal year's plan to the next (/fortschreibung/); before reports (roles sync).
    "rollover",
    # Proofs of use (Verwendungsnachweise) per grant decision and year (/verwendungsnachweise/).
    "proofs",
    # Background tasks (Celery): PDFs, the whole state's papers, imports, with progress (/auftraege/); before
    # reports (roles sync).
    "tasks",
    # Before reports: its permission must exist when the roles are synced after reports' migrations.
    "audit",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files keep their caching; everything a logged-in user gets is no-store.
    "accounts.middleware.NoStoreMiddleware",
    # A view that finds the database away answers a German 503 (kimportal.errors; handler500 does the rest).
    "kimportal.errors.DatabaseUnavailableMiddleware",
    # Data versions (the keys of cached results) read once per request (kimportal.versioning).
    "kimportal.versioning.DataVersionsPerRequest",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle timeout and second factor (accounts.middleware): after the messages, which they use.
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked login into accounts.views.lockout's page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kimportal.urls"

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
                "kimportal.terms.unit_terms_context",
            ],
            "builtins": ["kimportal.templatetags.money"],
        },
    },
]

WSGI_APPLICATION = "kimportal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
    )
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Rendered committee papers, keyed by their content (reports.rendering); shared by all workers.
    "reports": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("KIMPORTAL_REPORT_CACHE", str(BASE_DIR / "var" / "cache" / "reports")),
        "TIMEOUT": 60 * 60 * 24 * 30,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
    # Engine results per county, period, case and data version (budgeting.cache, kimportal.versioning), shared by
    # all processes: Redis where REDIS_URL is set (redis://127.0.0.1:6379/1), else a table of the database.
    "engine": {
        **({"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
           if os.environ.get("REDIS_URL") else
           {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kimportal_engine_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000}}),
        "TIMEOUT": 60 * 60 * 24 * 7,
        "KEY_PREFIX": "kimportal",
    },
}
# Results and papers computed once per data version (kimportal.versioning; budgeting.cache, reports.pdf_cache).
DATA_VERSION_CACHE = os.environ.get("KIMPORTAL_DATA_VERSION_CACHE", "1") != "0"

# --- Background tasks: Celery with Redis (kimportal/celery.py, tasks/) ------------------------------------------
# With CELERY_BROKER_URL (redis://127.0.0.1:6379/0) tasks go to the queue and `celery -A kimportal worker` runs
# them; without it they run inline in the calling process, so a checkout without Redis works as before (README,
# "Hintergrundaufträge"). A task's state, progress and file are kept in tasks.TaskRun, so Celery's results are
# off: no result store, and no web process subscribing to one for every task it sends.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Berlin"
# Seconds. The soft limit ends a task with a German message (tasks.tasks); the hard limit kills a stuck worker
# process a minute later. The whole state's papers of one year are the longest task.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 30 * 60, minimum=1)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
# Long tasks: a worker takes one at a time, so a free worker on another host gets the next one.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# `celery -A kimportal beat` keeps its schedule state here, not in the checkout's root.
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
# Where tasks write their files (tasks.models.task_storage). With workers on several hosts this must be storage
# all of them and the web servers share (README).
TASK_FILES_DIR = Path(os.environ.get("KIMPORTAL_TASK_FILES", str(BASE_DIR / "var" / "tasks")))
# --- end of the Celery block ------------------------------------------------------------------------------------

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "kimportal.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked user name + address is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (BSI IT-Grundschutz ORP.4/CON.10, OWASP ASVS 2.2.1). Counted per user name *and* address:
# a county office puts all its staff behind one NAT address, so locking the address alone would lock out the
# whole office, and locking the name alone lets anyone lock out a colleague from anywhere. Unknown names are
# counted exactly like real ones, so the lock reveals nothing. Release: the admin's "Zugriffsversuche"
# (delete the entry) or ``manage.py axes_reset_username <name>``.
AXES_FAILURE_LIMIT = env_int("KIMPORTAL_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KIMPORTAL_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The locked page is the login page again (HTTP 429), with a German message (accounts.views.lockout).
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The client's address, behind a proxy from X-Forwarded-For (only with DJANGO_BEHIND_PROXY=1).
AXES_CLIENT_IP_CALLABLE = "accounts.policy.client_address"

# Sessions: logged out after KIMPORTAL_SESSION_IDLE_MINUTES without a request (accounts.middleware), and the
# cookie ends with the browser. The server-side session expires after the same idle time.
SESSION_IDLE_SECONDS = env_int("KIMPORTAL_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Administrators may not read other users' TOTP keys in the admin (they could then pass anyone's second factor).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
OTP_TOTP_ISSUER = "kimportal"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["kimportal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "kimportal" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Only a reverse proxy that sets X-Forwarded-Proto itself (and overwrites the client's) may be trusted with it;
# without one, any client could claim HTTPS. DJANGO_BEHIND_PROXY=1 says there is such a proxy (README).
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only the app's own files, no inline script or style anywhere,
# so injected markup can neither run nor restyle a page. Charts are inline SVG with presentation
# attributes, and the admin's icons are its own static files. tests/test_csp.py and
# tests/browser/test_csp.py hold every page to it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# Load balancers probe /health/ over plain HTTP inside the network; a redirect to HTTPS would count as "up".
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # 403 and 404 are one line each ("Forbidden (Permission denied): /stellen/1/bearbeiten/"); 5xx keep the traceback.
    "filters": {"client_errors_without_traceback": {"()": "kimportal.logfilters.ClientErrorsWithoutTraceback"}},
    # A foreign Host header (DisallowedHost, 400) is one line too. Logger filters apply only where a record is
    # logged, not to records passing up from child loggers, so the child logger is named itself.
    # Django's own "django" logger prints to the console itself while DEBUG is on and passes the record on to the
    # root logger, which printed it a second time: the root's handler alone writes.
    "loggers": {"django": {"handlers": [], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"), "propagate": True},
                "django.request": {"filters": ["client_errors_without_traceback"]},
                "django.security.DisallowedHost": {"filters": ["client_errors_without_traceback"]}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
