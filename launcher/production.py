"""Production start-up steps, run by the Docker Compose services.

* ``python -m launcher.production check``: refuse missing or example secrets.
* ``python -m launcher.production setup``: the one-shot ``migrate`` service:
  check the secrets, ``alembic upgrade head``, roles, the admin login.
"""

from __future__ import annotations

import argparse
import logging
import sys

from config import ConfigError, check_production_secrets, get_config
from launcher import prepare

logger = logging.getLogger(__name__)


def setup() -> None:
    """Everything the app services need before they start; idempotent."""
    config = get_config()
    check_production_secrets(config)
    prepare.migrate_database()
    prepare.prepare_security(config)
    prepare.dispose_engine()
    logger.info("production setup finished")


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m launcher.production")
    parser.add_argument("step", choices=["check", "setup"])
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(levelname)s [%(name)s] %(message)s"
    )
    prepare.quiet_noisy_loggers()
    try:
        if args.step == "check":
            check_production_secrets(get_config())
        else:
            setup()
    except ConfigError as exc:
        print(f"slotbook: {exc}", file=sys.stderr, flush=True)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
