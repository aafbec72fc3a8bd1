"""GET /health reports whether the database and Redis answer."""

from __future__ import annotations

from webapp import create_app


def test_health_is_ok_when_database_and_redis_answer(app):
    response = app.test_client().get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": True, "redis": True}


def test_health_is_503_when_redis_is_a_dead_socket(engine):
    app = create_app({"REDIS_URL": "unix:///nonexistent/slotbook-redis.sock"})
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "degraded",
        "database": True,
        "redis": False,
    }


def test_health_is_503_when_the_database_does_not_answer(engine):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/none"}
    )
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json()["database"] is False
    assert response.get_json()["redis"] is True


def test_health_needs_no_login(app):
    response = app.test_client().get("/health", follow_redirects=False)
    assert response.status_code == 200
