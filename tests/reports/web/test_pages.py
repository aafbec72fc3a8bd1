"""The report pages of the panel: filters, tables, charts, background builds."""

from __future__ import annotations

import base64
import datetime as dt
import re

from redis import Redis
from rq import SimpleWorker
from sqlalchemy import text

from jobs.runtime import QUEUE_NAME
from tests.reports.conftest import ORLOV, SMIRNOVA
from tests.webapp.conftest import csrf_token
from tests.webapp.helpers import page_text

PERIOD = "from=2025-09-01&to=2025-09-14"
CHART = re.compile(r'src="data:image/png;base64,([^"]+)"')


def test_load_page_shows_tables_and_drawn_charts(coordinator_client, centre):
    response = coordinator_client.get(f"/reports/load/?{PERIOD}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = page_text(html)
    assert "01.09.2025 – 14.09.2025 (Europe/Moscow)" in text
    assert f"{ORLOV} 4,0 1,0 1,0 25,0" in text
    assert f"{SMIRNOVA} 5,5 4,0 1,0 72,7" in text
    charts = CHART.findall(html)
    assert len(charts) == 2
    assert all(base64.b64decode(c).startswith(b"\x89PNG") for c in charts)
    assert "/api/v1/reports/load?from=2025-09-01&amp;to=2025-09-14" in html


def test_attendance_page_filtered_by_subject(admin_client, centre):
    subject_id = centre.subjects["Физика"]
    html = admin_client.get(
        f"/reports/attendance/?{PERIOD}&subject_id={subject_id}"
    ).get_data(as_text=True)
    text = page_text(html)
    assert "предмет: Физика" in text
    assert "Петрова Ольга 1 0 1 0 0 0 100,0" in text
    assert "Иванов Иван" not in text


def test_overview_page_draws_three_charts(admin_client, centre):
    html = admin_client.get(f"/reports/overview/?{PERIOD}").get_data(as_text=True)
    assert len(CHART.findall(html)) == 3
    assert "пн 10 2" in page_text(html)


def test_bad_period_shows_the_form_with_a_message(admin_client, centre):
    response = admin_client.get("/reports/load/?from=2025-09-10&to=2025-09-01")
    assert response.status_code == 400
    assert "Конец периода раньше его начала." in page_text(
        response.get_data(as_text=True)
    )


def test_teacher_cannot_open_reports(teacher_client, centre):
    assert teacher_client.get(f"/reports/load/?{PERIOD}").status_code == 403


def test_long_period_pdf_is_built_in_the_background(
    coordinator_client, centre, redis_conn
):
    url = "/reports/load/?from=2025-01-01&to=2025-12-31"
    html = coordinator_client.get(url).get_data(as_text=True)
    assert "format=pdf" in html and "/reports/load/build" in html
    assert 'href="/api/v1/reports/load?from=2025-01-01' not in html.split("PDF")[0]
    build = re.search(r'action="(/reports/load/build[^"]+)"', html).group(1)
    response = coordinator_client.post(
        build.replace("&amp;", "&"), data={"csrf_token": csrf_token(html)}
    )
    assert response.status_code == 302
    job_page = response.headers["Location"]
    waiting = coordinator_client.get(job_page).get_data(as_text=True)
    assert 'http-equiv="refresh"' in waiting
    assert "0%" in page_text(waiting)

    SimpleWorker([QUEUE_NAME], connection=redis_conn).work(burst=True)

    done = coordinator_client.get(job_page).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in done
    link = re.search(r'href="(/api/v1/reports/jobs/[^"]+/file)"', done).group(1)
    file = coordinator_client.get(link)
    assert file.status_code == 200
    assert file.data.startswith(b"%PDF")


def test_background_build_form_needs_the_csrf_token(coordinator_client, centre):
    response = coordinator_client.post(f"/reports/load/build?{PERIOD}&format=pdf")
    assert response.status_code == 400


def test_report_menu_is_russian_for_coordinators_and_hidden_from_teachers(
    coordinator_client, teacher_client
):
    text = page_text(coordinator_client.get("/").get_data(as_text=True))
    for label in ("Отчёты", "Нагрузка преподавателей", "Посещаемость", "Обзор записей"):
        assert label in text
    assert "Нагрузка преподавателей" not in page_text(
        teacher_client.get("/").get_data(as_text=True)
    )


def test_pages_of_an_empty_centre_render(admin_client):
    for name in ("load", "attendance", "overview"):
        response = admin_client.get(f"/reports/{name}/?{PERIOD}")
        assert response.status_code == 200, name
        assert len(CHART.findall(response.get_data(as_text=True))) >= 2


def test_english_panel_links_english_files(admin_client, centre):
    admin_client.get("/lang/en")
    html = admin_client.get(f"/reports/load/?{PERIOD}").get_data(as_text=True)
    assert "Teacher load" in page_text(html)
    assert f"{SMIRNOVA} 5.5 4.0 1.0 72.7" in page_text(html)
    assert "lang=en" in re.search(r'href="(/api/v1/reports/load[^"]+)"', html).group(1)


def test_a_build_that_fails_says_so(coordinator_client, factory, session, redis_conn):
    teacher_id = factory.teacher("Ушедший Учитель").id
    session.commit()
    html = coordinator_client.get(f"/reports/load/?{PERIOD}").get_data(as_text=True)
    build = f"/reports/load/build?{PERIOD}&format=pdf&teacher_id={teacher_id}"
    response = coordinator_client.post(build, data={"csrf_token": csrf_token(html)})
    job_page = response.headers["Location"]
    # The teacher disappears before the worker gets to the build.
    session.execute(text("DELETE FROM teachers WHERE id = :id"), {"id": teacher_id})
    session.commit()

    SimpleWorker([QUEUE_NAME], connection=redis_conn).work(burst=True)

    page = page_text(coordinator_client.get(job_page).get_data(as_text=True))
    assert "Не удалось собрать отчёт" in page


def dead_redis(*_args, **_kwargs):
    return Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)


def test_without_redis_the_build_button_explains_and_returns(
    coordinator_client, centre, monkeypatch
):
    monkeypatch.setattr("webapp.views.report_pages.redis_connection", dead_redis)
    html = coordinator_client.get(f"/reports/load/?{PERIOD}").get_data(as_text=True)
    response = coordinator_client.post(
        f"/reports/load/build?{PERIOD}&format=pdf",
        data={"csrf_token": csrf_token(html)},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Сборка в фоне сейчас недоступна" in page_text(
        response.get_data(as_text=True)
    )


def test_long_tables_are_cut_in_the_page_and_say_so(
    admin_client, session, factory, monkeypatch
):
    monkeypatch.setattr("webapp.views.report_pages.HTML_MAX_ROWS", 2)
    teachers = [factory.teacher(f"Учитель {n}") for n in range(3)]
    for teacher in teachers:
        factory.slot(teacher, dt.datetime(2025, 9, 2, 9, tzinfo=dt.UTC))
    session.commit()
    text = page_text(
        admin_client.get(f"/reports/load/?{PERIOD}").get_data(as_text=True)
    )
    assert "Показаны первые 2 из 3 строк; в CSV — все." in text
    table = text.split("По преподавателям")[1].split("По предметам")[0]
    assert "Учитель 1" in table and "Учитель 2" not in table
