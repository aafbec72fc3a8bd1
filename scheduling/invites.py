"""Invite links: the only way a Telegram account becomes a teacher's.

A coordinator creates an invite for a teacher record in the panel; the
teacher opens ``https://t.me/<bot>?start=<token>``, Telegram sends the bot
``/start <token>``, and `redeem_invite` binds the account. A token works
once, until it expires; a new invite replaces the teacher's unused ones.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from scheduling.errors import NotFoundError, RuleError
from scheduling.models import Teacher, TeacherInvite, utcnow

logger = logging.getLogger(__name__)

INVITE_TTL = dt.timedelta(days=7)
# Telegram's deep-link parameter: up to 64 characters of A-Z, a-z, 0-9, _ and -.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")

INVITE_MESSAGES: dict[str, tuple[str, str]] = {
    "invite_unknown": (
        "Эта ссылка-приглашение недействительна. Попросите у администратора центра "
        "новую ссылку.",
        "This invite link is not valid. Please ask the centre's administrator for "
        "a new one.",
    ),
    "invite_used": (
        "Эта ссылка-приглашение уже использована. Если это были не вы, сообщите "
        "администратору центра и попросите новую ссылку.",
        "This invite link has already been used. If it was not you, tell the "
        "centre's administrator and ask for a new link.",
    ),
    "invite_expired": (
        "Срок действия ссылки-приглашения истёк. Попросите у администратора центра "
        "новую ссылку.",
        "This invite link has expired. Please ask the centre's administrator for "
        "a new one.",
    ),
    "invite_teacher_inactive": (
        "Этот преподаватель больше не работает в центре: ссылка не действует.",
        "This teacher no longer works at the centre: the link is not valid.",
    ),
    "invite_other_teacher": (
        "Этот аккаунт Telegram уже привязан к другому преподавателю центра.",
        "This Telegram account is already linked to another teacher of the centre.",
    ),
}


class InviteError(RuleError):
    """An invite that cannot be redeemed: unknown, used, expired, or misdirected."""

    def message(self, lang: str = "ru") -> str:
        ru, en = INVITE_MESSAGES[self.code]
        return en if (lang or "").startswith("en") else ru


def create_invite(
    session: Session,
    teacher_id: int,
    *,
    created_by: int | None = None,
    now: dt.datetime | None = None,
    ttl: dt.timedelta = INVITE_TTL,
) -> TeacherInvite:
    """A fresh one-time invite for the teacher; earlier unused ones stop working."""
    now = now or utcnow()
    teacher = session.get(Teacher, teacher_id)
    if teacher is None:
        raise NotFoundError("teacher_not_found")
    session.execute(
        update(TeacherInvite)
        .where(
            TeacherInvite.teacher_id == teacher_id,
            TeacherInvite.used_at.is_(None),
            TeacherInvite.expires_at > now,
        )
        .values(expires_at=now)
    )
    invite = TeacherInvite(
        teacher_id=teacher_id,
        token=secrets.token_urlsafe(24),
        expires_at=now + ttl,
        created_by=created_by,
    )
    session.add(invite)
    session.flush()
    logger.info(
        "invite created id=%s teacher=%s by=%s", invite.id, teacher_id, created_by
    )
    return invite


def active_invite(
    session: Session, teacher_id: int, now: dt.datetime | None = None
) -> TeacherInvite | None:
    """The teacher's unused, unexpired invite, if any (to show its link again)."""
    return session.scalar(
        select(TeacherInvite)
        .where(
            TeacherInvite.teacher_id == teacher_id,
            TeacherInvite.used_at.is_(None),
            TeacherInvite.expires_at > (now or utcnow()),
        )
        .order_by(TeacherInvite.id.desc())
        .limit(1)
    )


def invite_link(bot_username: str | None, token: str) -> str | None:
    """The deep link that opens the bot with the token, if the bot's name is known."""
    if not bot_username:
        return None
    return f"https://t.me/{bot_username.lstrip('@')}?start={token}"


def redeem_invite(
    session: Session,
    token: str,
    telegram_user_id: int,
    now: dt.datetime | None = None,
) -> Teacher:
    """Bind the Telegram account to the invite's teacher; the token is then spent.

    The same account opening its own link again is simply recognised.

    :raise InviteError: unknown, used by someone else, expired, inactive
        teacher, or the account already belongs to another teacher.
    """
    now = now or utcnow()
    if not TOKEN_PATTERN.fullmatch(token or ""):
        raise InviteError("invite_unknown")
    invite = session.scalar(
        select(TeacherInvite).where(TeacherInvite.token == token).with_for_update()
    )
    if invite is None:
        logger.info("invite refused reason=unknown user=%s", telegram_user_id)
        raise InviteError("invite_unknown")
    if invite.used_at is not None:
        if invite.used_by_telegram_id == telegram_user_id:
            return invite.teacher
        logger.info("invite refused id=%s reason=used", invite.id)
        raise InviteError("invite_used")
    if invite.expires_at <= now:
        logger.info("invite refused id=%s reason=expired", invite.id)
        raise InviteError("invite_expired")
    teacher = session.get(Teacher, invite.teacher_id, with_for_update=True)
    if teacher is None or not teacher.is_active:
        raise InviteError("invite_teacher_inactive")
    other = session.scalar(
        select(Teacher).where(
            Teacher.telegram_user_id == telegram_user_id, Teacher.id != teacher.id
        )
    )
    if other is not None:
        logger.info("invite refused id=%s reason=other_teacher", invite.id)
        raise InviteError("invite_other_teacher")
    if teacher.telegram_user_id not in (None, telegram_user_id):
        # The centre sent a new link on purpose (a new phone, a lost account).
        logger.info("teacher relinked id=%s invite=%s", teacher.id, invite.id)
    teacher.telegram_user_id = telegram_user_id
    invite.used_at = now
    invite.used_by_telegram_id = telegram_user_id
    session.flush()
    logger.info("invite redeemed id=%s teacher=%s", invite.id, teacher.id)
    return teacher
