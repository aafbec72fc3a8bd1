"""What goes into a conversation step and what comes out, free of Telegram.

An `Event` is one thing a person did (typed text, shared their contact,
pressed a button). An `Answer` is what the bot does in return: replies to
send or edits of the message the button was on, and the short notice a
pressed button shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.texts import lang_of, t
from scheduling.models import Client, Teacher
from scheduling.people import Person, client_zone
from scheduling.settings import CentreSettings, get_settings


@dataclass(frozen=True)
class Event:
    """One action of a person in a private chat with the bot."""

    user_id: int
    first_name: str = ""
    last_name: str | None = None
    language_code: str | None = None
    text: str | None = None
    contact_phone: str | None = None
    # Whose contact it is: Telegram sets it to the sender for their own number.
    contact_user_id: int | None = None
    callback_data: str | bytes | None = None
    # The message the pressed button was on.
    message_id: int | None = None

    @property
    def full_name(self) -> str:
        """The name as the centre stores names: "Фамилия Имя" (surname first)."""
        return " ".join(p for p in (self.last_name, self.first_name) if p).strip()


@dataclass(frozen=True)
class Button:
    """An inline button: its label and the callback data it sends."""

    text: str
    data: str


@dataclass(frozen=True)
class Reply:
    """A message to send, or (edit=True) the new content of the pressed message.

    A message carries either inline `buttons`, or a reply keyboard: the
    persistent `menu`, or a one-button `contact_request`.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    menu: tuple[tuple[str, ...], ...] = ()
    contact_request: str | None = None
    edit: bool = False

    def button_data(self) -> list[str]:
        return [b.data for row in self.buttons for b in row]


@dataclass
class Answer:
    replies: list[Reply] = field(default_factory=list)
    # Shown briefly over the chat after a button press (callback answer).
    notice: str | None = None


@dataclass
class Context:
    """Everything a step needs: the database, the event, who it is, when."""

    session: Session
    event: Event
    person: Person
    lang: str
    now: dt.datetime

    @cached_property
    def settings(self) -> CentreSettings:
        return get_settings(self.session)

    @property
    def tz(self) -> ZoneInfo:
        """The zone times are shown in: a client's own, else the centre's."""
        if self.person.teacher is not None:
            return self.settings.tz
        return client_zone(self.person.client, self.settings)

    @property
    def client(self) -> Client | None:
        return self.person.client

    @property
    def teacher(self) -> Teacher | None:
        return self.person.teacher

    @property
    def is_callback(self) -> bool:
        return self.event.callback_data is not None

    def t(self, key: str, **params: object) -> str:
        return t(self.lang, key, **params)


def make_context(
    session: Session, event: Event, person: Person, now: dt.datetime
) -> Context:
    """A context speaking the person's stored language, or their Telegram one."""
    lang = lang_of(person.language or event.language_code)
    return Context(session=session, event=event, person=person, lang=lang, now=now)


def rows(buttons: list[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    """Lay buttons out `per_row` to a row."""
    return tuple(
        tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)
    )
