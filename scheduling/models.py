"""Slotbook's tables as typed SQLAlchemy 2 models.

The invariants that must hold under concurrency are declared here as database
constraints, not checked in Python:

* a teacher never has two overlapping open slots (exclusion constraint);
* a slot never holds more active bookings than its capacity (a trigger keeps
  ``slots.booked_count`` and a CHECK bounds it, see the first migration);
* a client never holds two overlapping active bookings (exclusion constraint);
* a poll exists once per (teacher, date); an outbox message once per key.

All instants are UTC ``timestamptz``; local dates (a poll's day) are plain
``date`` in the centre's timezone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, ExcludeConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Booking states. "booked" is a lesson to come; attended / no_show are its
# outcome; cancelled frees the place. Everything but cancelled is "active".
BOOKED, ATTENDED, NO_SHOW, CANCELLED = "booked", "attended", "no_show", "cancelled"
BOOKING_STATES = (BOOKED, ATTENDED, NO_SHOW, CANCELLED)
ACTIVE_BOOKING_STATES = (BOOKED, ATTENDED, NO_SHOW)
# A client's retry key for one booking request (the API's Idempotency-Key).
IDEMPOTENCY_KEY_LENGTH = 100

SLOT_OPEN, SLOT_CLOSED = "open", "closed"

POLL_PENDING, POLL_ANSWERED, POLL_EXPIRED = "pending", "answered", "expired"

OUTBOX_PENDING, OUTBOX_SENDING, OUTBOX_SENT, OUTBOX_FAILED, OUTBOX_CANCELLED = (
    "pending",
    "sending",
    "sent",
    "failed",
    "cancelled",
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        dt.datetime: DateTime(timezone=True),
        dict[str, Any]: JSONB,
    }


class Subject(Base):
    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    teachers: Mapped[list[TeacherSubject]] = relationship(
        back_populates="subject", cascade="all, delete-orphan", passive_deletes=True
    )

    def __str__(self) -> str:
        return self.name


class Teacher(Base):
    __tablename__ = "teachers"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(200))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    language: Mapped[str] = mapped_column(String(8), server_default="ru")
    timezone: Mapped[str | None] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    # The web login of this teacher, if any (Flask-AppBuilder's ab_user).
    user_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    # Set when Telegram says the teacher blocked the bot; broadcasts skip them.
    blocked_at: Mapped[dt.datetime | None]

    subjects: Mapped[list[TeacherSubject]] = relationship(
        back_populates="teacher", cascade="all, delete-orphan", passive_deletes=True
    )

    def __str__(self) -> str:
        return self.full_name


class TeacherSubject(Base):
    """A subject a teacher teaches; each pair exists at most once."""

    __tablename__ = "teacher_subjects"
    __table_args__ = (UniqueConstraint("teacher_id", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(
        ForeignKey("teachers.id", ondelete="CASCADE")
    )
    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subjects.id", ondelete="RESTRICT"), index=True
    )

    teacher: Mapped[Teacher] = relationship(back_populates="subjects")
    subject: Mapped[Subject] = relationship(back_populates="teachers")

    def __str__(self) -> str:
        return f"{self.teacher} — {self.subject}"


class Client(Base):
    """A student or a parent who books lessons."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    language: Mapped[str] = mapped_column(String(8), server_default="ru")
    timezone: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    # Set when Telegram says the client blocked the bot; broadcasts skip them.
    blocked_at: Mapped[dt.datetime | None]

    def __str__(self) -> str:
        return self.full_name


