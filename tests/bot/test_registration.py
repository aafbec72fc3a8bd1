"""/start, registration by contact, help and unknown text, through real handlers."""

from __future__ import annotations

from pyrogram import raw
from sqlalchemy import select

from scheduling.models import Client
from tests.bot.harness import TgUser


def test_start_asks_a_new_person_for_their_phone(harness, session):
    stranger = TgUser(5550001, "Олег", "Новиков")
    harness.send_text(stranger, "/start")
    greeting = harness.last(stranger)
    assert "Здравствуйте, Олег" in greeting.text
    assert greeting.asks_contact
    assert (
        session.scalar(select(Client).where(Client.telegram_user_id == 5550001)) is None
    )


def test_free_text_instead_of_the_phone_is_a_reminder_not_an_invite(harness, session):
    stranger = TgUser(5550006, "Олег", "Новиков")
    harness.send_text(stranger, "/start")
    harness.send_text(stranger, "привет, хочу записаться на математику")
    reply = harness.last(stranger)
    assert "приглашение" not in reply.text
    assert "«📱 Поделиться номером»" in reply.text
    assert "/start" in reply.text  # the way back
    assert reply.asks_contact
    assert (
        session.scalar(select(Client).where(Client.telegram_user_id == 5550006)) is None
    )


def test_new_client_is_registered_by_sharing_their_contact(harness, session):
    stranger = TgUser(5550002, "Олег", "Новиков")
    harness.send_text(stranger, "/start")
    harness.share_contact(stranger, "8 (900) 123-45-67")
    client = session.scalar(select(Client).where(Client.telegram_user_id == 5550002))
    assert client is not None
    assert client.full_name == "Новиков Олег"  # surname first, as staff type it
    assert client.phone == "+79001234567"
    assert client.language == "ru"
    reply = harness.last(stranger)
    assert "зарегистрированы" in reply.text
    assert reply.keyboard == ["Записаться", "Мои записи", "Помощь"]


def test_someone_elses_contact_registers_nobody(harness, session):
    stranger = TgUser(5550003, "Олег")
    harness.share_contact(stranger, "+79001112233", owner_id=999)
    assert (
        session.scalar(select(Client).where(Client.telegram_user_id == 5550003)) is None
    )
    assert "своим номером" in harness.last(stranger).text
    assert harness.last(stranger).asks_contact


def test_contact_links_a_client_the_centre_entered_by_phone(harness, session, factory):
    known = factory.client("Мария Иванова", telegram=False, phone="8-900-765-43-21")
    session.commit()
    person = TgUser(5550004, "Маша", None)
    harness.share_contact(person, "+7 900 765 43 21")
    session.expire_all()
    assert session.get(Client, known.id).telegram_user_id == 5550004
    assert session.query(Client).count() == 1


def test_known_teacher_is_recognised_with_the_teacher_menu(harness, factory, session):
    teacher = factory.teacher("Анна Смирнова")
    session.commit()
    harness.send_text(TgUser.of(teacher), "/start")
    reply = harness.last(TgUser.of(teacher))
    assert "каждый день я буду спрашивать" in reply.text.lower()
    assert reply.keyboard == ["Расписание", "Помощь"]


def test_teacher_is_greeted_by_first_name_and_patronymic_not_surname(
    harness, factory, session
):
    teacher = factory.teacher("Белых Ксения Ивановна")
    session.commit()
    user = TgUser.of(teacher)  # a profile whose first name is "Белых"
    harness.send_text(user, "/start")
    assert harness.last(user).text.startswith("Здравствуйте, Ксения Ивановна!")


def test_english_telegram_gets_english_replies(harness):
    guest = TgUser(5550005, "John", "Smith", "en-GB")
    harness.send_text(guest, "/start")
    assert harness.last(guest).text.startswith("Hello, John!")


def test_unknown_text_gets_a_hint_and_the_menu(harness, factory, session):
    client = factory.client("Иван Петров")
    session.commit()
    user = TgUser.of(client)
    harness.send_text(user, "когда занятие???")
    reply = harness.last(user)
    assert "Не понял" in reply.text
    assert "Записаться" in reply.keyboard


def test_help_button_explains_the_clients_options(harness, factory, session):
    client = factory.client("Иван Петров")
    session.commit()
    user = TgUser.of(client)
    harness.send_text(user, "Помощь")
    assert "/book" in harness.last(user).text


def test_unexpected_failure_is_an_apology_with_the_menu(
    harness, factory, session, monkeypatch, caplog
):
    client = factory.client("Иван Петров")
    session.commit()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("scheduling.catalog.subjects_with_free_slots", broken)
    user = TgUser.of(client)
    harness.send_text(user, "/book")
    reply = harness.last(user)
    assert reply.text.startswith("Извините, что-то пошло не так")
    assert "Записаться" in reply.keyboard
    assert "bot step failed" in caplog.text


def test_a_dice_or_other_media_gets_the_hint_not_silence(harness, factory, session):
    client = factory.client("Иван Петров")
    session.commit()
    user = TgUser.of(client)
    dice = raw.types.MessageMediaDice(value=3, emoticon="🎲")
    harness.send_media(user, dice)
    assert "Не понял" in harness.last(user).text
