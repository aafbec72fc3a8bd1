"""Slotbook's web admin panel (Flask-AppBuilder): the app factory."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, send_from_directory
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder

from config import ConfigError, get_config
from webapp.api import register_api
from webapp.appconfig import flask_settings
from webapp.errors import register_error_pages
from webapp.extensions import csrf, db
from webapp.health import bp as health_bp
from webapp.list_args import register_list_args_check
from webapp.security import SlotbookSecurityManager
from webapp.views import register_views
from webapp.views.home import HomeView
from webapp.views.settings import register_settings

logger = logging.getLogger(__name__)


STATIC = Path(__file__).resolve().parent / "static"


def favicon() -> ResponseReturnValue:
    """The tab icon browsers ask for at /favicon.ico."""
    return send_from_directory(
        STATIC, "slotbook/favicon.png", mimetype="image/png", max_age=86400
    )


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the panel: settings from `config.get_config()`, then `overrides`.

    :raise ConfigError: no SECRET_KEY or no database URL.
    """
    app = Flask(__name__)
    app.config.update(flask_settings(get_config()))
    app.config.update(overrides or {})
    if not app.config.get("SECRET_KEY"):
        raise ConfigError(
            "SECRET_KEY is not set; the web panel signs sessions with it and "
            "refuses to start without one"
        )
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        raise ConfigError("DATABASE_URL is not set; the web panel needs PostgreSQL")

    csrf.init_app(app)
    db.init_app(app)
    app.register_blueprint(health_bp)
    app.add_url_rule("/favicon.ico", "favicon", favicon)
    register_error_pages(app)
    register_list_args_check(app)
    # FAB reads current_app while it builds its views and menus.
    with app.app_context():
        appbuilder = AppBuilder(
            app,
            db.session,
            indexview=HomeView,
            security_manager_class=SlotbookSecurityManager,
        )
        register_views(appbuilder)
        register_api(appbuilder)
        register_settings(appbuilder)
        # The bot package owns the simulator page; imported late because it
        # may import from this package.
        from webapp.simulator import register_simulator

        register_simulator(appbuilder)
    logger.info("web app created")
    return app
