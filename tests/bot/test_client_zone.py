"""A client with their own timezone reads every time in it, zone named."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.render import Outgoing, render
from scheduling.booking import Actor, book
from scheduling.outbox import queue_message
from tests.bot.conftest import MOSCOW, local, tomorrow
from tests.bot.harness import TgUser

BERLIN = ZoneInfo("Europe/Berlin")
STAFF = Actor("staff", 1, "web", "admin")


def test_berlin_client_sees_booking_times_in_berlin_time(harness, session, factory):
    maths = factory.subject("Математика")
    factory.teacher("Анна Смирнова", subjects=(maths,))
    teacher = factory.teacher("Борис Орлов", subjects=(maths,))
    factory.slot(teacher, local(tomorrow(), 10))
    client = factory.client("Клара Шмидт", timezone="Europe/Berlin")
    session.commit()
    user = TgUser.of(client)

    harness.send_text(user, "Записаться")
    harness.press(user, harness.last(user).data_for("Математика"))
    harness.press(user, harness.last(user).data_for("Борис"))
    harness.press(user, harness.last(user).buttons[0][1])
    berlin_time = local(tomorrow(), 10).astimezone(BERLIN).strftime("%H:%M")
    assert berlin_time in [label for label, _ in harness.last(user).buttons]
    harness.press(user, harness.last(user).data_for(berlin_time))
    assert f"{berlin_time} (Europe/Berlin)" in harness.last(user).text


@pytest.mark.parametrize(
    ("day", "berlin"),
    [(dt.date(2027, 1, 15), "08:00"), (dt.date(2027, 7, 15), "09:00")],
)
def test_reminder_follows_the_clients_dst_while_the_centre_has_none(
    session, factory, day, berlin
):
    teacher = factory.teacher("Анна Смирнова")
    client = factory.client("Клара Шмидт", timezone="Europe/Berlin")
    slot = factory.slot(teacher, dt.datetime.combine(day, dt.time(10), tzinfo=MOSCOW))
    booking = book(
        session,
        slot_id=slot.id,
        client_id=client.id,
        actor=STAFF,
        now=slot.starts_at - dt.timedelta(days=1),
    )
    queue_message(
        session,
        key="reminder:test",
        chat_id=client.telegram_user_id,
        kind="reminder",
        payload={"booking_id": booking.id, "minutes_before": 60},
    )
    reply = render(
        session,
        Outgoing(
            0,
            client.telegram_user_id,
            "reminder",
            {"booking_id": booking.id, "minutes_before": 60},
        ),
    )
    assert f"{berlin} (Europe/Berlin)" in reply.text
    assert "10:00" not in reply.text
