"""A teacher's or client's panel login is picked on their edit page."""

from __future__ import annotations

import re

from scheduling.models import Client, Teacher
from tests.webapp.conftest import TEACHER_LOGIN, add_user
from tests.webapp.helpers import days_ahead_at, page_text
from tests.webapp.test_forms import post_form
from webapp.roles import CLIENT, TEACHER

SELECTED = re.compile(r"<option selected[^>]*>([^<]+)</option>")


def user_id(app, username: str) -> int:
    with app.app_context():
        return app.appbuilder.sm.find_user(username=username).id


def teacher_form(teacher: Teacher, login: int | str) -> dict:
    return {
        "full_name": teacher.full_name,
        "language": "ru",
        "is_active": "y",
        "web_login": str(login),
    }


def test_a_teacher_login_is_linked_and_then_shows_only_that_teachers_slots(
    app, admin_client, teacher_client, session, factory
):
    ours = factory.teacher("Смирнова Анна")
    other = factory.teacher("Орлов Игорь")
    factory.slot(ours, days_ahead_at(2, 9))
    factory.slot(other, days_ahead_at(2, 11))
    session.commit()
    assert "Орлов Игорь" not in page_text(
        teacher_client.get("/slots/list/").get_data(as_text=True)
    )  # not linked yet: nothing at all

    form = admin_client.get(f"/teachers/edit/{ours.id}").get_data(as_text=True)
    assert "teacher (Teacher Test)" in form
    assert "coordinator (" not in form and "admin (" not in form

    text = post_form(
        admin_client,
        f"/teachers/edit/{ours.id}",
        teacher_form(ours, user_id(app, TEACHER_LOGIN[0])),
    )
    assert "Ошибка" not in text
    session.expire_all()
    assert session.get(Teacher, ours.id).user_id == user_id(app, TEACHER_LOGIN[0])
    edit = admin_client.get(f"/teachers/edit/{ours.id}").get_data(as_text=True)
    assert "teacher (Teacher Test)" in SELECTED.findall(edit)

    slots = page_text(teacher_client.get("/slots/list/").get_data(as_text=True))
    assert "Смирнова Анна" in slots and "Орлов Игорь" not in slots


def test_a_login_of_another_teacher_or_of_staff_is_refused(
    app, admin_client, session, factory
):
    first = factory.teacher("Смирнова Анна")
    second = factory.teacher("Орлов Игорь")
    session.commit()
    login = user_id(app, TEACHER_LOGIN[0])
    post_form(admin_client, f"/teachers/edit/{first.id}", teacher_form(first, login))

    offered = admin_client.get(f"/teachers/edit/{second.id}").get_data(as_text=True)
    assert "teacher (Teacher Test)" not in offered
    for refused in (login, user_id(app, "coordinator"), "abc"):
        text = post_form(
            admin_client, f"/teachers/edit/{second.id}", teacher_form(second, refused)
        )
        assert "Недопустимое значение" in text
    session.expire_all()
    assert session.get(Teacher, second.id).user_id is None
    assert session.get(Teacher, first.id).user_id == login


def test_choosing_none_unlinks_the_login(app, admin_client, session, factory):
    teacher = factory.teacher("Смирнова Анна")
    teacher.user_id = user_id(app, TEACHER_LOGIN[0])
    session.commit()
    post_form(admin_client, f"/teachers/edit/{teacher.id}", teacher_form(teacher, ""))
    session.expire_all()
    assert session.get(Teacher, teacher.id).user_id is None


def test_a_client_login_is_linked_on_the_clients_page(
    app, coordinator_client, session, factory
):
    add_user(app, ("parent", "parent-password-for-tests"), CLIENT)
    add_user(app, ("second-teacher", "teacher-password-for-tests"), TEACHER)
    client = factory.client("Иванов Пётр")
    session.commit()
    form = coordinator_client.get(f"/clients/edit/{client.id}").get_data(as_text=True)
    assert "parent (Parent Test)" in form
    assert "second-teacher" not in form

    post_form(
        coordinator_client,
        f"/clients/edit/{client.id}",
        {
            "full_name": client.full_name,
            "telegram_user_id": str(client.telegram_user_id),
            "language": "ru",
            "web_login": str(user_id(app, "parent")),
        },
    )
    session.expire_all()
    assert session.get(Client, client.id).user_id == user_id(app, "parent")
