"""Teachers' invite links in the panel: made from the teacher page, shown once."""

from __future__ import annotations

from sqlalchemy import select

from scheduling.models import TeacherInvite, utcnow
from tests.webapp.conftest import csrf_token
from tests.webapp.helpers import page_text


def _teacher(session, factory):
    teacher = factory.teacher("Анна Смирнова", telegram=False)
    session.commit()
    return teacher


def test_teacher_page_button_creates_a_link_to_the_bot(
    coordinator_client, session, factory, monkeypatch
):
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "slotbook_centre_bot")
    from config import get_config

    get_config.cache_clear()
    teacher = _teacher(session, factory)
    show = coordinator_client.get(f"/teachers/show/{teacher.id}")
    html = show.get_data(as_text=True)
    assert "Ссылка-приглашение в бот" in html
    response = coordinator_client.post(
        f"/teachers/action/invite/{teacher.id}",
        data={"csrf_token": csrf_token(html)},
    )
    assert response.status_code == 302
    assert f"/invites/teacher/{teacher.id}" in response.headers["Location"]
    page = coordinator_client.get(response.headers["Location"])
    invite = session.scalar(select(TeacherInvite))
    assert invite.teacher_id == teacher.id and invite.created_by is not None
    text = page_text(page.get_data(as_text=True))
    assert f"https://t.me/slotbook_centre_bot?start={invite.token}" in page.get_data(
        as_text=True
    )
    assert "одноразовая" in text
    get_config.cache_clear()


def test_a_new_link_replaces_the_old_one(coordinator_client, session, factory):
    teacher = _teacher(session, factory)
    url = f"/invites/teacher/{teacher.id}"
    page = coordinator_client.get(url)
    assert "Действующей ссылки нет" in page_text(page.get_data(as_text=True))
    for _ in range(2):
        token = csrf_token(coordinator_client.get(url).get_data(as_text=True))
        assert coordinator_client.post(url, data={"csrf_token": token}).status_code
    session.expire_all()
    invites = session.scalars(select(TeacherInvite).order_by(TeacherInvite.id)).all()
    assert len(invites) == 2
    assert invites[0].expires_at <= utcnow() < invites[1].expires_at
    html = coordinator_client.get(url).get_data(as_text=True)
    assert invites[1].token in html and invites[0].token not in html


def test_a_post_without_csrf_creates_nothing(coordinator_client, session, factory):
    teacher = _teacher(session, factory)
    coordinator_client.post(f"/invites/teacher/{teacher.id}")
    assert session.scalar(select(TeacherInvite)) is None


def test_teachers_cannot_make_invites(teacher_client, session, factory):
    teacher = _teacher(session, factory)
    response = teacher_client.get(f"/invites/teacher/{teacher.id}")
    assert response.status_code in (302, 403)
    assert session.scalar(select(TeacherInvite)) is None


def test_an_unknown_teacher_is_a_404(coordinator_client):
    assert coordinator_client.get("/invites/teacher/999999").status_code == 404


def test_the_teacher_form_cannot_set_a_telegram_account(admin_client, session, factory):
    teacher = _teacher(session, factory)
    url = f"/teachers/edit/{teacher.id}"
    page = admin_client.get(url).get_data(as_text=True)
    assert 'name="telegram_user_id"' not in page
    admin_client.post(
        url,
        data={
            "full_name": "Анна Смирнова",
            "language": "ru",
            "is_active": "y",
            "telegram_user_id": "123456",
            "csrf_token": csrf_token(page),
        },
    )
    session.expire_all()
    assert session.get(type(teacher), teacher.id).telegram_user_id is None
