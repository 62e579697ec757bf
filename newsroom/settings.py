"""Settings for Newsroom, read from environment variables with safe local defaults.

Every setting an operator may change is named in the README. Grouped by topic: the framework,
the database and cache, static files and uploads, security, logging, then the newsroom's own.
"""

import base64
import hashlib
import json
import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from newsroom.characters import is_digits

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}."
    )


def env_whole(name, default, minimum=0, unit="seconds"):
    """A whole number of `unit` (or of nothing, when `unit` is None), at least `minimum`."""
    value = os.environ.get(name) or str(default)
    if not is_digits(value) or int(value) < minimum:
        of_unit = f" of {unit}" if unit else ""
        raise ImproperlyConfigured(
            f"{name} must be a whole number{of_unit}, at least {minimum}; got {value!r}."
        )
    return int(value)


def env_seconds(name, default, minimum=0):
    return env_whole(name, default, minimum)


def env_object(name):
    """A JSON object from the environment variable `name`; {} when it is unset."""
    value = os.environ.get(name) or "{}"
    try:
        parsed = json.loads(value)
    except ValueError as error:
        parsed = error
    if not isinstance(parsed, dict):
        raise ImproperlyConfigured(
            f'{name} must be a JSON object such as {{"bucket_name": "news-media"}}; got {value!r}.'
        )
    return parsed


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# The framework.

DEBUG = env_bool("DJANGO_DEBUG", True)

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
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "reversion",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "newsroom",
    "articles",
    "feed",
    "narration",
    "search",
    "api",
]

MIDDLEWARE = [
    # Compresses what is not already compressed (feed polls, the API, the admin); it only
    # touches answers on their way out, and cached pages leave CachedPages compressed.
    "django.middleware.gzip.GZipMiddleware",
    # First to look at a request: a cached page for a reader without a session is sent before
    # anything else runs.
    "newsroom.middleware.CachedPages",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer: every answer of the Content API carries its CORS headers.
    "api.middleware.ReadableFromAnywhere",
    # django-csp's, with the site's own policy built once (newsroom/middleware.py).
    "newsroom.middleware.ContentSecurityPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CSRF, so that a POST to a reader's page is told 405, not 403.
    "newsroom.middleware.ReadOnlyPublicSite",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.middleware.OldAddressMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "newsroom.context_processors.site",
            ],
        },
    },
    {
        # The few parts of pages drawn by Jinja2 (newsroom/jinja2.py), each through its app's
        # own function; Django's templates above are found first for any other name.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "newsroom.jinja2.environment"},
    },
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-us")
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Kyiv")
USE_I18N = True
USE_TZ = True
# The admin writes every moment as the desk does, "November 30, 2026, 19:48 (Kyiv)", not in
# Django's "Nov. 30, 2026, 7:48 p.m." (newsroom/formats/, from newsroom/dates.py).
FORMAT_MODULE_PATH = ["newsroom.formats"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# The database and the cache.

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'newsroom.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if env_bool("DATABASE_POOL", False) and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Under the production server (ASGI) each request runs in a thread of its own, where kept
    # connections would pile up; a pool per process lends them out and takes them back.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The site's queries are many and short: PostgreSQL's just-in-time compilation, which it
    # starts for any plan estimated dear enough (a sitemap page of 1,000 authors is), costs tens
    # of milliseconds and saves none. Options given in DATABASE_URL come after, and win.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, ["-c jit=off", options.get("options")]))
if os.environ.get("DATABASE_TEST_NAME"):
    # Lets several test runs share one PostgreSQL server without dropping each other's database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DATABASE_TEST_NAME"]}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Imports write many small transactions: keep SQLite's journal in write-ahead mode and
    # sync at checkpoints only. PostgreSQL is left as it is.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
    )

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Redis is a cache, not a dependency: a call that takes longer than REDIS_TIMEOUT_MS counts
    # as a miss, and after a failure Redis is left alone for REDIS_RETRY_AFTER seconds.
    redis_timeout = env_whole("REDIS_TIMEOUT_MS", 100, minimum=1, unit="milliseconds") / 1000
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {
                "socket_connect_timeout": redis_timeout,
                "socket_timeout": redis_timeout,
                "retry_after": env_seconds("REDIS_RETRY_AFTER", 5, minimum=1),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions live in the database, so that nobody is signed out when Redis is down.
SESSION_ENGINE = "django.contrib.sessions.backends.db"


# Static files and uploads.

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads stay on this machine's disk unless MEDIA_STORAGE names another storage class, such as
# django-storages' "storages.backends.s3.S3Storage" (`pip install ".[s3]"`), so that several app
# servers share them; MEDIA_STORAGE_OPTIONS gives its options as a JSON object. A class that
# cannot be imported stops the site at start-up (newsroom/apps.py).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE") or "django.core.files.storage.FileSystemStorage"
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE, "OPTIONS": env_object("MEDIA_STORAGE_OPTIONS")},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "newsroom.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Source maps (Swagger UI's, Redoc's, Bootstrap's) are read only by browsers' developer tools:
# compressing them took more than half of collectstatic's time, so they are sent as they are.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
# Let Django itself serve uploaded files (on by default in debug mode). In production a web
# server or object store should serve MEDIA_ROOT; the benchmarks turn this on instead.
SERVE_MEDIA = env_bool("NEWSROOM_SERVE_MEDIA", DEBUG)


