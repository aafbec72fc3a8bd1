"""The WSGI entry point for gunicorn: `gunicorn webapp.wsgi:app`."""

from __future__ import annotations

import logging

from webapp import create_app

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")

app = create_app()
