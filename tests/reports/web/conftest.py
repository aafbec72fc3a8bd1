"""The panel's fixtures (app, logged-in clients) for the report pages and API."""

from tests.webapp.conftest import (  # noqa: F401  (fixtures)
    _clean_database,
    admin_client,
    app,
    coordinator_client,
    teacher_client,
)