# Security.

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "local-development-only-not-secret"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
    if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        SECURE_SSL_REDIRECT = True
        # A load balancer may ask for the health check over plain HTTP.
        SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
        SECURE_HSTS_SECONDS = env_seconds("DJANGO_HSTS_SECONDS", 365 * 24 * 60 * 60)
        SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
        SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
        if not SECURE_HSTS_PRELOAD:
            # Joining the browsers' preload list binds the whole domain for months: a choice
            # to make on purpose, so its absence is not a warning.
            SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Every page, the readers' and the admin alike, runs only scripts and styles from our own
# static files: no inline script, no event-handler attribute, no style attribute. The one
# inline style element, the accent colour, is allowed by its hash (see NEWSROOM below).
# Images may come from elsewhere over HTTPS, as article bodies may show them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Sign-in throttling: after LOGIN_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair may not sign in for LOGIN_LOCKOUT_MINUTES (`manage.py axes_reset` ends it).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_whole("LOGIN_FAILURE_LIMIT", 10, minimum=1, unit="attempts")
AXES_COOLOFF_TIME = timedelta(
    minutes=env_whole("LOGIN_LOCKOUT_MINUTES", 15, minimum=1, unit="minutes")
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.views.locked_out"


# Logging.

# LOG_STREAM: standard error by default, so that a command printing data (`export_text -`,
# `dumpdata`) prints nothing else; the production server sets "stdout", where its own logs go
# (newsroom/gunicorn.conf.py).
LOG_STREAM = os.environ.get("LOG_STREAM") or "stderr"
if LOG_STREAM not in {"stdout", "stderr"}:
    raise ImproperlyConfigured(f"LOG_STREAM must be stdout or stderr; got {LOG_STREAM!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": f"ext://sys.{LOG_STREAM}"}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO").upper()},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}


# The newsroom's own.


def served_address():
    """Where `make run` serves the site (it passes HOST and PORT), for a local NEWSROOM_SITE_URL.

    A server listening on every address is opened on this machine's own address.
    """
    host = os.environ.get("HOST") or "127.0.0.1"
    port = os.environ.get("PORT") or "8000"
    if not is_digits(port) or not 0 < int(port) < 65536:
        raise ImproperlyConfigured(f"PORT must be a port number from 1 to 65535; got {port!r}.")
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "[::]": "::1"}.get(host, host)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{int(port)}"


