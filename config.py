"""Configuration from the environment. `create_app()` picks one by `EMULATION_ENV`."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("EMULATION_INSTANCE_DIR", BASE_DIR / "instance"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(default_file: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the old driver; we use psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return f"sqlite:///{INSTANCE_DIR / default_file}"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url("emulation.sqlite")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR", str(INSTANCE_DIR / "evidence"))
    MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "20"))
    # The request may carry a little more than the file (form fields, multipart headers);
    # the file itself is held to MAX_UPLOAD_MB by the evidence service.
    MAX_CONTENT_LENGTH = (MAX_UPLOAD_MB + 1) * 1024 * 1024

    # Leaderboards: provisional recompute every N minutes; an optional crontab overrides it.
    RECOMPUTE_INTERVAL_MINUTES = int(os.environ.get("RECOMPUTE_INTERVAL_MINUTES", "5"))
    RECOMPUTE_CRON = os.environ.get("RECOMPUTE_CRON", "")
    WINDOW_CHECK_INTERVAL_MINUTES = int(os.environ.get("WINDOW_CHECK_INTERVAL_MINUTES", "1"))
    # The scheduler verifies the audit chain and its head every N hours (result on the page).
    AUDIT_VERIFY_INTERVAL_HOURS = int(os.environ.get("AUDIT_VERIFY_INTERVAL_HOURS", "24"))

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ("vi", "en")

    REDIS_URL = os.environ.get("REDIS_URL", "")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "")
    RATELIMIT_ENABLED = True
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "emulation")
    # Sign-in throttling (accounts/throttle.py): failures per (address, name), per address,
    # and per name with delays of BASE seconds doubling from the AFTER-th failure up to MAX.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    LOGIN_IP_RATE_LIMIT = os.environ.get("LOGIN_IP_RATE_LIMIT", "100 per minute")
    LOGIN_BACKOFF_AFTER = int(os.environ.get("LOGIN_BACKOFF_AFTER", "5"))
    LOGIN_BACKOFF_BASE_SECONDS = int(os.environ.get("LOGIN_BACKOFF_BASE_SECONDS", "1"))
    LOGIN_BACKOFF_MAX_SECONDS = int(os.environ.get("LOGIN_BACKOFF_MAX_SECONDS", "300"))
    LOGIN_BACKOFF_WINDOW_MINUTES = int(os.environ.get("LOGIN_BACKOFF_WINDOW_MINUTES", "15"))
    # Reverse proxies in front of the app that set X-Forwarded-For (nginx: 1). 0 = none.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # "Remember me" lifetime; never offered to accounts with a second factor.
    REMEMBER_DAYS = int(os.environ.get("REMEMBER_DAYS", "30"))
    PERMANENT_SESSION_LIFETIME = timedelta(
        hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    )
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    HSTS = False

    # Unit lists uploaded for import wait here between preview and apply.
    UNIT_IMPORT_DIR = os.environ.get("UNIT_IMPORT_DIR", str(INSTANCE_DIR / "imports"))
    # Public pages: the "which snapshot is shown" lookup is reused this many seconds per
    # process; rendered responses are kept as bytes (LRU, plus Redis when configured).
    PUBLIC_STATE_TTL = float(os.environ.get("PUBLIC_STATE_TTL", "5"))
    RENDER_CACHE_ENTRIES = int(os.environ.get("RENDER_CACHE_ENTRIES", "512"))
    RENDER_CACHE_MB = int(os.environ.get("RENDER_CACHE_MB", "64"))
    RENDER_CACHE_SECONDS = int(os.environ.get("RENDER_CACHE_SECONDS", "300"))
    RENDER_CACHE_REDIS_URL = os.environ.get("RENDER_CACHE_REDIS_URL", REDIS_URL)


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    SERVER_NAME = "localhost"
    PUBLIC_STATE_TTL = 0.0  # tests write a snapshot and read it back at once
    RENDER_CACHE_REDIS_URL = ""


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    HSTS = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    return CONFIGS.get(os.environ.get("EMULATION_ENV", "development"), DevelopmentConfig)
