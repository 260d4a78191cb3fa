"""Django settings, read from the environment (see README.md, "Settings")."""

from __future__ import annotations

import ipaddress
import socket
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url

from paperfeed.lib.env import (
    SettingError,
    data_file_value,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_path,
    env_str,
    secret_file,
)

BASE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("PAPERFEED_DEBUG", False)
DATA_DIR = env_path("PAPERFEED_DATA_DIR", "./data")
DATA_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file and derived indexes live here

# The secret: PAPERFEED_SECRET_KEY, else the file DATA_DIR/secret_key (`make run` writes it, mode 600).
_secret = env_str("PAPERFEED_SECRET_KEY") or secret_file(DATA_DIR / "secret_key")
if _secret is None:
    if not DEBUG:
        raise SettingError(
            f"PAPERFEED_SECRET_KEY must be set, or {DATA_DIR / 'secret_key'} exist, when PAPERFEED_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    _secret = "insecure-development-key-only-used-when-PAPERFEED_DEBUG-is-on"
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("PAPERFEED_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed (lib/clients.py).
TRUSTED_PROXIES = env_list("PAPERFEED_TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise SettingError(f"PAPERFEED_TRUSTED_PROXIES: {_proxy!r} is not an address or network") from None

# Served over HTTPS behind a reverse proxy that sets X-Forwarded-Proto (docs/deploy.md).
HTTPS = env_bool("PAPERFEED_HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("PAPERFEED_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
else:
    env_int("PAPERFEED_HSTS_SECONDS", 31536000, minimum=0)  # declared either way: it is documented
# HSTS preloading is a one-way commitment an operator takes deliberately, not a default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # forms and site.js read the token from the page, never the cookie
# Content-Security-Policy (django-csp; docs/security.md): every page loads only its own static
# files (site.js, site.css, Swagger UI at /api/docs); nothing inline. Math is MathML from the server.
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # the blank favicon and Swagger UI's icons are data: URLs
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
CSP_REPORT_ONLY = env_bool("PAPERFEED_CSP_REPORT_ONLY", False)
CONTENT_SECURITY_POLICY = None if CSP_REPORT_ONLY else _CSP
CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP if CSP_REPORT_ONLY else None

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # intcomma: 27,081 rather than 27081 on pages
    "ninja",
    "paperfeed.lib",
    "paperfeed.papers",
    "paperfeed.feed",
    "paperfeed.accounts",
    "paperfeed.api",
    "paperfeed.ops",
    "paperfeed.search",
    "paperfeed.jobs",
    "paperfeed.digests",
    "paperfeed.recs",
    "paperfeed.discussion",
    "axes",  # login throttling (django-axes), after the apps: its lockout page is ours
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out login into the lockout page
]

ROOT_URLCONF = "paperfeed.urls"
WSGI_APPLICATION = "paperfeed.wsgi.application"

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
            ]
        },
    }
]


_CONN_MAX_AGE = env_int("PAPERFEED_DB_CONN_MAX_AGE", 60, minimum=0)
# "transaction": PostgreSQL is reached through a pooler in transaction mode (PgBouncer): no
# server-side cursors and no prepared statements, which would outlive the transaction (docs/deploy.md).
DB_POOLER = env_str("PAPERFEED_DB_POOLER", "none") or "none"
if DB_POOLER not in {"none", "transaction"}:
    raise SettingError(f"PAPERFEED_DB_POOLER={DB_POOLER!r}: use none or transaction")
_SQLITE_TIMEOUT = env_float("PAPERFEED_SQLITE_TIMEOUT", 30.0, minimum=0)


def _database(url: str | None) -> dict[str, object]:
    if url is None:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "paperfeed.sqlite3"),
            "OPTIONS": {
                # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at
                # BEGIN so two writers queue on the busy timeout instead of failing mid-way.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": _SQLITE_TIMEOUT,
            },
        }
    if not url.startswith(("postgres://", "postgresql://")):
        raise SettingError(f"DATABASE_URL={url!r}: only postgres:// or postgresql:// URLs are supported")
    config = dict(dj_database_url.parse(url, conn_max_age=_CONN_MAX_AGE))
    config["CONN_HEALTH_CHECKS"] = True
    if DB_POOLER == "transaction":
        config["DISABLE_SERVER_SIDE_CURSORS"] = True  # .iterator() reads in chunks on the client instead
        options: dict[str, object] = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
        config["OPTIONS"] = {**options, "prepare_threshold": None}  # psycopg: never prepare a statement
    return config


