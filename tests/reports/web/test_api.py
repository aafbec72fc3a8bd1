"""/api/v1/reports: JSON, CSV and PDF; refusals; who may call it; background builds."""

from __future__ import annotations

import io

import pandas as pd
from flask_jwt_extended import create_access_token
from pypdf import PdfReader
from redis import Redis
from rq import Queue, SimpleWorker

from jobs.runtime import QUEUE_NAME
from tests.reports.conftest import ORLOV, SMIRNOVA

PERIOD = "from=2025-09-01&to=2025-09-14"


def test_load_json_has_the_hand_checked_figures(coordinator_client, centre):
    response = coordinator_client.get(f"/api/v1/reports/load?{PERIOD}")
    assert response.status_code == 200
    data = response.get_json()
    assert data["tables"]["teacher"] == [
        {
            "teacher": ORLOV,
            "offered_hours": 4.0,
            "booked_hours": 1.0,
            "attended_hours": 1.0,
            "utilisation_pct": 25.0,
        },
        {
            "teacher": SMIRNOVA,
            "offered_hours": 5.5,
            "booked_hours": 4.0,
            "attended_hours": 1.0,
            "utilisation_pct": 72.7,
        },
    ]
    assert data["period"]["timezone"] == "Europe/Moscow"


def test_attendance_csv_by_client_with_comma(admin_client, centre):
    response = admin_client.get(
        f"/api/v1/reports/attendance?{PERIOD}&format=csv&table=client&sep=%2C"
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(response.data), encoding="utf-8-sig")
    assert list(frame.columns)[:3] == ["клиент", "записей", "пришёл"]
    assert frame["записей"].tolist() == [3, 3, 3]
    assert frame["неявки, %"].tolist() == [0.0, 100.0, 50.0]


def test_pdf_filtered_by_teacher_names_the_teacher(admin_client, centre):
    teacher_id = centre.teachers[ORLOV]
    response = admin_client.get(
        f"/api/v1/reports/attendance?{PERIOD}&format=pdf&teacher_id={teacher_id}"
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert f"преподаватель: {ORLOV}" in text
    assert SMIRNOVA not in text


def test_bad_parameters_are_refused_with_a_message(admin_client, centre):
    cases = {
        "from=yesterday": "Начало периода (from): дата в виде ГГГГ-ММ-ДД",
        "from=2025-09-10&to=2025-09-01": "Конец периода раньше его начала.",
        "from=2024-01-01&to=2025-06-01": "Период — не больше 366 дней.",
        "from=0001-01-01&to=0001-01-05": "Начало периода (from): год от 2000",
        "from=2025-09-01&to=9999-12-31": "Конец периода (to): год от 2000",
        "teacher_id=999": "Преподаватель (teacher_id): нет записи с номером 999.",
        "teacher_id=abc": "Преподаватель (teacher_id): нет записи с номером abc.",
        "teacher_id=99999999999": "Преподаватель (teacher_id): нет записи",
        "teacher_id=²": "Преподаватель (teacher_id): нет записи",
        "subject_id=-1": "Предмет (subject_id): нет записи",
        "format=xlsx": "Параметр format: одно из json, csv, pdf.",
        "table=client": "Параметр table: одно из teacher, subject, week, total.",
    }
    for args, message in cases.items():
        response = admin_client.get(f"/api/v1/reports/load?{args}")
        assert response.status_code == 400, args
        assert response.get_json()["message"].startswith(message), args
    response = admin_client.get("/api/v1/reports/salaries?lang=en")
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("No such report: salaries.")


def test_teachers_and_strangers_get_no_reports(teacher_client, app, centre):
    assert teacher_client.get(f"/api/v1/reports/load?{PERIOD}").status_code == 403
    anonymous = app.test_client().get(f"/api/v1/reports/load?{PERIOD}")
    assert anonymous.status_code == 401


def bearer(app, username: str) -> dict[str, str]:
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        token = create_access_token(identity=str(user.id), fresh=True)
    return {"Authorization": f"Bearer {token}"}


def test_background_build_reports_progress_then_gives_the_file(app, centre, redis_conn):
    client = app.test_client()
    headers = bearer(app, "coordinator")
    started = client.post(
        f"/api/v1/reports/load/jobs?{PERIOD}&format=pdf", headers=headers
    )
    assert started.status_code == 202, started.get_data(as_text=True)
    job_id = started.get_json()["job_id"]
    status = client.get(f"/api/v1/reports/jobs/{job_id}", headers=headers)
    assert status.get_json()["status"] == "queued"
    assert status.get_json()["progress"] == 0.0

    SimpleWorker([QUEUE_NAME], connection=redis_conn).work(burst=True)

    status = client.get(f"/api/v1/reports/jobs/{job_id}", headers=headers).get_json()
    assert status["status"] == "finished"
    assert status["progress"] == 1.0
    file = client.get(status["file_url"], headers=headers)
    assert file.status_code == 200
    assert file.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(file.data)).pages)
    assert "Нагрузка преподавателей" in text and SMIRNOVA in text


def test_background_build_needs_a_token_not_the_panel_cookie(
    coordinator_client, centre, redis_conn
):
    # The panel's session cookie carries no CSRF proof on the API, so a write
    # through it is refused; the panel queues builds through its own form.
    response = coordinator_client.post(f"/api/v1/reports/load/jobs?{PERIOD}")
    assert response.status_code == 401
    assert Queue(QUEUE_NAME, connection=redis_conn).count == 0


def test_unknown_job_is_not_found(admin_client, redis_conn):
    assert admin_client.get("/api/v1/reports/jobs/deadbeef-0000").status_code == 404
    assert admin_client.get("/api/v1/reports/jobs/x;drop").status_code == 404


def test_overview_json_and_default_semicolon_csv(admin_client, centre):
    data = admin_client.get(f"/api/v1/reports/overview?{PERIOD}").get_json()
    assert data["tables"]["subject"] == [
        {"subject": "Математика", "bookings": 5},
        {"subject": "Физика", "bookings": 1},
    ]
    assert data["tables"]["hour"][0] == {"weekday": 1, "hour": 10, "bookings": 2}
    csv = admin_client.get(f"/api/v1/reports/overview?{PERIOD}&format=csv&table=hour")
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[:2] == ["день недели;час;записей", "пн;10;2"]


def test_without_redis_background_builds_answer_503(app, centre, monkeypatch):
    monkeypatch.setattr(
        "webapp.api.reports.redis_connection",
        lambda *_a: Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5),
    )
    client = app.test_client()
    headers = bearer(app, "admin")
    response = client.post(f"/api/v1/reports/load/jobs?{PERIOD}", headers=headers)
    assert response.status_code == 503
    assert "Redis не отвечает" in response.get_json()["message"]
    status = client.get("/api/v1/reports/jobs/deadbeef-0000", headers=headers)
    assert status.status_code == 503