# Its identity, shown in the page header, feeds and metadata. In production NEWSROOM_SITE_URL
# is the public address; locally it defaults to the address `make run` serves.
NEWSROOM = {
    "SITE_NAME": os.environ.get("NEWSROOM_SITE_NAME", "The Kyiv Independent"),
    "SITE_TAGLINE": os.environ.get("NEWSROOM_SITE_TAGLINE", "Ukraine's English-language news"),
    "SITE_URL": (os.environ.get("NEWSROOM_SITE_URL") or served_address()).rstrip("/"),
    "LANGUAGE": os.environ.get("NEWSROOM_LANGUAGE", "en"),
    "LOGO": os.environ.get("NEWSROOM_LOGO", "newsroom/logo.svg"),
    # Shown by social networks and search engines for pages without a picture of their own:
    # a static path, best 1200×675 (16:9).
    "SHARE_IMAGE": os.environ.get("NEWSROOM_SHARE_IMAGE", "newsroom/share.png"),
    "ACCENT_COLOUR": os.environ.get("NEWSROOM_ACCENT_COLOUR", "#0a5c36"),
    # The podcast's cover (/audio/rss/): a static path to a square JPEG or PNG, 1400 to
    # 3000 px a side, as podcast directories ask.
    "PODCAST_ARTWORK": os.environ.get("NEWSROOM_PODCAST_ARTWORK", "newsroom/podcast.png"),
}
CSS_COLOUR = r"#[0-9a-fA-F]{3,8}|[a-zA-Z]+|(rgb|hsl)a?\([0-9.,%/ ]+\)"
if not re.fullmatch(CSS_COLOUR, NEWSROOM["ACCENT_COLOUR"]):
    raise ImproperlyConfigured(
        "NEWSROOM_ACCENT_COLOUR must be a CSS colour such as #0a5c36, teal or rgb(10 92 54); "
        f"got {NEWSROOM['ACCENT_COLOUR']!r}."
    )
# The accent colour reaches pages in one inline style element, which the
# Content-Security-Policy allows by the hash of its exact text.
NEWSROOM["ACCENT_STYLE"] = f":root {{ --accent: {NEWSROOM['ACCENT_COLOUR']}; }}"
CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"].append(
    "'sha256-{}'".format(
        base64.b64encode(hashlib.sha256(NEWSROOM["ACCENT_STYLE"].encode()).digest()).decode()
    )
)

# How long a rendered public page may be served from the cache. Any edit to articles,
# authors, sections, tags or feed items makes cached pages stale at once anyway.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# With Redis, how many pages each server process also keeps in its own memory, sent with no
# call to Redis while Redis tells it of every change (newsroom/copies.py); 0 keeps none.
PAGE_COPIES = int(os.environ.get("PAGE_COPIES", "500"))

# Shareable preview links stop working after this many seconds.
PREVIEW_LINK_MAX_AGE = int(os.environ.get("PREVIEW_LINK_MAX_AGE", str(24 * 60 * 60)))

# Seconds open feed pages wait between polls; every answer tells them, so raising it sheds load.
FEED_POLL_INTERVAL = env_seconds("FEED_POLL_INTERVAL", 10, minimum=1)
# How long a cache or CDN in front may reuse an answer of /feed/updates.json.
FEED_CACHE_MAX_AGE = env_seconds("FEED_CACHE_MAX_AGE", 2)


# Uploads (articles/uploads.py). Pictures are decoded only up to UPLOAD_IMAGE_MAX_MEGAPIXELS,
# so that a small file unpacking into a huge picture cannot exhaust a worker's memory.
def env_whole_number(name, default, minimum=1):
    return env_whole(name, default, minimum, unit=None)


UPLOAD_IMAGE_MAX_MEGAPIXELS = env_whole_number("UPLOAD_IMAGE_MAX_MEGAPIXELS", 40)
UPLOAD_IMAGE_MAX_MB = env_whole_number("UPLOAD_IMAGE_MAX_MB", 20)
UPLOAD_AUDIO_MAX_MB = env_whole_number("UPLOAD_AUDIO_MAX_MB", 50)


