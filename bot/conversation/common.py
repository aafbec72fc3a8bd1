"""Greeting, registration by contact, help and the menu."""

from __future__ import annotations

import logging

from bot.conversation.model import Answer, Context, Reply
from scheduling.booking import Actor
from scheduling.invites import redeem_invite
from scheduling.models import Client, Teacher
from scheduling.people import Person, address_name, register_from_contact

logger = logging.getLogger(__name__)


class NotAllowed(Exception):
    """The person may not use this step (unregistered, or the wrong role)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def require_client(ctx: Context) -> Client:
    """The client behind the event, or NotAllowed with the reason to show."""
    if ctx.client is not None:
        return ctx.client
    raise NotAllowed("clients_only" if ctx.teacher else "need_registration")


def client_actor(ctx: Context) -> Actor:
    """The client behind the event as the actor of a booking change."""
    return Actor("client", require_client(ctx).id, "bot")


def require_teacher(ctx: Context) -> Teacher:
    if ctx.teacher is not None:
        return ctx.teacher
    raise NotAllowed("teachers_only" if ctx.client else "need_registration")


def menu(ctx: Context) -> tuple[tuple[str, ...], ...]:
    """The persistent keyboard for the person's role(s)."""
    rows: list[tuple[str, ...]] = []
    if ctx.client is not None:
        rows.append((ctx.t("menu_book"), ctx.t("menu_my")))
    last = (ctx.t("menu_schedule"),) if ctx.teacher is not None else ()
    rows.append((*last, ctx.t("menu_help")))
    return tuple(rows)


def with_menu(ctx: Context, text: str) -> Reply:
    """A new message carrying the menu, or the contact button for a stranger."""
    if ctx.person.is_known:
        return Reply(text, menu=menu(ctx))
    return Reply(text, contact_request=ctx.t("share_contact"))


def _name(ctx: Context) -> str:
    """How to address the person, by the rule of `address_name`.

    A teacher by the name the centre entered (it has the patronymic, and a
    Telegram profile may hold the surname as the first name); a client by the
    Telegram first name they chose, else by their stored name.
    """
    if ctx.teacher is not None:
        return address_name(ctx.teacher.full_name)
    record = ctx.client
    return ctx.event.first_name or (address_name(record.full_name) if record else "")


def start(ctx: Context) -> Answer:
    """The /start command: a greeting, or an invite when it carries a token.

    ``/start <token>`` comes from a teacher's invite link and binds the account.
    Only this command reads a token: other steps greet through `greet`, so
    free text is never mistaken for an invite.
    """
    parts = (ctx.event.text or "").split()
    if len(parts) > 1:
        return accept_invite(ctx, parts[1])
    return greet(ctx)


def greet(ctx: Context) -> Answer:
    """Greet the person; a stranger is asked to share their phone."""
    logger.info(
        "bot start user=%s teacher=%s client=%s",
        ctx.event.user_id,
        ctx.teacher.id if ctx.teacher else None,
        ctx.client.id if ctx.client else None,
    )
    if ctx.teacher is not None:
        key = "greet_teacher"
    elif ctx.client is not None:
        key = "greet_client"
    else:
        key = "greet_new"
    return Answer([with_menu(ctx, ctx.t(key, name=_name(ctx)))])


def accept_invite(ctx: Context, token: str) -> Answer:
    """Bind this Telegram account to the teacher the invite was made for."""
    teacher = redeem_invite(ctx.session, token, ctx.event.user_id, ctx.now)
    ctx.person = Person(teacher=teacher, client=ctx.client)
    logger.info("bot invite accepted user=%s teacher=%s", ctx.event.user_id, teacher.id)
    text = ctx.t("invite_accepted", name=address_name(teacher.full_name))
    return Answer([with_menu(ctx, text + "\n\n" + ctx.t("help_teacher"))])


def help_(ctx: Context) -> Answer:
    """Explain what the person can do here."""
    logger.info("bot help user=%s", ctx.event.user_id)
    if not ctx.person.is_known:
        return Answer([with_menu(ctx, ctx.t("need_registration"))])
    parts = []
    if ctx.client is not None:
        parts.append(ctx.t("help_client"))
    if ctx.teacher is not None:
        parts.append(ctx.t("help_teacher"))
    return Answer([with_menu(ctx, "\n\n".join(parts))])


def contact(ctx: Context) -> Answer:
    """Register (or link) a client from their own shared phone number."""
    event = ctx.event
    if event.contact_user_id != event.user_id:
        logger.info("bot contact refused user=%s reason=not_own", event.user_id)
        return Answer([with_menu(ctx, ctx.t("contact_not_own"))])
    if ctx.person.is_known:
        return greet(ctx)
    person = register_from_contact(
        ctx.session,
        telegram_user_id=event.user_id,
        phone=event.contact_phone or "",
        full_name=event.full_name,
        language=ctx.lang,
    )
    ctx.person = person
    logger.info(
        "bot registered user=%s client=%s",
        event.user_id,
        person.client.id if person.client else None,
    )
    text = ctx.t("registered_client") + "\n\n" + ctx.t("help_client")
    return Answer([with_menu(ctx, text)])


def unknown(ctx: Context) -> Answer:
    """Anything the bot does not understand: a short hint and the menu.

    A stranger is reminded that the phone comes through the contact button
    (typed text is not a phone), and how to start over.
    """
    logger.info("bot unknown input user=%s", ctx.event.user_id)
    if not ctx.person.is_known:
        text = ctx.t("share_contact_reminder", button=ctx.t("share_contact"))
        return Answer([with_menu(ctx, text)])
    return Answer([with_menu(ctx, ctx.t("unknown_text"))])


def back_to_menu(ctx: Context, key: str) -> Answer:
    """A refusal as a short notice, plus the menu to start again from."""
    return Answer([with_menu(ctx, ctx.t(key))], notice=ctx.t(key))
