"""Django settings, read from the environment (see README.md, "Settings")."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from paperfeed.lib.env import SettingError, env_bool, env_float, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("PAPERFEED_DEBUG", False)
DATA_DIR = env_path("PAPERFEED_DATA_DIR", "./data")

_secret = env_str("PAPERFEED_SECRET_KEY")
if _secret is None:
    if not DEBUG:
        raise SettingError(
            "PAPERFEED_SECRET_KEY must be set when PAPERFEED_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    _secret = "insecure-development-key-only-used-when-PAPERFEED_DEBUG-is-on"
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("PAPERFEED_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.staticfiles",
    "paperfeed.papers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "paperfeed.urls"
WSGI_APPLICATION = "paperfeed.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]


def _database(url: str | None) -> dict[str, object]:
    if url is None:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
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
                "timeout": env_float("PAPERFEED_SQLITE_TIMEOUT", 30.0, minimum=0),
            },
        }
    if not url.startswith(("postgres://", "postgresql://")):
        raise SettingError(f"DATABASE_URL={url!r}: only postgres:// or postgresql:// URLs are supported")
    config = dict(dj_database_url.parse(url, conn_max_age=env_int("PAPERFEED_DB_CONN_MAX_AGE", 60, minimum=0)))
    config["CONN_HEALTH_CHECKS"] = True
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PAPERFEED_LOG_LEVEL", "INFO")},
}

# How many papers the import command writes per transaction.
IMPORT_BATCH_SIZE = env_int("PAPERFEED_IMPORT_BATCH_SIZE", 1000, minimum=1)