# The read-only Content API (api/): Django REST framework, anonymous, JSON or the browsable
# HTML pages, one rate limit per client address (the server sets REMOTE_ADDR from trusted
# proxies' X-Forwarded-For: see FORWARDED_ALLOW_IPS).
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "120/minute")
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", API_THROTTLE_RATE):
    raise ImproperlyConfigured(
        "API_THROTTLE_RATE must be requests per second, minute, hour or day, such as "
        f"120/minute; got {API_THROTTLE_RATE!r}."
    )
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_RATE},
    "NUM_PROXIES": 0,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.views.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{NEWSROOM['SITE_NAME']} Content API",
    "DESCRIPTION": (
        "Read-only access to what readers may see: published articles, authors, sections, "
        "tags, the news feed and search. Lists are paged by `limit` (at most 100) and the "
        "`next` link. Answers carry an ETag: send it back in If-None-Match for a 304."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "AuthorKindEnum": "articles.models.Author.Kind",
        "ResultKindEnum": "search.models.Entry.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_errors",
    ],
}


# Background jobs (newsroom/tasks.py): django-tasks with its database backend, so that a job
# is stored in the same database, and committed with the same transaction, as the save that
# queued it. `python manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Mail, for jobs that send it (newsroom.tasks.send_email). Debug mode prints it to the console.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_whole_number("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_seconds("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Outgoing webhooks (newsroom/webhooks/). Targets on loopback, private, link-local and other
# non-public addresses are refused unless this is on (for a receiver on the same network).
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", False)
# Seconds to wait for a receiver to connect, and then for each part of its answer.
WEBHOOKS_TIMEOUT = env_seconds("WEBHOOKS_TIMEOUT", 5, minimum=1)


def env_delays(name, default):
    value = os.environ.get(name) or default
    delays = [item.strip() for item in value.split(",")]
    if not all(is_digits(delay) and int(delay) > 0 for delay in delays):
        raise ImproperlyConfigured(
            f"{name} must be whole numbers of seconds above 0, separated by commas; got {value!r}."
        )
    return [int(delay) for delay in delays]


# A failed delivery is tried again after each of these waits in turn (1 min, 5 min, 30 min,
# 2 h, 12 h), then given up; "Redeliver" in the admin sends it once more.
WEBHOOKS_RETRY_DELAYS = env_delays("WEBHOOKS_RETRY_DELAYS", "60,300,1800,7200,43200")


# Narration (narration/): articles read aloud by a background job when they are published.
# NARRATION_BACKEND "espeak" runs eSpeak NG on this server (apt-get install espeak-ng); "http"
# posts to a speech service's /v1/audio/speech address.
NARRATION_BACKEND = os.environ.get("NARRATION_BACKEND", "espeak")
if NARRATION_BACKEND not in ("espeak", "http"):
    raise ImproperlyConfigured(
        f"NARRATION_BACKEND must be “espeak” or “http”; got {NARRATION_BACKEND!r}."
    )
NARRATION_VOICE = os.environ.get("NARRATION_VOICE", "")
NARRATION_WORDS_PER_MINUTE = env_whole_number("NARRATION_WORDS_PER_MINUTE", 165, minimum=80)
NARRATION_ESPEAK_BINARY = os.environ.get("NARRATION_ESPEAK_BINARY", "espeak-ng")
NARRATION_HTTP_URL = os.environ.get("NARRATION_HTTP_URL", "")
NARRATION_HTTP_KEY = os.environ.get("NARRATION_HTTP_KEY", "")
NARRATION_HTTP_MODEL = os.environ.get("NARRATION_HTTP_MODEL", "tts-1")
NARRATION_HTTP_VOICE = os.environ.get("NARRATION_HTTP_VOICE", "alloy")
NARRATION_HTTP_VOICES = env_list("NARRATION_HTTP_VOICES", [])
NARRATION_HTTP_TIMEOUT = env_seconds("NARRATION_HTTP_TIMEOUT", 120, minimum=1)
# Where narration files are kept: outside MEDIA_ROOT, so that they are served only through the
# site (/audio/<slug>.mp3), which stops serving them when the article is unpublished. Empty:
# a folder "narration" beside MEDIA_ROOT.
NARRATION_ROOT = os.environ.get("NARRATION_ROOT", "")
# A failed narration is tried again after each of these waits (seconds), then left failed.
NARRATION_RETRY_DELAYS = env_delays("NARRATION_RETRY_DELAYS", "60,600,3600")
