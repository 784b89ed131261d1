"""Settings shared by every environment; dev, prod and test only override."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.csp import CSP

from core.spreadsheets import CSV

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    "django_htmx",
    "django_tasks_db",
    "core",
    "accounts",
    "market",
    "advice",
    "companies",
    "jobs",
    "bookmarks",
    "guide",
]

MIDDLEWARE = [
    "core.middleware.RequestLogMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag and 304 for every page, cached or not.
    "django.middleware.http.ConditionalGetMiddleware",
    # Django's page cache (aihiring/cache.py): a hit is answered here, before sessions, CSRF and the view.
    "core.cache.UpdateCacheMiddleware",
    # Pages and API answers gzipped for clients that accept it (static files come precompressed from WhiteNoise
    # above). It adds random padding against BREACH, and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "core.cache.FetchFromCacheMiddleware",
    # Public or private: under the cache, over the layers that set cookies.
    "core.cache.CacheHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.middleware.RateLimitMiddleware",
]

# The same strict policy in development, tests and production, so a page that breaks it fails early.
# Pages put JavaScript and CSS in static files; CSP.NONCE is added only where a page truly needs inline code.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"  # sent by core.middleware.SecurityHeadersMiddleware
SECURE_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Sessions in the database alone: they outlive a cache outage, and a deleted session (a sign-out, a restore, an
# admin's delete) ends at once. A signed-in request costs one primary-key query for it.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

ROOT_URLCONF = "aihiring.urls"
WSGI_APPLICATION = "aihiring.wsgi.application"

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
                "django.template.context_processors.csp",
                "core.context_processors.site",
                "market.context_processors.current_edition",
                "bookmarks.context_processors.saved_version",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Each worker keeps its connection between requests, on SQLite too: opening one (SQLite registers its functions
# on every connect) cost a signed-in page a fifth of its time. A connection that broke is replaced at once.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The postings' list indexes carry company_id for index-only counts on PostgreSQL (jobs/models.py); SQLite builds
# them without it, as intended.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

REDIS_URL = env("REDIS_URL", default="")
# How long a shared cache (nginx, a CDN, the pages alias below) and a browser may keep an anonymous page.
PAGE_CACHE_SECONDS = env.int("DJANGO_PAGE_CACHE_SECONDS", default=300)
PAGE_BROWSER_SECONDS = env.int("DJANGO_PAGE_BROWSER_SECONDS", default=60)
CACHE_MIDDLEWARE_ALIAS = "pages"
CACHE_MIDDLEWARE_SECONDS = PAGE_CACHE_SECONDS
CACHE_MIDDLEWARE_KEY_PREFIX = ""
# A Redis that is down or hung is a cache miss after this many seconds (core/cache_backends.py), never an error.
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=0.25)
if REDIS_URL:
    _redis_options = {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS}
    CACHES = {
        "default": {
            "BACKEND": "core.cache_backends.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": _redis_options,
        },
        # Its own database: emptying the page cache flushes that database, never the rate-limit counts.
        "pages": {
            "BACKEND": "core.cache_backends.FailSoftRedisCache",
            "LOCATION": env("REDIS_PAGES_URL", default=urlsplit(REDIS_URL)._replace(path="/1").geturl()),
            "OPTIONS": _redis_options,
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Files, so every worker process on the machine shares the pages and one clear reaches them all.
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("DJANGO_PAGE_CACHE_DIR", default=str(BASE_DIR / "var" / "pages")),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "bookmarks:bookmark_list"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# The guide is in English only: without the translation machinery every {% url %} and date costs less (Django's
# documented optimisation). Admin and form messages are Django's English originals.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

MAILERS = {
    "default": {"BACKEND": env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")},
}
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="guide@localhost")

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
# How many reverse proxies or load balancers sit in front of the app and append to X-Forwarded-For.
# 0 trusts no such header: lockouts and throttles then count REMOTE_ADDR, which a client cannot forge.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"
# POSTs per client address (requests, seconds), enforced by core.middleware.RateLimitMiddleware.
RATE_LIMITS = (
    {
        "accounts:login": (60, 600),
        "admin:login": (30, 600),
        "api:token": (30, 600),
        "accounts:signup": (10, 3600),
        "accounts:password_reset": (5, 3600),
    }
    if env.bool("DJANGO_RATE_LIMITS", default=True)
    else {}
)

IMPORT_EXPORT_FORMATS = [CSV]  # escapes every formula-like cell on export
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Token first: an unauthenticated request to a private endpoint gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "core.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # These read DEFAULT_THROTTLE_RATES on every request, so the rates below can be changed without a restart.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.AnonRateThrottle",
        "core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", default="120/minute"),
        "user": env("API_USER_RATE", default="600/minute"),
    },
}

REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT  # throttles identify clients as client_ip() does

SPECTACULAR_SETTINGS = {
    "TITLE": "AI Hiring Guide API",
    "DESCRIPTION": "Open data of the AI Hiring Guide: companies, pay, market figures and advice.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.add_error_responses",
    ],
}

# Background work (the job-board syncs) runs as tasks of Django's tasks framework. By default they are kept in the
# database and run by `manage.py db_worker`; with DJANGO_TASKS_BACKEND=redis they go to Redis (RQ), so workers
# on several machines share them (`manage.py rqworker default`).
if env("DJANGO_TASKS_BACKEND", default="database") == "redis":
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": env("REDIS_TASKS_URL", default="redis://127.0.0.1:6379/2")}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The job boards' public APIs (jobs/sync.py requests nothing else) and how the sync treats them.
POSTINGS_GREENHOUSE_URL = env("POSTINGS_GREENHOUSE_URL", default="https://boards-api.greenhouse.io/v1/boards")
POSTINGS_LEVER_URL = env("POSTINGS_LEVER_URL", default="https://api.lever.co/v0/postings")
POSTINGS_ASHBY_URL = env("POSTINGS_ASHBY_URL", default="https://api.ashbyhq.com/posting-api/job-board")
POSTINGS_TIMEOUT_SECONDS = env.float("POSTINGS_TIMEOUT_SECONDS", default=20.0)
POSTINGS_MAX_BYTES = env.int("POSTINGS_MAX_BYTES", default=25 * 1024 * 1024)
POSTINGS_RETRIES = env.int("POSTINGS_RETRIES", default=3)
POSTINGS_BACKOFF_SECONDS = env.float("POSTINGS_BACKOFF_SECONDS", default=1.0)  # first wait; doubles each try
POSTINGS_MAX_RETRY_AFTER_SECONDS = env.float("POSTINGS_MAX_RETRY_AFTER_SECONDS", default=60.0)
POSTINGS_PER_HOST = env.int("POSTINGS_PER_HOST", default=4)  # requests in flight to one host at once
POSTINGS_WORKERS = env.int("POSTINGS_WORKERS", default=4)  # sources synced side by side (1 on SQLite)
POSTINGS_SYNC_EVERY_MINUTES = env.int("POSTINGS_SYNC_EVERY_MINUTES", default=360)
# The fewest job boards a market figure computed from postings may rest on (compute_snapshot); at least 1.
POSTINGS_MIN_SOURCES = max(env.int("POSTINGS_MIN_SOURCES", default=10), 1)

SITE_NAME = "AI Hiring Guide"
# The site's public address, for links in emails sent outside a request (change alerts).
SITE_URL = env("DJANGO_SITE_URL", default="http://127.0.0.1:8000")

# One JSON object per line on stderr: a line per request (aihiring.request) and Django's warnings and errors
# with their tracebacks (django.request). Collectors such as journald, Docker or a log shipper read stderr.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"level": env("DJANGO_LOG_LEVEL", default="INFO")},
        "django.server": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},
        "aihiring.request": {"level": env("DJANGO_REQUEST_LOG_LEVEL", default="INFO")},
    },
}
