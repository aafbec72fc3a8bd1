"""Finding teachers and clients by their Telegram account, and registering them.

A person who writes to the bot is recognised by ``telegram_user_id``. A new
person shares their phone through Telegram's contact button; Telegram vouches
that the number is theirs, so it may link a client the centre has already
entered with that phone, and otherwise registers a new client. A phone never
makes anyone a teacher: teachers join only by an invite link
(`scheduling.invites`).
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduling.errors import RuleError
from scheduling.models import Client, Teacher
from scheduling.settings import CentreSettings

logger = logging.getLogger(__name__)

LANGUAGES = ("ru", "en")


@dataclass(frozen=True)
class Person:
    """Who a Telegram account belongs to: a teacher, a client, both or nobody."""

    teacher: Teacher | None = None
    client: Client | None = None

    @property
    def is_known(self) -> bool:
        return self.teacher is not None or self.client is not None

    @property
    def language(self) -> str | None:
        """The stored language of the person (teacher record first)."""
        record = self.teacher or self.client
        return record.language if record is not None else None


def client_zone(client: Client | None, settings: CentreSettings) -> ZoneInfo:
    """The zone a client reads times in: their own if set, else the centre's.

    Teachers always read the centre's time: their poll hours and breaks are
    the centre's wall clock.
    """
    if client is not None and client.timezone:
        try:
            return ZoneInfo(client.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            logger.warning("client %s has an unknown timezone", client.id)
    return settings.tz


def language_from_telegram(code: str | None) -> str:
    """Our language for a Telegram language code: English if it says so, else ru."""
    return "en" if (code or "").lower().startswith("en") else "ru"


# Where a number written without a country code is read as national.
HOME_REGION = "RU"


def normalize_phone(raw: str) -> str:
    """A phone in E.164 (``+79001234567``), parsed by libphonenumber.

    Numbers without ``+`` are read as Russian first (``8 900 ...``,
    ``900 ...``), then as international digits, the way Telegram shares a
    contact (``447911123456``). A valid reading wins over a merely possible one.

    :raise RuleError: not a phone number in either reading.
    """
    text = (raw or "").strip()
    readings = [text] if text.startswith("+") else [text, "+" + text]
    parsed = []
    for reading in readings:
        try:
            parsed.append(phonenumbers.parse(reading, HOME_REGION))
        except phonenumbers.NumberParseException:
            continue
    for accept in (phonenumbers.is_valid_number, phonenumbers.is_possible_number):
        for number in parsed:
            if accept(number):
                return phonenumbers.format_number(
                    number, phonenumbers.PhoneNumberFormat.E164
                )
    raise RuleError("invalid_phone")


def find_by_telegram(session: Session, telegram_user_id: int) -> Person:
    """The teacher and/or client linked to a Telegram account."""
    teacher = session.scalar(
        select(Teacher).where(
            Teacher.telegram_user_id == telegram_user_id,
            Teacher.is_active.is_(True),
        )
    )
    client = session.scalar(
        select(Client).where(Client.telegram_user_id == telegram_user_id)
    )
    return Person(teacher=teacher, client=client)


def address_name(full_name: str) -> str:
    """The part of a stored name to greet a person by.

    Names are stored "Фамилия Имя Отчество"; a surname alone reads as a
    summons, so a person is addressed by first name and patronymic (or the
    first name, when only "Фамилия Имя" is known). A one-word name is all
    there is.
    """
    parts = full_name.split()
    return " ".join(parts[1:] if len(parts) > 1 else parts)


def profile_name(raw: str | None, fallback: str) -> str:
    """A Telegram profile name fit to store: control characters (a NUL that
    PostgreSQL refuses, line breaks) dropped, spaces collapsed, at most 200
    characters; `fallback` when nothing is left."""
    printable = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch for ch in raw or ""
    )
    return " ".join(printable.split())[:200] or fallback


def _same_phone(column, phone: str):
    """SQL condition: `column` holds `phone` in any of the usual spellings."""
    digits = phone.lstrip("+")
    stored = func.regexp_replace(column, r"\D", "", "g")
    variants = [digits]
    if digits.startswith("7") and len(digits) == 11:
        variants.append("8" + digits[1:])
    return or_(*(stored == v for v in variants))


def register_from_contact(
    session: Session,
    *,
    telegram_user_id: int,
    phone: str,
    full_name: str,
    language: str = "ru",
) -> Person:
    """Link or create the client behind a Telegram account from their own phone.

    Idempotent: an account already linked is returned as it is. A client
    entered by the centre with this phone and no Telegram account is linked;
    otherwise a new client is created with the Telegram profile name (the caller
    passes it surname first, "Фамилия Имя", as staff type names). A
    teacher's phone links nothing (teachers join by invite only).
    """
    known = find_by_telegram(session, telegram_user_id)
    if known.is_known:
        return known
    phone = normalize_phone(phone)
    language = language if language in LANGUAGES else "ru"
    client = session.scalar(
        select(Client)
        .where(Client.telegram_user_id.is_(None), _same_phone(Client.phone, phone))
        .order_by(Client.id)
        .limit(1)
        .with_for_update()
    )
    if client is not None:
        return _link(session, client, telegram_user_id)

    client = Client(
        full_name=profile_name(full_name, phone),
        phone=phone,
        telegram_user_id=telegram_user_id,
        language=language,
    )
    try:
        with session.begin_nested():
            session.add(client)
            session.flush()
    except IntegrityError:
        # The same account registered in a parallel request: use that one.
        return find_by_telegram(session, telegram_user_id)
    logger.info("client registered id=%s source=telegram", client.id)
    return Person(client=client)


def _link(session: Session, client: Client, telegram_user_id: int) -> Person:
    """Attach a Telegram account to a client the centre entered."""
    try:
        with session.begin_nested():
            client.telegram_user_id = telegram_user_id
            session.flush()
    except IntegrityError:
        session.refresh(client)
        return find_by_telegram(session, telegram_user_id)
    logger.info("client linked to telegram id=%s", client.id)
    return Person(client=client)
