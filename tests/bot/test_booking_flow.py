"""A client books through subject -> teacher -> day -> time -> confirm, and cancels."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from bot import callbacks
from bot.conversation import Event, respond
from scheduling.models import BOOKED, CANCELLED, Booking
from scheduling.settings import update_settings
from tests.bot.harness import BotHarness, TgUser


def _to_confirm(harness: BotHarness, user: TgUser, teacher: str, time: str):
    """Walk the menus up to the confirm screen of `time` with `teacher`."""
    harness.send_text(user, "Записаться")
    harness.press(user, harness.last(user).data_for("Математика"))
    harness.press(user, harness.last(user).data_for(teacher))
    day_buttons = harness.last(user).buttons
    harness.press(user, day_buttons[0][1])  # tomorrow, the only day with slots
    harness.press(user, harness.last(user).data_for(time))
    return harness.last(user)


def _bookings(session) -> list[tuple[int, int, str]]:
    session.expire_all()
    rows = session.execute(
        select(Booking.client_id, Booking.slot_id, Booking.status).order_by(Booking.id)
    )
    return [tuple(r) for r in rows]


def test_client_books_through_subject_teacher_day_time_and_confirm(
    harness, centre, session, factory
):
    factory.subject("История")  # nobody teaches it: not offered
    session.commit()
    user = centre.user(centre.client)
    harness.send_text(user, "/book")
    subjects = harness.last(user)
    assert [label for label, _ in subjects.buttons] == ["Математика", "Физика"]

    harness.press(user, subjects.data_for("Математика"))
    teachers = [label for label, _ in harness.last(user).buttons]
    assert teachers[:3] == ["Любой преподаватель", "Анна Смирнова", "Борис Орлов"]

    confirm = _to_confirm(harness, user, "Анна Смирнова", "11:00")
    assert "Записаться?" in confirm.text and "11:00 (МСК)" in confirm.text
    assert "⚠️" not in confirm.text  # far enough ahead to cancel later
    harness.press(user, confirm.data_for("Подтвердить"))

    assert _bookings(session) == [(centre.client.id, centre.slots[1].id, BOOKED)]
    done = harness.last(user)
    assert done.id == confirm.id  # the same message, edited in place
    assert "Вы записаны" in done.text and "Анна Смирнова" in done.text


def test_booking_inside_the_cancel_cutoff_is_warned_before_the_tap(
    harness, centre, session
):
    update_settings(session, {"cancel_cutoff_min": 3 * 24 * 60})
    session.commit()
    user = centre.user(centre.client)

    confirm = _to_confirm(harness, user, "Анна Смирнова", "11:00")

    assert (
        "⚠️ До занятия меньше 72 ч: отменить или перенести эту запись в боте "
        "будет нельзя." in confirm.text
    )
    assert confirm.data_for("Подтвердить")


def test_any_teacher_offers_every_teachers_times(harness, centre):
    user = centre.user(centre.client)
    harness.send_text(user, "Записаться")
    harness.press(user, harness.last(user).data_for("Математика"))
    harness.press(user, harness.last(user).data_for("Любой"))
    harness.press(user, harness.last(user).buttons[0][1])
    times = [label for label, _ in harness.last(user).buttons][:-1]
    assert times == [
        "10:00 · Анна Смирнова",
        "11:00 · Анна Смирнова",
        "15:00 · Борис Орлов",
    ]


def test_taken_slot_is_refused_with_the_next_free_times(harness, centre, session):
    first, second = centre.user(centre.client), centre.user(centre.second_client)
    first_confirm = _to_confirm(harness, first, "Анна Смирнова", "10:00")
    second_confirm = _to_confirm(harness, second, "Анна Смирнова", "10:00")
    harness.press(first, first_confirm.data_for("Подтвердить"))
    harness.press(second, second_confirm.data_for("Подтвердить"))

    assert _bookings(session) == [(centre.client.id, centre.slots[0].id, BOOKED)]
    refusal = harness.last(second)
    assert "Это время уже занято" in refusal.text
    assert "Ближайшее свободное время" in refusal.text
    offered = [label for label, data in refusal.buttons if data.startswith("bc:")]
    assert len(offered) == 1 and offered[0].endswith("11:00")
    assert harness.callback_answers[-1].startswith("Это время уже занято")


def test_double_tap_on_confirm_books_once(harness, centre, session):
    user = centre.user(centre.client)
    confirm = _to_confirm(harness, user, "Анна Смирнова", "10:00")
    data = confirm.data_for("Подтвердить")
    harness.press(user, data, message_id=confirm.id)
    harness.press(user, data, message_id=confirm.id)
    assert _bookings(session) == [(centre.client.id, centre.slots[0].id, BOOKED)]
    assert "Вы записаны" in harness.last(user).text


def test_forged_callback_data_changes_nothing(harness, centre, session, factory):
    user = centre.user(centre.client)
    other_booking_confirm = _to_confirm(
        harness, centre.user(centre.second_client), "Анна Смирнова", "10:00"
    )
    harness.press(
        centre.user(centre.second_client),
        other_booking_confirm.data_for("Подтвердить"),
    )
    before = _bookings(session)
    other_id = session.scalar(select(Booking.id))

    for forged in (
        b"\xff\xfe",
        "bo:1:2",
        "zz:1",
        f"mx:{other_id}",  # somebody else's booking
        "bo:999999:1:0:abcdef",  # no such slot
        f"bo:{centre.slots[1].id}:{centre.other_subject.id}:0:abcdef",  # not taught
        "ph:1:10",  # a teacher's poll button pressed by a client
    ):
        harness.press(user, forged)
        assert harness.last(user).text, forged
    assert _bookings(session) == before
    answers = harness.callback_answers[-7:]
    assert answers[0] == "Эта кнопка устарела. Начните заново из меню."
    assert answers[3] == "У вас нет доступа к этой записи."
    assert answers[4] == "Такого слота нет. Выберите время из списка."
    assert answers[5] == "Этот преподаватель не ведёт выбранный предмет."
    assert answers[6] == "Это действие доступно только преподавателям."


def test_my_bookings_lists_and_cancels_through_the_rule(harness, centre, session):
    user = centre.user(centre.client)
    confirm = _to_confirm(harness, user, "Борис Орлов", "15:00")
    harness.press(user, confirm.data_for("Подтвердить"))

    harness.send_text(user, "Мои записи")
    listing = harness.last(user)
    assert "1. " in listing.text and "Борис Орлов" in listing.text
    harness.press(user, listing.data_for("Отменить 1"))
    assert "Отменить запись?" in harness.last(user).text
    harness.press(user, harness.last(user).data_for("Да, отменить"))

    assert _bookings(session) == [(centre.client.id, centre.slots[2].id, CANCELLED)]
    assert "Запись отменена" in harness.last(user).text
    harness.send_text(user, "/my")
    assert harness.last(user).text == "У вас нет предстоящих занятий."


def test_a_teacher_cannot_use_the_client_steps(harness, centre, session):
    teacher = centre.user(centre.teacher)
    harness.send_text(teacher, "/book")
    assert harness.last(teacher).text == "Запись доступна клиентам центра."
    assert session.scalar(select(func.count(Booking.id))) == 0


def test_simultaneous_double_tap_books_once(centre, session):
    """Two presses of one confirm button handled in parallel threads."""
    user = centre.user(centre.client)
    data = callbacks.make(
        "bo", centre.slots[0].id, centre.subject.id, 0, callbacks.new_nonce()
    )
    event = Event(user_id=user.id, first_name="Иван", callback_data=data, message_id=1)
    barrier = threading.Barrier(2)
    answers = []

    def tap() -> None:
        barrier.wait()
        answers.append(respond(event))

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert _bookings(session) == [(centre.client.id, centre.slots[0].id, BOOKED)]
    assert all("Вы записаны" in a.replies[0].text for a in answers)