class Setting(Base):
    """One centre setting; values are typed and validated by `scheduling.settings`."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONB)
    updated_at: Mapped[dt.datetime] = mapped_column(
        server_default=func.now(), onupdate=func.now()
    )


class Availability(Base):
    """An interval in which a teacher is free; merged, never overlapping."""

    __tablename__ = "availability"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="positive_length"),
        ExcludeConstraint(
            ("teacher_id", "="),
            (text("tstzrange(starts_at, ends_at, '[)')"), "&&"),
            name="availability_no_overlap",
            using="gist",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(
        ForeignKey("teachers.id", ondelete="CASCADE")
    )
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    teacher: Mapped[Teacher] = relationship()


class Slot(Base):
    """A bookable lesson time of one teacher, optionally limited to one subject."""

    __tablename__ = "slots"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="positive_length"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint(
            "booked_count >= 0 AND booked_count <= capacity", name="capacity"
        ),
        CheckConstraint(f"status IN ('{SLOT_OPEN}', '{SLOT_CLOSED}')", name="status"),
        ExcludeConstraint(
            ("teacher_id", "="),
            (text("tstzrange(starts_at, ends_at, '[)')"), "&&"),
            name="slots_no_overlap",
            using="gist",
            where=text(f"status = '{SLOT_OPEN}'"),
        ),
        Index("ix_slots_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(
        ForeignKey("teachers.id", ondelete="CASCADE")
    )
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("subjects.id", ondelete="RESTRICT")
    )
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    capacity: Mapped[int] = mapped_column(server_default=text("1"))
    # Kept by a database trigger on bookings; never written by the application.
    booked_count: Mapped[int] = mapped_column(server_default=text("0"))
    status: Mapped[str] = mapped_column(String(16), server_default=SLOT_OPEN)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    teacher: Mapped[Teacher] = relationship()
    subject: Mapped[Subject | None] = relationship()
    bookings: Mapped[list[Booking]] = relationship(back_populates="slot")

    @property
    def is_full(self) -> bool:
        return self.booked_count >= self.capacity

    def __str__(self) -> str:
        return f"{self.teacher} {self.starts_at:%Y-%m-%d %H:%M} UTC"


class Booking(Base):
    """A client's place in a slot.

    The slot's times are copied here so the database can refuse overlapping
    active bookings of one client with an exclusion constraint.
    """

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in BOOKING_STATES) + ")",
            name="status",
        ),
        CheckConstraint("ends_at > starts_at", name="positive_length"),
        ExcludeConstraint(
            ("client_id", "="),
            (text("tstzrange(starts_at, ends_at, '[)')"), "&&"),
            name="bookings_client_no_overlap",
            using="gist",
            where=text(f"status <> '{CANCELLED}'"),
        ),
        UniqueConstraint(
            "client_id",
            "idempotency_key",
            name="uq_bookings_client_id_idempotency_key",
        ),
        Index("ix_bookings_slot_id", "slot_id"),
        Index("ix_bookings_client_id", "client_id"),
        Index("ix_bookings_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id", ondelete="RESTRICT"))
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="RESTRICT")
    )
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("subjects.id", ondelete="RESTRICT")
    )
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    status: Mapped[str] = mapped_column(String(16), server_default=BOOKED)
    source: Mapped[str] = mapped_column(String(16), server_default="web")
    # Unique per client (see __table_args__): a retry repeats its own request.
    idempotency_key: Mapped[str | None] = mapped_column(String(IDEMPOTENCY_KEY_LENGTH))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    cancelled_at: Mapped[dt.datetime | None]

    slot: Mapped[Slot] = relationship(back_populates="bookings")
    client: Mapped[Client] = relationship()
    subject: Mapped[Subject | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_BOOKING_STATES

    def __str__(self) -> str:
        return f"#{self.id} {self.client} {self.starts_at:%Y-%m-%d %H:%M} UTC"


class BookingEvent(Base):
    """History of a booking: who did what, when and from where."""

    __tablename__ = "booking_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(16))
    details: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'"))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    booking: Mapped[Booking] = relationship()


class Poll(Base):
    """The question "which hours are you free on <date>?" to one teacher."""

    __tablename__ = "polls"
    __table_args__ = (
        UniqueConstraint("teacher_id", "date"),
        CheckConstraint(
            f"status IN ('{POLL_PENDING}', '{POLL_ANSWERED}', '{POLL_EXPIRED}')",
            name="status",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(
        ForeignKey("teachers.id", ondelete="CASCADE")
    )
    date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), server_default=POLL_PENDING)
    # Hours (0-23, local to the centre) the teacher has ticked so far.
    selected_hours: Mapped[list[int]] = mapped_column(
        JSONB, server_default=text("'[]'")
    )
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    answered_at: Mapped[dt.datetime | None]

    teacher: Mapped[Teacher] = relationship()


class OutboxMessage(Base):
    """A Telegram message waiting to be sent by the bot process.

    ``kind`` and ``payload`` describe what to say; the bot renders the text in
    the recipient's language when it sends. ``key`` is unique, so a job that
    runs twice queues nothing twice.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')",
            name="status",
        ),
        Index(
            "ix_outbox_due",
            "not_before",
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'"))
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    not_before: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    status: Mapped[str] = mapped_column(String(16), server_default=OUTBOX_PENDING)
    attempts: Mapped[int] = mapped_column(server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    sent_at: Mapped[dt.datetime | None]
    # The broadcast this message belongs to, for its progress page.
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE"), index=True
    )


BROADCAST_NEW, BROADCAST_QUEUED = "new", "queued"


class Broadcast(Base):
    """A message from the centre to an audience, fanned out into the outbox.

    ``audience`` is the spec it was written for (see `scheduling.recipients`);
    ``recipients_count`` is set once its outbox rows exist.
    """

    __tablename__ = "broadcasts"
    __table_args__ = (
        CheckConstraint(
            f"status IN ('{BROADCAST_NEW}', '{BROADCAST_QUEUED}')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    audience: Mapped[dict[str, Any]]
    created_by: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), server_default=BROADCAST_NEW)
    recipients_count: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    queued_at: Mapped[dt.datetime | None]


class TeacherInvite(Base):
    """A one-time link that binds a Telegram account to a teacher record.

    Only the token's hash would be safer to store; the plain token is kept so
    the panel can show the link again until it is used (it expires anyway).
    """

    __tablename__ = "teacher_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(
        ForeignKey("teachers.id", ondelete="CASCADE"), index=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime]
    # The panel user who made it (Flask-AppBuilder's ab_user id), if any.
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    used_at: Mapped[dt.datetime | None]
    used_by_telegram_id: Mapped[int | None] = mapped_column(BigInteger)

    teacher: Mapped[Teacher] = relationship()
