"""Fixtures for the bot tests: the offline Telegram harness and a small centre."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from scheduling.models import Client, Slot, Subject, Teacher
from tests.bot.harness import BotHarness, TgUser

MOSCOW = ZoneInfo("Europe/Moscow")


def tomorrow() -> dt.date:
    return (dt.datetime.now(MOSCOW) + dt.timedelta(days=1)).date()


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A wall-clock time in Moscow as an aware datetime."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=MOSCOW)


@pytest.fixture
def harness() -> Iterator[BotHarness]:
    bot = BotHarness()
    yield bot
    bot.close()


@dataclass
class Centre:
    subject: Subject
    other_subject: Subject
    teacher: Teacher
    second_teacher: Teacher
    client: Client
    second_client: Client
    slots: list[Slot]

    def user(self, record: Teacher | Client) -> TgUser:
        return TgUser.of(record)


@pytest.fixture
def centre(session, factory) -> Centre:
    """Two teachers of Математика with slots tomorrow 10-12 and 15:00, two clients."""
    maths = factory.subject("Математика")
    physics = factory.subject("Физика")
    anna = factory.teacher("Анна Смирнова", subjects=(maths,))
    boris = factory.teacher("Борис Орлов", subjects=(maths, physics))
    day = tomorrow()
    slots = [
        factory.slot(anna, local(day, 10)),
        factory.slot(anna, local(day, 11)),
        factory.slot(boris, local(day, 15)),
    ]
    first = factory.client("Иван Петров")
    second = factory.client("Мария Сидорова")
    session.commit()
    return Centre(maths, physics, anna, boris, first, second, slots)
