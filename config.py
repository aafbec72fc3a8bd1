"""Slotbook's settings, read once from the environment or a `.env` file.

Every process (web, bot, worker, scheduler, tests) imports `get_config()`;
nothing else reads `os.environ` for these values. `.env.example` documents
each variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent


class ConfigError(ValueError):
    """A setting in the environment is missing or malformed."""


@dataclass(frozen=True)
class Config:
    database_url: str | None
    redis_url: str | None
    secret_key: str | None
    telegram_api_id: int | None
    telegram_api_hash: str | None
    telegram_bot_token: str | None
    centre_timezone: str
    web_host: str
    web_port: int
    var_dir: Path
    admin_username: str
    admin_password: str | None
    admin_email: str
    # The bot's @username, for teachers' invite links (t.me/<name>?start=...).
    telegram_bot_username: str | None = None
    # Cookies only over HTTPS: on when the panel is served behind TLS.
    secure_cookies: bool = False

    @property
    def telegram_configured(self) -> bool:
        """True when all three credentials a Pyrogram bot needs are present."""
        return bool(
            self.telegram_api_id and self.telegram_api_hash and self.telegram_bot_token
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.centre_timezone)


def _int_or_none(name: str) -> int | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "off"})


def _flag(name: str) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be 1 or 0 (true/false, yes/no), got {raw!r}")


def _str_or_none(name: str) -> str | None:
    return os.environ.get(name, "").strip() or None


def load_config(env_file: Path | None = None) -> Config:
    """Build a Config from the environment, after loading `.env` if present.

    Variables already set in the environment win over the file.
    """
    load_dotenv(env_file or ROOT / ".env", override=False)
    timezone = os.environ.get("CENTRE_TIMEZONE", "").strip() or "Europe/Moscow"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"CENTRE_TIMEZONE: unknown timezone {timezone!r}") from exc
    return Config(
        database_url=_str_or_none("DATABASE_URL"),
        redis_url=_str_or_none("REDIS_URL"),
        secret_key=_str_or_none("SECRET_KEY"),
        telegram_api_id=_int_or_none("TELEGRAM_API_ID"),
        telegram_api_hash=_str_or_none("TELEGRAM_API_HASH"),
        telegram_bot_token=_str_or_none("TELEGRAM_BOT_TOKEN"),
        centre_timezone=timezone,
        web_host=os.environ.get("WEB_HOST", "").strip() or "127.0.0.1",
        web_port=_int_or_none("WEB_PORT") or 8080,
        var_dir=Path(os.environ.get("SLOTBOOK_VAR_DIR", "").strip() or ROOT / "var"),
        admin_username=os.environ.get("ADMIN_USERNAME", "").strip() or "admin",
        admin_password=_str_or_none("ADMIN_PASSWORD"),
        admin_email=os.environ.get("ADMIN_EMAIL", "").strip() or "admin@example.org",
        telegram_bot_username=(
            os.environ.get("TELEGRAM_BOT_USERNAME", "").strip().lstrip("@") or None
        ),
        secure_cookies=_flag("SECURE_COOKIES"),
    )


@lru_cache(maxsize=1)
def get_config() -> Config:
    """The process-wide configuration (read once)."""
    return load_config()


def sqlalchemy_url(url: str) -> str:
    """Normalise a PostgreSQL URL to the psycopg 3 driver SQLAlchemy needs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# The placeholders `.env.example` ships with; a production start refuses them.
EXAMPLE_SECRET_VALUES = frozenset(
    {
        "change-me-to-a-long-random-string",
        "change-me-admin-password",
        "change-me",
        "test-secret-key-not-for-production",
    }
)
MIN_SECRET_KEY_LENGTH = 32
MIN_ADMIN_PASSWORD_LENGTH = 10


def check_production_secrets(config: Config) -> None:
    """Refuse missing, example or too short secrets before a production start.

    Raises ConfigError naming every problem at once, so one edit of `.env`
    fixes them all.
    """
    problems = []
    for name, value, minimum in (
        ("SECRET_KEY", config.secret_key, MIN_SECRET_KEY_LENGTH),
        ("ADMIN_PASSWORD", config.admin_password, MIN_ADMIN_PASSWORD_LENGTH),
    ):
        if not value:
            problems.append(f"{name} is not set")
        elif value in EXAMPLE_SECRET_VALUES:
            problems.append(f"{name} still has the example value from .env.example")
        elif len(value) < minimum:
            problems.append(f"{name} is shorter than {minimum} characters")
    if problems:
        raise ConfigError(
            "refusing to start with unsafe secrets: "
            + "; ".join(problems)
            + " (generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))')"
        )
