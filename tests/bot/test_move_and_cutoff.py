"""From /my: moving a booking to another free time, and refusals after the cutoff."""

from __future__ import annotations

from sqlalchemy import select

from bot import callbacks
from scheduling.booking import Actor, book
from scheduling.models import BOOKED, Booking, BookingEvent, OutboxMessage
from scheduling.settings import update_settings
from tests.bot.harness import TgUser


def _book(session, centre, client, slot) -> Booking:
    booking = book(
        session,
        slot_id=slot.id,
        client_id=client.id,
        subject_id=centre.subject.id,
        actor=Actor("staff", 1),
    )
    session.commit()
    return booking


def _state(session, booking_id: int) -> tuple[int, str]:
    session.expire_all()
    booking = session.get(Booking, booking_id)
    return booking.slot_id, booking.status


def test_client_moves_a_booking_to_another_time_of_the_same_teacher(
    harness, centre, session
):
    booking = _book(session, centre, centre.client, centre.slots[0])
    user = centre.user(centre.client)
    harness.send_text(user, "/my")
    harness.press(user, harness.last(user).data_for("Перенести 1"))
    days = harness.last(user)
    assert "Перенос записи" in days.text
    harness.press(user, days.buttons[0][1])
    times = [label for label, _ in harness.last(user).buttons]
    # 10:00 is the booking itself; Boris's 15:00 is another teacher.
    assert times == ["11:00", "« Назад"]
    harness.press(user, harness.last(user).data_for("11:00"))
    confirm = harness.last(user)
    assert "Было:" in confirm.text and "Станет:" in confirm.text
    move_data = confirm.data_for("Перенести")
    harness.press(user, move_data)

    assert _state(session, booking.id) == (centre.slots[1].id, BOOKED)
    assert "Запись перенесена" in harness.last(user).text
    assert "11:00" in harness.last(user).text
    # A double tap finds it moved already: one move in the history.
    harness.press(user, move_data)
    assert _state(session, booking.id) == (centre.slots[1].id, BOOKED)
    moves = session.scalars(
        select(BookingEvent).where(BookingEvent.action == "moved")
    ).all()
    assert len(moves) == 1
    kinds = sorted(
        session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.kind.like("booking_moved%"))
        )
    )
    assert kinds == ["booking_moved_client", "booking_moved_teacher"]


def test_moving_to_a_time_taken_meanwhile_changes_nothing(harness, centre, session):
    booking = _book(session, centre, centre.client, centre.slots[0])
    user = centre.user(centre.client)
    data = callbacks.make("mv", booking.id, centre.slots[1].id)
    _book(session, centre, centre.second_client, centre.slots[1])
    harness.press(user, data)
    assert _state(session, booking.id) == (centre.slots[0].id, BOOKED)
    reply = harness.last(user)
    assert "уже занято" in reply.text
    assert any("другое время" in label for label, _ in reply.buttons)


def test_someone_elses_booking_cannot_be_moved(harness, centre, session):
    theirs = _book(session, centre, centre.second_client, centre.slots[0])
    user = centre.user(centre.client)
    harness.press(user, callbacks.make("mm", theirs.id))
    harness.press(user, callbacks.make("mv", theirs.id, centre.slots[1].id))
    assert _state(session, theirs.id) == (centre.slots[0].id, BOOKED)
    assert "нет доступа" in harness.last(user).text


def test_cancel_after_the_cutoff_shows_the_reason_and_the_centres_contact(
    harness, centre, session
):
    update_settings(
        session, {"cancel_cutoff_min": 7 * 1440, "centre_contact": "+7 495 123-45-67"}
    )
    booking = _book(session, centre, centre.client, centre.slots[0])
    user = centre.user(centre.client)
    harness.send_text(user, "/my")
    harness.press(user, harness.last(user).data_for("Отменить 1"))
    reply = harness.last(user)
    assert "Отменить запись можно не позднее чем за 168 ч до начала." in reply.text
    assert "Связаться с центром: +7 495 123-45-67" in reply.text
    assert harness.callback_answers[-1].startswith("Отменить запись можно")
    # Pressing an old "yes, cancel" button is refused the same way.
    harness.press(user, callbacks.make("mx", booking.id))
    assert "+7 495 123-45-67" in harness.last(user).text
    assert _state(session, booking.id) == (centre.slots[0].id, BOOKED)


def test_a_forged_move_to_another_teachers_time_changes_nothing(
    harness, centre, session
):
    booking = _book(session, centre, centre.client, centre.slots[0])
    user = centre.user(centre.client)
    borises = centre.slots[2]
    harness.press(user, callbacks.make("mv", booking.id, borises.id))
    assert _state(session, booking.id) == (centre.slots[0].id, BOOKED)
    assert "Такого слота нет" in harness.last(user).text


def test_move_after_the_cutoff_is_refused_with_the_reason(harness, centre, session):
    update_settings(session, {"cancel_cutoff_min": 7 * 1440})
    booking = _book(session, centre, centre.client, centre.slots[0])
    user = centre.user(centre.client)
    harness.press(user, callbacks.make("mm", booking.id))
    refusal = "Перенести запись можно не позднее чем за 168 ч до начала."
    assert refusal in harness.last(user).text
    assert harness.callback_answers[-1].startswith(refusal)
    harness.press(user, callbacks.make("mv", booking.id, centre.slots[1].id))
    assert refusal in harness.last(user).text
    assert _state(session, booking.id) == (centre.slots[0].id, BOOKED)


def test_english_move_after_the_cutoff_says_move(harness, centre, session):
    update_settings(session, {"cancel_cutoff_min": 6 * 1440 + 30})
    centre.client.language = "en"
    booking = _book(session, centre, centre.client, centre.slots[0])
    user = TgUser.of(centre.client, "en")
    harness.press(user, callbacks.make("mm", booking.id))
    assert (
        "Bookings can be moved up to 144 h 30 min before the start."
        in harness.last(user).text
    )


def test_english_client_sees_the_move_screens_in_english(harness, centre, session):
    centre.client.language = "en"
    booking = _book(session, centre, centre.client, centre.slots[0])
    user = TgUser.of(centre.client, "en")
    harness.press(user, callbacks.make("mm", booking.id))
    assert harness.last(user).text.startswith("Moving:")
