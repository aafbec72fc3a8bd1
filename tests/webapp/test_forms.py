"""Adding and deleting through the panel's forms: the database's refusals explained."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from scheduling.models import Client, Slot, Subject, Teacher, TeacherSubject
from tests.webapp.conftest import csrf_token
from tests.webapp.helpers import days_ahead_at, page_text


def post_form(client, url: str, data: dict) -> str:
    """Open the form at `url`, send `data` with its CSRF token; the page after."""
    token = csrf_token(client.get(url).get_data(as_text=True))
    response = client.post(url, data={**data, "csrf_token": token})
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        response = client.get(response.headers["Location"])
    assert response.status_code == 200
    return page_text(response.get_data(as_text=True))


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_duplicate_teacher_subject_pair_gives_a_message_not_a_500(
    admin_client, session, factory
):
    maths = factory.subject("Математика")
    teacher = factory.teacher("Смирнова Анна", subjects=(maths,))
    session.commit()
    text = post_form(
        admin_client,
        "/teacher-subjects/add",
        {"teacher": teacher.id, "subject": maths.id},
    )
    assert "Этот преподаватель уже ведёт этот предмет." in text
    assert count(session, TeacherSubject) == 1


def test_new_teacher_subject_pair_is_saved(admin_client, session, factory):
    maths = factory.subject("Математика")
    teacher = factory.teacher("Смирнова Анна")
    session.commit()
    post_form(
        admin_client,
        "/teacher-subjects/add",
        {"teacher": teacher.id, "subject": maths.id},
    )
    assert count(session, TeacherSubject) == 1


def test_slot_typed_in_moscow_time_is_stored_in_utc(admin_client, session, factory):
    teacher = factory.teacher("Орлов Игорь")
    session.commit()
    day = days_ahead_at(3, 0).date()
    post_form(
        admin_client,
        "/slots/add",
        {
            "teacher": teacher.id,
            "starts_at": f"{day}T10:00",
            "ends_at": f"{day}T11:00",
            "capacity": "1",
        },
    )
    slot = session.scalars(select(Slot)).one()
    assert slot.starts_at == dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC)
    assert slot.ends_at - slot.starts_at == dt.timedelta(hours=1)


def test_overlapping_slot_of_a_teacher_is_refused_with_a_message(
    admin_client, session, factory
):
    teacher = factory.teacher("Орлов Игорь")
    day = days_ahead_at(3, 0).date()
    factory.slot(teacher, dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC))
    session.commit()
    text = post_form(
        admin_client,
        "/slots/add",
        {
            "teacher": teacher.id,
            "starts_at": f"{day}T10:30",  # Moscow: overlaps 10:00-11:00
            "ends_at": f"{day}T11:30",
            "capacity": "1",
        },
    )
    assert "У преподавателя уже есть слот в это время." in text
    assert count(session, Slot) == 1


def test_slot_ending_before_it_starts_is_refused(admin_client, session, factory):
    teacher = factory.teacher("Орлов Игорь")
    session.commit()
    day = days_ahead_at(3, 0).date()
    text = post_form(
        admin_client,
        "/slots/add",
        {
            "teacher": teacher.id,
            "starts_at": f"{day}T11:00",
            "ends_at": f"{day}T10:00",
            "capacity": "1",
        },
    )
    assert "конец должен быть позже начала" in text
    assert count(session, Slot) == 0


def test_slot_with_a_subject_the_teacher_does_not_teach_is_refused(
    admin_client, session, factory
):
    teacher = factory.teacher("Орлов Игорь")
    chemistry = factory.subject("Химия")
    session.commit()
    day = days_ahead_at(3, 0).date()
    text = post_form(
        admin_client,
        "/slots/add",
        {
            "teacher": teacher.id,
            "subject": chemistry.id,
            "starts_at": f"{day}T10:00",
            "ends_at": f"{day}T11:00",
            "capacity": "1",
        },
    )
    assert "Этот преподаватель не ведёт выбранный предмет." in text
    assert count(session, Slot) == 0


def test_deleting_a_subject_in_use_explains_why_it_stays(
    admin_client, session, factory
):
    maths = factory.subject("Математика")
    teacher = factory.teacher("Смирнова Анна", subjects=(maths,))
    factory.slot(teacher, days_ahead_at(3, 7), subject_id=maths.id)
    session.commit()
    listing = admin_client.get("/subjects/list/").get_data(as_text=True)
    response = admin_client.post(
        f"/subjects/delete/{maths.id}", data={"csrf_token": csrf_token(listing)}
    )
    assert response.status_code == 302
    text = page_text(admin_client.get("/subjects/list/").get_data(as_text=True))
    assert "Запись связана с другими данными" in text
    assert count(session, Subject) == 1


def test_unknown_teacher_timezone_is_refused_in_the_form(admin_client, session):
    token = csrf_token(admin_client.get("/teachers/add").get_data(as_text=True))
    response = admin_client.post(
        "/teachers/add",
        data={
            "full_name": "Новиков Пётр",
            "language": "ru",
            "timezone": "Mars/Olympus",
            "is_active": "y",
            "csrf_token": token,
        },
    )
    assert response.status_code == 200
    assert "Неизвестный часовой пояс" in response.get_data(as_text=True)
    assert count(session, Teacher) == 0


def test_a_client_phone_typed_in_any_spelling_is_stored_as_the_bot_reads_it(
    admin_client, session
):
    post_form(
        admin_client,
        "/clients/add",
        {"full_name": "Проверкин Пётр", "phone": "8 (900) 123-45-67", "language": "ru"},
    )
    assert session.scalars(select(Client.phone)).one() == "+79001234567"


def test_a_client_phone_that_is_no_number_is_refused_in_the_form(admin_client, session):
    token = csrf_token(admin_client.get("/clients/add").get_data(as_text=True))
    response = admin_client.post(
        "/clients/add",
        data={
            "full_name": "Проверкин Пётр",
            "phone": "12345",
            "language": "ru",
            "csrf_token": token,
        },
    )
    assert response.status_code == 200
    assert "Это не номер телефона" in response.get_data(as_text=True)
    assert count(session, Client) == 0


def test_new_teacher_is_active_with_empty_optional_fields(admin_client, session):
    post_form(
        admin_client,
        "/teachers/add",
        {"full_name": "Новиков Пётр", "language": "ru", "is_active": "y"},
    )
    teacher = session.scalars(select(Teacher)).one()
    assert teacher.is_active
    assert (teacher.timezone, teacher.phone, teacher.email) == (None, None, None)
    assert teacher.telegram_user_id is None


def test_slot_with_a_taught_subject_is_saved_with_it(admin_client, session, factory):
    maths = factory.subject("Математика")
    teacher = factory.teacher("Орлов Игорь", subjects=(maths,))
    session.commit()
    form = admin_client.get("/slots/add").get_data(as_text=True)
    assert ">—</option>" in form  # the empty subject reads as a dash
    day = days_ahead_at(3, 0).date()
    post_form(
        admin_client,
        "/slots/add",
        {
            "teacher": teacher.id,
            "subject": maths.id,
            "starts_at": f"{day}T12:00",
            "ends_at": f"{day}T13:00",
            "capacity": "2",
        },
    )
    slot = session.scalars(select(Slot)).one()
    assert (slot.subject_id, slot.capacity) == (maths.id, 2)


def test_deleting_an_unused_subject_works_and_is_logged(
    admin_client, session, factory, caplog
):
    subject_id = factory.subject("Химия").id
    session.commit()
    listing = admin_client.get("/subjects/list/").get_data(as_text=True)
    with caplog.at_level("INFO", logger="webapp.views.base"):
        response = admin_client.post(
            f"/subjects/delete/{subject_id}", data={"csrf_token": csrf_token(listing)}
        )
    assert response.status_code == 302
    text = page_text(admin_client.get("/subjects/list/").get_data(as_text=True))
    assert "Запись удалена" in text
    assert count(session, Subject) == 0
    assert f"subject deleted id={subject_id} by user=" in caplog.text


def test_edit_forms_open_and_a_teacher_edit_is_saved(admin_client, session, factory):
    maths = factory.subject("Математика")
    teacher = factory.teacher("Орлов Игорь", subjects=(maths,), timezone="Asia/Omsk")
    pupil = factory.client("Иванов Иван")
    session.commit()
    for url in (
        f"/clients/edit/{pupil.id}",
        f"/subjects/edit/{maths.id}",
        f"/teachers/show/{teacher.id}",
        f"/clients/show/{pupil.id}",
    ):
        assert admin_client.get(url).status_code == 200, url
    page = admin_client.get(f"/teachers/edit/{teacher.id}").get_data(as_text=True)
    assert 'value="Asia/Omsk"' in page
    post_form(
        admin_client,
        f"/teachers/edit/{teacher.id}",
        {
            "full_name": "Орлов Игорь Петрович",
            "phone": "+79990001122",
            "language": "en",
            "timezone": "",
            "is_active": "y",
        },
    )
    session.expire_all()
    edited = session.get(Teacher, teacher.id)
    assert (edited.full_name, edited.phone, edited.language, edited.timezone) == (
        "Орлов Игорь Петрович",
        "+79990001122",
        "en",
        None,
    )


def test_after_adding_a_teacher_the_teacher_list_is_shown(admin_client, session):
    token = csrf_token(admin_client.get("/teachers/add").get_data(as_text=True))
    response = admin_client.post(
        "/teachers/add",
        data={
            "full_name": "Белых Ксения Ивановна",
            "language": "ru",
            "is_active": "y",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/teachers/list/")


def subjects_of(session, teacher_id: int) -> set[str]:
    session.expire_all()
    return set(
        session.scalars(
            select(Subject.name)
            .join(TeacherSubject, TeacherSubject.subject_id == Subject.id)
            .where(TeacherSubject.teacher_id == teacher_id)
        )
    )


def test_a_teachers_subjects_are_picked_on_the_teacher_form(
    admin_client, session, factory
):
    maths, physics = factory.subject("Математика"), factory.subject("Физика")
    chemistry = factory.subject("Химия")
    session.commit()
    post_form(
        admin_client,
        "/teachers/add",
        {
            "full_name": "Белых Ксения Ивановна",
            "subject_choices": [str(maths.id), str(physics.id)],
            "language": "ru",
            "is_active": "y",
        },
    )
    teacher = session.scalar(select(Teacher).where(Teacher.full_name.like("Белых%")))
    assert subjects_of(session, teacher.id) == {"Математика", "Физика"}

    form = admin_client.get(f"/teachers/edit/{teacher.id}").get_data(as_text=True)
    assert len(re.findall(r"<option selected[^>]*>(Математика|Физика)<", form)) == 2

    post_form(
        admin_client,
        f"/teachers/edit/{teacher.id}",
        {
            "full_name": teacher.full_name,
            "subject_choices": [str(physics.id), str(chemistry.id)],
            "language": "ru",
            "is_active": "y",
        },
    )
    assert subjects_of(session, teacher.id) == {"Физика", "Химия"}
    assert count(session, TeacherSubject) == 2
