"""Reading settings from the environment (config.py)."""

from __future__ import annotations

import pytest

from config import ConfigError, load_config
from webapp.appconfig import flask_settings

COOKIE_FLAGS = ("JWT_COOKIE_SECURE", "SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE")


@pytest.fixture
def empty_env_file(tmp_path):
    path = tmp_path / ".env"
    path.write_text("")
    return path


@pytest.mark.parametrize("raw", ["1", "true", "YES", " on "])
def test_secure_cookies_on_marks_every_login_cookie_secure(
    monkeypatch, empty_env_file, raw
):
    monkeypatch.setenv("SECURE_COOKIES", raw)
    settings = flask_settings(load_config(empty_env_file))
    assert [settings[name] for name in COOKIE_FLAGS] == [True, True, True]


@pytest.mark.parametrize("raw", ["", "0", "false", "No", "off"])
def test_secure_cookies_off_or_unset_leaves_plain_http_working(
    monkeypatch, empty_env_file, raw
):
    monkeypatch.setenv("SECURE_COOKIES", raw)
    settings = flask_settings(load_config(empty_env_file))
    assert [settings[name] for name in COOKIE_FLAGS] == [False, False, False]


def test_a_flag_that_is_neither_yes_nor_no_is_refused_by_name(
    monkeypatch, empty_env_file
):
    monkeypatch.setenv("SECURE_COOKIES", "maybe")
    with pytest.raises(ConfigError, match="SECURE_COOKIES.*'maybe'"):
        load_config(empty_env_file)


def test_login_attempts_are_counted_in_redis_when_redis_is_configured(
    monkeypatch, empty_env_file
):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    settings = flask_settings(load_config(empty_env_file))
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    monkeypatch.delenv("REDIS_URL")
    settings = flask_settings(load_config(empty_env_file))
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"


def test_a_redis_socket_is_named_the_way_the_limits_package_reads_it(
    monkeypatch, empty_env_file
):
    monkeypatch.setenv("REDIS_URL", "unix:///srv/slotbook/var/redis/redis.sock?db=0")
    settings = flask_settings(load_config(empty_env_file))
    assert (
        settings["RATELIMIT_STORAGE_URI"]
        == "redis+unix:///srv/slotbook/var/redis/redis.sock?db=0"
    )
