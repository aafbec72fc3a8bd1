"""Bulk scheduling: preview the slots of several days, then create them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from scheduling.models import Slot
from tests.webapp.conftest import csrf_token
from tests.webapp.helpers import page_text

MOSCOW = dt.timezone(dt.timedelta(hours=3))


def coming_days(*offsets: int) -> list[dt.date]:
    today = dt.datetime.now(MOSCOW).date()
    return [today + dt.timedelta(days=n) for n in offsets]


def post_bulk(client, teacher_id: int, days, action: str, **extra: str):
    page = client.get("/bulk/").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(page),
        "teacher": str(teacher_id),
        "days": [d.isoformat() for d in days],
        "start": "10:00",
        "end": "13:00",
        "subject": "0",
        "capacity": "1",
        "action": action,
    }
    data.update(extra)
    return client.post("/bulk/", data=data)


def slot_count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count(Slot.id)))


def test_preview_lists_the_slots_and_creates_nothing(admin_client, session, factory):
    teacher = factory.teacher("Смирнова Анна")
    session.commit()
    days = coming_days(2, 3)

    response = post_bulk(admin_client, teacher.id, days, "preview")

    assert response.status_code == 200
    text = page_text(response.get_data(as_text=True))
    for day in days:
        for hour in (10, 11, 12):
            assert f"{day:%d.%m.%Y} {hour}:00 MSK" in text
    assert "Создать слоты: 6" in text
    assert slot_count(session) == 0


def test_create_makes_the_slots_of_every_chosen_day(admin_client, session, factory):
    maths = factory.subject("Математика")
    teacher = factory.teacher("Смирнова Анна", subjects=(maths,))
    session.commit()
    days = coming_days(2, 3, 5)

    response = post_bulk(
        admin_client,
        teacher.id,
        days,
        "create",
        subject=str(maths.id),
        capacity="3",
    )

    assert response.status_code == 302
    assert f"date={days[0].isoformat()}" in response.headers["Location"]
    slots = session.scalars(select(Slot).order_by(Slot.starts_at)).all()
    assert len(slots) == 9
    assert {s.starts_at.astimezone(MOSCOW).date() for s in slots} == set(days)
    assert {s.starts_at.astimezone(MOSCOW).hour for s in slots} == {10, 11, 12}
    assert {(s.subject_id, s.capacity, s.teacher_id) for s in slots} == {
        (maths.id, 3, teacher.id)
    }


def test_creating_the_same_hours_twice_adds_nothing(admin_client, session, factory):
    teacher = factory.teacher("Смирнова Анна")
    session.commit()
    days = coming_days(2, 3)
    post_bulk(admin_client, teacher.id, days, "create")

    response = post_bulk(admin_client, teacher.id, days, "preview")

    assert "Новых слотов нет" in page_text(response.get_data(as_text=True))
    assert slot_count(session) == 6


def test_a_subject_the_teacher_does_not_teach_is_refused(
    admin_client, session, factory
):
    physics = factory.subject("Физика")
    teacher = factory.teacher("Смирнова Анна")
    session.commit()

    response = post_bulk(
        admin_client, teacher.id, coming_days(2), "create", subject=str(physics.id)
    )

    assert response.status_code == 422
    assert "не ведёт" in page_text(response.get_data(as_text=True))
    assert slot_count(session) == 0


def test_no_day_chosen_is_a_form_error(admin_client, session, factory):
    teacher = factory.teacher("Смирнова Анна")
    session.commit()
    response = post_bulk(admin_client, teacher.id, [], "create")
    assert response.status_code == 400
    assert "Выберите хотя бы один день" in page_text(response.get_data(as_text=True))
    assert slot_count(session) == 0


def test_text_where_a_number_goes_is_a_form_error(admin_client, session, factory):
    teacher = factory.teacher("Смирнова Анна")
    session.commit()
    response = post_bulk(
        admin_client, teacher.id, coming_days(2), "create", capacity="много"
    )
    assert response.status_code == 400
    assert slot_count(session) == 0


def test_teachers_may_not_open_bulk_scheduling(teacher_client):
    response = teacher_client.get("/bulk/")
    assert response.status_code in (302, 403)


def test_an_end_before_the_start_is_refused_unless_past_midnight_is_meant(
    admin_client, session, factory
):
    teacher = factory.teacher("Соколов Андрей")
    session.commit()
    days = coming_days(2)

    typo = post_bulk(
        admin_client, teacher.id, days, "create", start="15:00", end="11:00"
    )
    assert "Конец не позже начала" in page_text(typo.get_data(as_text=True))
    assert slot_count(session) == 0

    night = post_bulk(
        admin_client,
        teacher.id,
        days,
        "create",
        start="22:00",
        end="01:00",
        overnight="y",
    )
    assert night.status_code in (200, 302)
    assert slot_count(session) == 3

    contradiction = post_bulk(
        admin_client, teacher.id, days, "preview", end="13:00", overnight="y"
    )
    assert (
        "заканчивается на следующий день"
        in page_text(contradiction.get_data(as_text=True)).lower()
    )