# DATABASE_URL keeps its conventional name, without the prefix.
DATABASES = {"default": _database(env_str("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

_LOG_FORMAT = env_str("PAPERFEED_LOG_FORMAT", "text")
if _LOG_FORMAT not in {"text", "json"}:
    raise SettingError(f"PAPERFEED_LOG_FORMAT={_LOG_FORMAT!r} must be 'text' or 'json'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "paperfeed.ops.logs.JsonLinesFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": _LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("PAPERFEED_LOG_LEVEL", "INFO")},
}

# How many papers the import command writes per transaction.
IMPORT_BATCH_SIZE = env_int("PAPERFEED_IMPORT_BATCH_SIZE", 1000, minimum=1)

# Live sources (docs/sources.md): upstream base URLs, politeness, paging.
ARXIV_OAI_URL = env_str("PAPERFEED_ARXIV_OAI_URL", "https://oaipmh.arxiv.org/oai")
ARXIV_API_URL = env_str("PAPERFEED_ARXIV_API_URL", "https://export.arxiv.org/api/query")
ARXIV_RSS_URL = env_str("PAPERFEED_ARXIV_RSS_URL", "https://rss.arxiv.org/rss")
HF_API_URL = env_str("PAPERFEED_HF_API_URL", "https://huggingface.co/api")
# arXiv's HTML renderings (LaTeXML) of papers: full text as markdown (paperfeed/papers/fulltext.py).
ARXIV_HTML_URL = env_str("PAPERFEED_ARXIV_HTML_URL", "https://arxiv.org/html")
CONTACT_EMAIL = env_str("PAPERFEED_CONTACT_EMAIL")
HTTP_TIMEOUT = env_float("PAPERFEED_HTTP_TIMEOUT", 60.0, minimum=1)
HTTP_RETRIES = env_int("PAPERFEED_HTTP_RETRIES", 4, minimum=0)
HTTP_BACKOFF = env_float("PAPERFEED_HTTP_BACKOFF", 5.0, minimum=0)
HTTP_MAX_DELAY = env_float("PAPERFEED_HTTP_MAX_DELAY", 600.0, minimum=0)
HTTP_MIN_INTERVAL = env_float("PAPERFEED_HTTP_MIN_INTERVAL", 1.0, minimum=0)
ARXIV_MIN_INTERVAL = env_float("PAPERFEED_ARXIV_MIN_INTERVAL", 3.0, minimum=0)
ARXIV_API_PAGE_SIZE = env_int("PAPERFEED_ARXIV_API_PAGE_SIZE", 100, minimum=1)
ARXIV_API_IDLE_PAGES = env_int("PAPERFEED_ARXIV_API_IDLE_PAGES", 3, minimum=1)
HF_PAGE_SIZE = env_int("PAPERFEED_HF_PAGE_SIZE", 100, minimum=1)

# Input limits (docs/security.md, "Limits"): the most one imported file may decompress to (the
# full Kaggle snapshot is ~5 GB) and the most one upstream response body may hold (an OAI-PMH
# page is a few MB). Each field's cap is in papers/records.py, the line cap in formats/common.py.
IMPORT_MAX_BYTES = env_int("PAPERFEED_IMPORT_MAX_BYTES", 16 * 2**30, minimum=1)
HTTP_MAX_BYTES = env_int("PAPERFEED_HTTP_MAX_BYTES", 64 * 2**20, minimum=1)
# The most bytes of one paper's HTML rendering the full-text fetch reads (the largest real ones: a few MB).
FULLTEXT_MAX_BYTES = env_int("PAPERFEED_FULLTEXT_MAX_BYTES", 16 * 2**20, minimum=1)

# The worker (docs/sources.md, "The worker"): schedules, leases, polling.
# /healthz fails when this node's search index lags the database by more than this.
INDEX_SECONDS = env_float(
    "PAPERFEED_INDEX_SECONDS", 2.0, minimum=0.1, maximum=86_400.0
)  # the node's index job: how often
HEALTH_MAX_INDEX_LAG = env_int("PAPERFEED_HEALTH_MAX_INDEX_LAG", 3600, minimum=0)
# This machine's name for node-local jobs (its search index): each node's worker keeps its own.
NODE_NAME = env_str("PAPERFEED_NODE_NAME", socket.gethostname()) or socket.gethostname()
HARVEST_SETS = env_list("PAPERFEED_HARVEST_SETS", ["cs"])
HARVEST_TIME = env_str("PAPERFEED_HARVEST_TIME", "20:30")
HARVEST_TIMEZONE = env_str("PAPERFEED_HARVEST_TIMEZONE", "America/New_York")
HARVEST_WEEKDAYS = env_list("PAPERFEED_HARVEST_WEEKDAYS", ["sun", "mon", "tue", "wed", "thu"])
HARVEST_DAYS_BACK = env_int("PAPERFEED_HARVEST_DAYS_BACK", 3, minimum=0)
HF_PULL_INTERVAL = env_int("PAPERFEED_HF_PULL_INTERVAL", 21600, minimum=60)
JOB_LEASE = env_int("PAPERFEED_JOB_LEASE", 3600, minimum=10)
JOB_RETRY_DELAY = env_int("PAPERFEED_JOB_RETRY_DELAY", 1800, minimum=0)
WORKER_POLL = env_float("PAPERFEED_WORKER_POLL", 30.0, minimum=0.01)

# Search (docs/search.md): the embedding model ("" = the packaged offline all-MiniLM-L6-v2),
# where it runs, how many papers it embeds at once, and the hybrid fusion weights.
EMBEDDING_MODEL = env_str("PAPERFEED_EMBEDDING_MODEL", "") or ""
EMBEDDING_DEVICE = env_str("PAPERFEED_EMBEDDING_DEVICE", "auto") or "auto"
if EMBEDDING_DEVICE not in {"auto", "cpu", "cuda"} and not EMBEDDING_DEVICE.startswith("cuda:"):
    raise SettingError(f"PAPERFEED_EMBEDDING_DEVICE={EMBEDDING_DEVICE!r}: use auto, cpu or cuda")
# "onnx": the packaged model runs on ONNX Runtime on a CPU once exported (search/onnxmodel.py); "torch": never.
EMBEDDING_RUNTIME = env_str("PAPERFEED_EMBEDDING_RUNTIME", "onnx") or "onnx"
if EMBEDDING_RUNTIME not in {"onnx", "torch"}:
    raise SettingError(f"PAPERFEED_EMBEDDING_RUNTIME={EMBEDDING_RUNTIME!r}: use onnx or torch")
# How long an embed lane's claim on a batch lasts (search/indexing.py claim_batch): a lane that dies
# leaves its batch to the others after this; a batch must be embedded well within it.
EMBEDDING_CLAIM_SECONDS = env_int("PAPERFEED_EMBEDDING_CLAIM_SECONDS", 600, minimum=10)
EMBEDDING_BATCH_SIZE = env_int("PAPERFEED_EMBEDDING_BATCH_SIZE", 128, minimum=1)
EMBEDDING_THREADS = env_int("PAPERFEED_EMBEDDING_THREADS", 0, minimum=0)  # 0: one per core (embed lane only)
EMBED_REFRESH_SECONDS = env_float("PAPERFEED_EMBED_REFRESH_SECONDS", 60.0, minimum=0.0)
PRELOAD_EMBEDDER = env_bool("PAPERFEED_PRELOAD_EMBEDDER", True)
HYBRID_KEYWORD_WEIGHT = env_float("PAPERFEED_HYBRID_KEYWORD_WEIGHT", 1.0, minimum=0)
HYBRID_SEMANTIC_WEIGHT = env_float("PAPERFEED_HYBRID_SEMANTIC_WEIGHT", 1.0, minimum=0)
HYBRID_FUSION = env_str("PAPERFEED_HYBRID_FUSION", "convex") or "convex"
if HYBRID_FUSION not in {"rrf", "convex"}:
    raise SettingError(f"PAPERFEED_HYBRID_FUSION={HYBRID_FUSION!r}: use rrf or convex")

# The site (docs/site.md): accounts, community rules, email, math rendering.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "daily"
LOGOUT_REDIRECT_URL = "daily"
SUBMIT_MAX_AGE_DAYS = env_int("PAPERFEED_SUBMIT_MAX_AGE_DAYS", 30, minimum=0)
SUBMIT_DAILY_CAP = env_int("PAPERFEED_SUBMIT_DAILY_CAP", 5, minimum=0)
VOTES_PER_MINUTE = env_int("PAPERFEED_VOTES_PER_MINUTE", 30, minimum=1)
SUBMISSIONS_PER_HOUR = env_int("PAPERFEED_SUBMISSIONS_PER_HOUR", 20, minimum=1)
SIGNUPS_PER_HOUR = env_int("PAPERFEED_SIGNUPS_PER_HOUR", 5, minimum=1)
COMMENTS_PER_HOUR = env_int("PAPERFEED_COMMENTS_PER_HOUR", 30, minimum=1)  # posts and edits, per account
# Library import (docs/security.md, "Library import"): one file's bytes and entries, imports per
# account per hour, and papers one account may have waiting to be fetched from arXiv.
LIBRARY_IMPORT_MAX_BYTES = env_int("PAPERFEED_LIBRARY_IMPORT_MAX_BYTES", 2 * 2**20, minimum=1)
LIBRARY_IMPORT_MAX_ENTRIES = env_int("PAPERFEED_LIBRARY_IMPORT_MAX_ENTRIES", 5000, minimum=1)
LIBRARY_IMPORTS_PER_HOUR = env_int("PAPERFEED_LIBRARY_IMPORTS_PER_HOUR", 10, minimum=1)
LIBRARY_FETCH_MAX_WAITING = env_int("PAPERFEED_LIBRARY_FETCH_MAX_WAITING", 1000, minimum=0)
# Passwords: Django's own validators, on sign-up and on setting a new password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes; docs/security.md): after PAPERFEED_LOGIN_FAILURES wrong passwords
# for one account, or from one client address, logins by either wait PAPERFEED_LOGIN_COOLOFF_MINUTES
# after the last counted failure. The Axes backend runs first, so a locked-out attempt never hashes.
LOGIN_FAILURES = env_int("PAPERFEED_LOGIN_FAILURES", 10, minimum=1)
LOGIN_COOLOFF_MINUTES = env_int("PAPERFEED_LOGIN_COOLOFF_MINUTES", 15, minimum=1)
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = LOGIN_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks: per account and per address
AXES_CLIENT_IP_CALLABLE = "paperfeed.lib.clients.client_address"  # the PAPERFEED_TRUSTED_PROXIES rule
AXES_LOCKOUT_CALLABLE = "paperfeed.accounts.views.locked_out"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lockout ends on time, however often retried
AXES_DISABLE_ACCESS_LOG = True  # failures are kept (until they expire); successful logins are not
AXES_VERBOSE = False
# Anonymous visitors get list pages from this cache for up to this many seconds (0: off).
PAGE_CACHE_SECONDS = env_int("PAPERFEED_PAGE_CACHE_SECONDS", 60, minimum=0)
# The page cache lives in the database (a table made by the lib app's migrations), so every web
# process on every machine shares one copy of each page.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "paperfeed_cache",
        "OPTIONS": {"MAX_ENTRIES": 2000, "CULL_FREQUENCY": 4},
    }
}
EMAIL_HOST = env_str("PAPERFEED_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PAPERFEED_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("PAPERFEED_EMAIL_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("PAPERFEED_EMAIL_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("PAPERFEED_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("PAPERFEED_FROM_EMAIL", "paperfeed@localhost")

# Digests (docs/digests.md): links, schedule, retries, what counts against an address.
# Else DATA_DIR/site_url, which `make run` writes, so the CLI on that data directory links to the same site.
_site = env_str("PAPERFEED_SITE_URL") or data_file_value(DATA_DIR / "site_url") or "http://127.0.0.1:8000"
SITE_URL = _site.rstrip("/")
DIGEST_SEND_EMPTY = env_bool("PAPERFEED_DIGEST_SEND_EMPTY", False)
DIGEST_MAX_PAPERS = env_int("PAPERFEED_DIGEST_MAX_PAPERS", 25, minimum=1)
# The outbox (lib/mail.py): mails of one kind to one address per 24 hours, mails one client may
# ask for per hour, and how long a manage link in an email works.
MAIL_PER_RECIPIENT = env_int("PAPERFEED_MAIL_PER_RECIPIENT", 3, minimum=1)
MAIL_PER_CLIENT = env_int("PAPERFEED_MAIL_PER_CLIENT", 10, minimum=1)
MANAGE_LINK_DAYS = env_int("PAPERFEED_MANAGE_LINK_DAYS", 30, minimum=1)
DIGEST_LEASE = env_int("PAPERFEED_DIGEST_LEASE", 300, minimum=1)
DIGEST_RETRIES = env_int("PAPERFEED_DIGEST_RETRIES", 6, minimum=0)
DIGEST_RETRY_DELAY = env_float("PAPERFEED_DIGEST_RETRY_DELAY", 60.0, minimum=0)
DIGEST_MAX_PERMANENT_FAILURES = env_int("PAPERFEED_DIGEST_MAX_PERMANENT_FAILURES", 3, minimum=1)
WHITENOISE_USE_FINDERS = True  # static files served without collectstatic
# Until `collectstatic` has filled STATIC_ROOT, WhiteNoise serves from the apps and says so; no need.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
