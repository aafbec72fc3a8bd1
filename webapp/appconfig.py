"""Flask and Flask-AppBuilder settings derived from Slotbook's configuration."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flask_appbuilder.const import AUTH_DB

from config import Config, sqlalchemy_url

HERE = Path(__file__).resolve().parent

LANGUAGES = {
    "ru": {"flag": "ru", "name": "Русский"},
    "en": {"flag": "gb", "name": "English"},
}


def limits_storage_uri(redis_url: str | None) -> str:
    """Flask-Limiter's storage for `redis_url`: its scheme for a socket path.

    The `limits` package names a Redis socket ``redis+unix://`` where redis-py
    (and the embedded Redis of a local run) says ``unix://``.
    """
    if not redis_url:
        return "memory://"
    if redis_url.startswith("unix://"):
        return "redis+" + redis_url
    return redis_url


def flask_settings(config: Config) -> dict[str, Any]:
    """The app's settings for `config`; callers may override any of them."""
    return {
        "SECRET_KEY": config.secret_key,
        "SQLALCHEMY_DATABASE_URI": (
            sqlalchemy_url(config.database_url) if config.database_url else None
        ),
        # A dead database should make /health answer quickly, not hang.
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "connect_args": {"connect_timeout": 5},
        },
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "REDIS_URL": config.redis_url,
        "APP_NAME": "Slotbook",
        # FAB's page frame with our stylesheet added.
        "FAB_BASE_TEMPLATE": "slotbook/layout.html",
        # Alembic owns every table, FAB's ab_* included; permissions are written
        # by `python -m webapp.manage init-roles`, not by every starting worker.
        "FAB_CREATE_DB": False,
        "FAB_UPDATE_PERMS": False,
        # FAB's user/role API stays off (it also needs marshmallow<4, FAB #2361);
        # ours is under /api/v1 (webapp.api), documented at /swagger/v1.
        "FAB_ADD_SECURITY_API": False,
        "FAB_API_SWAGGER_UI": True,
        # The API's JWT travels in an httpOnly SameSite cookie (writes send the
        # double-submit CSRF token) or, for scripts, in a Bearer header.
        "JWT_TOKEN_LOCATION": ["cookies", "headers"],
        "JWT_COOKIE_SAMESITE": "Strict",
        "JWT_COOKIE_CSRF_PROTECT": True,
        "JWT_ACCESS_TOKEN_EXPIRES": dt.timedelta(hours=8),
        # SECURE_COOKIES=1 (the compose default, behind a TLS proxy) keeps the
        # session, remember-me and JWT cookies off plain HTTP; the local run
        # and the tests speak plain HTTP and leave it off.
        "JWT_COOKIE_SECURE": config.secure_cookies,
        "FAB_PASSWORD_COMPLEXITY_ENABLED": False,
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "AUTH_TYPE": AUTH_DB,
        "AUTH_ROLE_ADMIN": "Admin",
        "AUTH_ROLE_PUBLIC": "Public",
        "AUTH_USER_REGISTRATION": False,
        "AUTH_RATE_LIMITED": True,
        "AUTH_RATE_LIMIT": "10 per minute",
        "RATELIMIT_ENABLED": True,
        # Login attempts are counted in Redis, so every gunicorn worker sees the
        # same count; while Redis is down each process counts on its own rather
        # than refusing logins.
        "RATELIMIT_STORAGE_URI": limits_storage_uri(config.redis_url),
        "RATELIMIT_KEY_PREFIX": "slotbook-logins",
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "BABEL_DEFAULT_LOCALE": "ru",
        # After FAB's own catalogue: fixes to its Russian, then our texts.
        "BABEL_TRANSLATION_DIRECTORIES": ";".join(
            str(HERE / name) for name in ("translations_fab", "translations")
        ),
        "LANGUAGES": LANGUAGES,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": config.secure_cookies,
        "REMEMBER_COOKIE_SECURE": config.secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
    }
