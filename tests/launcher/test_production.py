"""A production start refuses missing, example and weak secrets."""

from __future__ import annotations

import dataclasses
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values
from sqlalchemy import text

from config import ROOT, ConfigError, check_production_secrets, get_config
from tests.launcher.helpers import free_port


def _with(**values):
    return dataclasses.replace(get_config(), **values)


def test_unset_secrets_are_refused_naming_both() -> None:
    with pytest.raises(ConfigError) as refused:
        check_production_secrets(_with(secret_key=None, admin_password=None))

    assert "SECRET_KEY is not set" in str(refused.value)
    assert "ADMIN_PASSWORD is not set" in str(refused.value)


def test_the_example_values_from_env_example_are_refused() -> None:
    example = dotenv_values(ROOT / ".env.example")

    with pytest.raises(ConfigError) as refused:
        check_production_secrets(
            _with(
                secret_key=example["SECRET_KEY"],
                admin_password=example["ADMIN_PASSWORD"],
            )
        )

    assert str(refused.value).count("example value") == 2


def test_a_short_secret_key_is_refused() -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY is shorter than 32"):
        check_production_secrets(
            _with(secret_key="abc123", admin_password="a-long-enough-password")
        )


def test_random_secrets_are_accepted() -> None:
    check_production_secrets(
        _with(
            secret_key=secrets.token_urlsafe(48),
            admin_password=secrets.token_urlsafe(12),
        )
    )


def _run(argv: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_production_check_command_exits_non_zero_on_example_secrets() -> None:
    result = _run(
        [sys.executable, "-m", "launcher.production", "check"],
        SECRET_KEY="change-me-to-a-long-random-string",
        ADMIN_PASSWORD=secrets.token_urlsafe(12),
    )

    assert result.returncode == 2
    assert "SECRET_KEY still has the example value" in result.stderr
    assert "Traceback" not in result.stderr


def test_gunicorn_master_refuses_to_start_on_example_secrets() -> None:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))

    result = _run(
        [gunicorn, "-c", "python:launcher.gunicorn_conf", "webapp.wsgi:app"],
        SECRET_KEY=secrets.token_urlsafe(48),
        ADMIN_PASSWORD="change-me-admin-password",
        WEB_HOST="127.0.0.1",
        WEB_PORT=str(free_port()),
    )

    assert result.returncode == 2
    assert "ADMIN_PASSWORD still has the example value" in result.stdout + result.stderr


def test_production_setup_migrates_and_creates_roles_and_the_admin(session) -> None:
    result = _run(
        [sys.executable, "-m", "launcher.production", "setup"],
        SECRET_KEY=secrets.token_urlsafe(48),
        ADMIN_USERNAME="boss",
        ADMIN_PASSWORD=secrets.token_urlsafe(12),
    )

    assert result.returncode == 0, result.stderr
    users = session.execute(text("SELECT username FROM ab_user")).scalars().all()
    roles = set(session.execute(text("SELECT name FROM ab_role")).scalars())
    assert users == ["boss"]
    assert {"Admin", "Coordinator", "Teacher", "Client"} <= roles
