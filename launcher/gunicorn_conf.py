"""Gunicorn settings for the production web service (`webapp.wsgi:app`).

Used as ``gunicorn -c python:launcher.gunicorn_conf webapp.wsgi:app``. The
master refuses to start with missing or example secrets before it forks.
"""

from __future__ import annotations

import os
import sys

from config import ConfigError, check_production_secrets, get_config

_config = get_config()

bind = f"{_config.web_host}:{_config.web_port}"
# Threads serve slow clients without a process each; WEB_CONCURRENCY (a
# gunicorn convention) sets the process count.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 60
graceful_timeout = 20
accesslog = "-"
errorlog = "-"
# No runtime control socket: nothing uses it, and two servers on one host
# would share its default path in $HOME.
control_socket_disable = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server) -> None:
    """Stop the master, with the reason, when the secrets are unsafe."""
    try:
        check_production_secrets(_config)
    except ConfigError as exc:
        server.log.error("%s", exc)
        sys.exit(2)
