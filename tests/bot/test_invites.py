"""Teachers join only by an invite link: /start <token> through real handlers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.simulator import Simulator
from scheduling.invites import create_invite, invite_link
from scheduling.models import Client, Teacher, TeacherInvite, utcnow
from tests.bot.harness import TgUser


def _invite(session, factory, **kw) -> tuple[Teacher, str]:
    teacher = factory.teacher("Анна Смирнова", telegram=False, phone="+79000001122")
    invite = create_invite(session, teacher.id, **kw)
    session.commit()
    return teacher, invite.token


def test_invite_link_binds_the_account_to_the_teacher(harness, session, factory):
    teacher, token = _invite(session, factory)
    anna = TgUser(6660001, "Анна", "Смирнова")
    harness.send_text(anna, f"/start {token}")
    session.expire_all()
    assert session.get(Teacher, teacher.id).telegram_user_id == 6660001
    invite = session.scalar(select(TeacherInvite))
    assert invite.used_by_telegram_id == 6660001 and invite.used_at is not None
    reply = harness.last(anna)
    assert "привязан к вашей карточке преподавателя" in reply.text
    assert reply.keyboard == ["Расписание", "Помощь"]
    # From now on she is recognised as the teacher.
    harness.send_text(anna, "/schedule")
    assert "слотов нет" in harness.last(anna).text


def test_a_used_invite_is_refused_to_another_account(harness, session, factory):
    teacher, token = _invite(session, factory)
    harness.send_text(TgUser(6660002, "Анна"), f"/start {token}")
    intruder = TgUser(6660003, "Пётр")
    harness.send_text(intruder, f"/start {token}")
    session.expire_all()
    assert session.get(Teacher, teacher.id).telegram_user_id == 6660002
    assert "уже использована" in harness.last(intruder).text
    # The same teacher opening her link again is simply greeted.
    harness.send_text(TgUser(6660002, "Анна"), f"/start {token}")
    assert "Ошибка" not in harness.last(TgUser(6660002, "Анна")).text


def test_an_expired_invite_is_refused_and_binds_nobody(harness, session, factory):
    long_ago = utcnow() - dt.timedelta(days=8)
    teacher, token = _invite(session, factory, now=long_ago)
    anna = TgUser(6660004, "Анна")
    harness.send_text(anna, f"/start {token}")
    session.expire_all()
    assert session.get(Teacher, teacher.id).telegram_user_id is None
    assert "Срок действия ссылки-приглашения истёк" in harness.last(anna).text


def test_a_forged_token_is_refused_clearly(harness, session, factory):
    teacher, _ = _invite(session, factory)
    guest = TgUser(6660005, "Олег")
    for forged in ("abc", "x" * 80, "'; DROP TABLE teachers;--"):
        harness.send_text(guest, f"/start {forged}")
        assert "недействительна" in harness.last(guest).text
    session.expire_all()
    assert session.get(Teacher, teacher.id).telegram_user_id is None


def test_a_new_invite_replaces_the_unused_one(session, factory):
    teacher, first = _invite(session, factory)
    second = create_invite(session, teacher.id)
    session.commit()
    assert second.token != first
    tokens = session.scalars(
        select(TeacherInvite.token).where(TeacherInvite.expires_at > utcnow())
    ).all()
    assert tokens == [second.token]


def test_sharing_a_teachers_phone_makes_a_client_not_a_teacher(
    harness, session, factory
):
    teacher = factory.teacher("Анна Смирнова", telegram=False, phone="+79000001122")
    session.commit()
    anna = TgUser(6660006, "Анна", "Смирнова")
    harness.share_contact(anna, "8 900 000-11-22")
    session.expire_all()
    assert session.get(Teacher, teacher.id).telegram_user_id is None
    client = session.scalar(select(Client).where(Client.telegram_user_id == 6660006))
    assert client is not None
    assert harness.last(anna).keyboard == ["Записаться", "Мои записи", "Помощь"]


def test_invite_link_names_the_bot():
    assert invite_link("@slotbook_bot", "tok") == "https://t.me/slotbook_bot?start=tok"
    assert invite_link(None, "tok") is None


def test_a_new_person_in_the_simulator_joins_by_the_invite_code(
    redis_conn, session, factory
):
    teacher, token = _invite(session, factory)
    sim = Simulator(redis_conn)
    chat = sim.new_person("Анна", "Смирнова", "ru")
    sim.send_text(chat, f"/start {token}")
    session.expire_all()
    assert session.get(Teacher, teacher.id).telegram_user_id == chat
    assert sim.transcript(chat)[-1].menu == [["Расписание", "Помощь"]]


def test_an_account_of_another_teacher_cannot_take_a_second_record(
    harness, session, factory
):
    boris = factory.teacher("Борис Орлов")
    teacher, token = _invite(session, factory)
    user = TgUser.of(boris)
    harness.send_text(user, f"/start {token}")
    session.expire_all()
    assert session.get(Teacher, teacher.id).telegram_user_id is None
    assert "уже привязан к другому преподавателю" in harness.last(user).text
