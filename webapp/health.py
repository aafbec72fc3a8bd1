"""`GET /health`: does the web process reach its database and Redis?"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db

logger = logging.getLogger(__name__)

bp = Blueprint("health", __name__)

TIMEOUT_S = 2


def database_answers() -> bool:
    """True when PostgreSQL answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError as exc:
        logger.warning("health: database unreachable: %s", type(exc).__name__)
        return False
    finally:
        db.session.rollback()


def redis_answers(url: str | None) -> bool:
    """True when Redis at `url` answers PING."""
    if not url:
        return False
    try:
        conn = Redis.from_url(
            url, socket_connect_timeout=TIMEOUT_S, socket_timeout=TIMEOUT_S
        )
        try:
            return bool(conn.ping())
        finally:
            conn.close()
    except (RedisError, OSError, ValueError) as exc:
        logger.warning("health: redis unreachable: %s", type(exc).__name__)
        return False


@bp.get("/health")
def health() -> ResponseReturnValue:
    """200 with both checks true, 503 when either server does not answer."""
    database = database_answers()
    redis = redis_answers(current_app.config.get("REDIS_URL"))
    ok = database and redis
    body = {"status": "ok" if ok else "degraded", "database": database, "redis": redis}
    return jsonify(body), 200 if ok else 503
