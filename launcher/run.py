"""`python -m launcher`: the whole local system in one process tree.

Order of a run: read the settings, make or reuse the local secrets, use the
given PostgreSQL/Redis or start embedded ones under the var directory, bring
the database up to date (migrations, roles, admin, demo centre), start web,
worker, scheduler and bot as children, wait for `/health`, print where to log
in, then supervise until Ctrl-C / SIGTERM or until a child dies.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sys
import time
import urllib.error
import urllib.request

from dotenv import load_dotenv
from sqlalchemy.exc import OperationalError

from config import ROOT, Config, ConfigError, get_config, load_config
from launcher import prepare
from launcher.localenv import LocalSecrets, ensure_local_secrets
from launcher.servers import Servers, resolve_servers, stop_embedded
from launcher.supervisor import ChildExited, ChildSpec, Supervisor

logger = logging.getLogger(__name__)

HEALTH_TIMEOUT_SECONDS = 120.0


def child_specs(python: str = sys.executable) -> list[ChildSpec]:
    """The processes of a local run (the bot falls back to the simulator)."""
    return [
        ChildSpec("web", [python, "-m", "webapp"]),
        ChildSpec("worker", [python, "-m", "jobs.worker"]),
        ChildSpec("scheduler", [python, "-m", "jobs.scheduler"]),
        ChildSpec("bot", [python, "-m", "bot"]),
    ]


def public_base_url(config: Config) -> str:
    """The URL a person on this machine opens (a wildcard bind means loopback)."""
    host = config.web_host
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{config.web_port}"


def port_in_use(config: Config) -> bool:
    """True when something already answers on the web host and port."""
    host = public_base_url(config).split("//", 1)[1].rsplit(":", 1)[0].strip("[]")
    try:
        with socket.create_connection((host, config.web_port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for_health(url: str, supervisor: Supervisor, timeout: float) -> bool:
    """Poll `url` until it answers 200; False on timeout or a stop request.

    Raises ChildExited when a child dies meanwhile.
    """
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        supervisor.check()
        if supervisor.stop_requested.is_set():
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except (OSError, ValueError) as exc:
            last = str(exc)
        time.sleep(0.5)
    logger.error("%s did not answer 200 in %.0f s (last: %s)", url, timeout, last)
    return False


def banner(config: Config, secrets: LocalSecrets) -> str:
    """What to open and how to log in; the password is shown only when new."""
    base = public_base_url(config)
    if "ADMIN_PASSWORD" in secrets.created:
        password = secrets.values["ADMIN_PASSWORD"]
        note = (
            f"пароль создан сейчас и сохранён / password generated now, "
            f"kept in {secrets.path}"
        )
    elif "ADMIN_PASSWORD" in secrets.stored:
        password = f"(см. / see {secrets.path})"
        note = ""
    else:
        password = "(ADMIN_PASSWORD из окружения / from the environment)"
        note = ""
    lines = [
        "=" * 72,
        f"Slotbook работает / is running: {base}/",
        f"Вход администратора / admin login: {config.admin_username} / {password}",
    ]
    if note:
        lines.append(f"  {note}")
    if not config.telegram_configured:
        lines.append(f"Симулятор бота / bot simulator: {base}/simulator/")
    lines += ["Остановить / stop: Ctrl-C", "=" * 72]
    return "\n".join(lines)


def simulator_notice(config: Config) -> str:
    """One line saying that the simulator stands in for Telegram, and where."""
    return (
        "Telegram не настроен (TELEGRAM_API_ID/HASH/BOT_TOKEN): работает "
        "симулятор бота / Telegram credentials not set: the bot simulator is "
        f"used instead at {public_base_url(config)}/simulator/"
    )


def _raise_interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _setup() -> tuple[Config, LocalSecrets, Servers]:
    load_dotenv(ROOT / ".env", override=False)
    first = load_config()
    first.var_dir.mkdir(parents=True, exist_ok=True)
    if port_in_use(first):
        raise ConfigError(
            f"порт {first.web_port} уже занят / port {first.web_port} on "
            f"{first.web_host} is already in use: stop the other program or "
            "set WEB_PORT"
        )
    secrets = ensure_local_secrets(first.var_dir, os.environ)
    os.environ.update(secrets.values)
    servers = resolve_servers(first.database_url, first.redis_url, first.var_dir)
    os.environ["DATABASE_URL"] = servers.database_url
    os.environ["REDIS_URL"] = servers.redis_url
    get_config.cache_clear()
    return get_config(), secrets, servers


def main(argv: list[str] | None = None) -> int:
    """Run everything until Ctrl-C, SIGTERM or a child's death; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m launcher", description=__doc__)
    parser.add_argument(
        "--no-demo", action="store_true", help="do not load the demo centre"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO,
        format="launcher  | %(levelname)s %(name)s: %(message)s",
        stream=sys.stdout,
    )
    prepare.quiet_noisy_loggers()
    # Until the supervisor takes over, SIGTERM behaves like Ctrl-C, so the
    # embedded servers are stopped by the `finally` below either way.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    servers: Servers | None = None
    try:
        config, secrets, servers = _setup()
        print(f"slotbook: {servers.describe()}; var: {config.var_dir}", flush=True)
        prepare.migrate_database()
        prepare.prepare_security(config)
        if not args.no_demo:
            prepare.load_demo_if_empty()
        prepare.dispose_engine()
        code = _supervise(config, secrets)
    except ConfigError as exc:
        print(f"slotbook: {exc}", file=sys.stderr, flush=True)
        return 2
    except OperationalError as exc:
        print(
            "slotbook: PostgreSQL не отвечает / cannot reach PostgreSQL "
            f"(DATABASE_URL): {exc.orig or exc}",
            file=sys.stderr,
            flush=True,
        )
        return 1
    except KeyboardInterrupt:
        print("slotbook: stopped before start-up finished", flush=True)
        return 130
    finally:
        if servers is not None:
            stop_embedded(servers)
    print(f"slotbook: everything stopped (exit code {code})", flush=True)
    return code


def _supervise(config: Config, secrets: LocalSecrets) -> int:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    supervisor = Supervisor(child_specs(), env)
    signal.signal(signal.SIGINT, supervisor.request_stop)
    signal.signal(signal.SIGTERM, supervisor.request_stop)
    if not config.telegram_configured:
        supervisor.log_line(simulator_notice(config))
    supervisor.start()
    try:
        healthy = wait_for_health(
            f"{public_base_url(config)}/health", supervisor, HEALTH_TIMEOUT_SECONDS
        )
    except ChildExited as exc:
        supervisor.log_line(f"{exc} during start-up; stopping everything")
        supervisor.stop()
        return exc.returncode if exc.returncode > 0 else 1
    if not healthy:
        supervisor.stop()
        return 0 if supervisor.stop_requested.is_set() else 1
    supervisor.write_block(banner(config, secrets))
    return supervisor.wait()
