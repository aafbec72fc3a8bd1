"""Schemathesis against our OpenAPI document, logged in as admin: never a 5xx.

Every operation of /api/v1 gets a bounded number of generated requests
(valid and invalid bodies, odd ids and query strings) on a database seeded
with a teacher, a subject, a client, slots and a booking.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from scheduling.booking import Actor, book
from tests.webapp.conftest import ADMIN
from tests.webapp.helpers import days_ahead_at

# Bounded so the whole run stays well under two minutes.
EXAMPLES_PER_OPERATION = 25


def _admin_token(app) -> str:
    client = app.test_client()
    response = client.post(
        "/api/v1/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]}
    )
    assert response.status_code == 200
    return client.get_cookie("access_token_cookie").value


@pytest.fixture
def admin_headers(app) -> dict[str, str]:
    return {"Authorization": f"Bearer {_admin_token(app)}"}


@pytest.fixture
def api_schema(app, session, factory, admin_headers):
    maths = factory.subject("Математика")
    teacher = factory.teacher(subjects=(maths,))
    client = factory.client()
    for hour in (7, 9, 11):
        factory.slot(teacher, days_ahead_at(2, hour), subject_id=maths.id)
    slot = factory.slot(teacher, days_ahead_at(3, 7))
    book(session, slot_id=slot.id, client_id=client.id, actor=Actor("staff", 1))
    session.commit()
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/_openapi", app, headers=admin_headers
    )
    return schema.include(path_regex="^/api/v1/")


def test_no_request_to_the_api_gives_a_server_error(api_schema, app, admin_headers):
    # schemathesis' own pytest plugin does not run under pytest 9, so each
    # operation's generated cases are driven by hypothesis here.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20, [op.label for op in operations]
    failures: list[str] = []
    statuses: dict[str, set[int]] = defaultdict(set)
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        def no_server_error(case) -> None:
            response = case.call(app=app, headers=admin_headers)
            statuses[case.method].add(response.status_code)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query} {case.body!r}"
                    f" -> {response.status_code}: {response.text[:200]}"
                )

        no_server_error()
    assert not failures, "\n".join(failures[:20])
    # Logged in for real: reads succeed and writes reach validation.
    assert 200 in statuses["GET"], statuses
    assert {201, 422} <= statuses["POST"], statuses
    print(dict(statuses))
