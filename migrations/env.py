"""Alembic environment: our models plus Flask-AppBuilder's security tables."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from flask_appbuilder.security.sqla import models as fab_models

from config import get_config
from scheduling.db import make_engine
from scheduling.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get(
    "configure_logger", True
):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = [Base.metadata, fab_models.Model.metadata]


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or get_config().database_url
    if not url:
        raise RuntimeError("DATABASE_URL is not set")
    engine = make_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline migrations are not supported; give DATABASE_URL")
run_migrations_online()
