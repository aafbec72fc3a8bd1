"""Teachers' invite links: made in the panel, opened by the teacher in Telegram.

The teacher page's "Invite link" button creates a one-time invite and opens
this page, which shows the link to send to the teacher (until it is used or
expires) and can replace it with a new one. The rules are in
`scheduling.invites`; this is HTTP only.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import abort, flash, g, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import BaseView, expose, has_access, permission_name
from flask_babel.speaklater import LazyString

from config import get_config
from scheduling.invites import active_invite, create_invite, invite_link
from scheduling.models import Teacher
from webapp.extensions import db
from webapp.i18n import current_lang
from webapp.localtime import format_local

logger = logging.getLogger(__name__)

PAGE = {
    "ru": {
        "action": "Ссылка-приглашение в бот",
        "title": "Приглашение преподавателя в Telegram-бот",
        "teacher": "Преподаватель",
        "linked": "Уже привязан аккаунт Telegram с ID {id}. Новая ссылка "
        "привяжет вместо него аккаунт того, кто её откроет.",
        "not_linked": "Аккаунт Telegram ещё не привязан.",
        "send_link": "Отправьте преподавателю эту ссылку. Она одноразовая и "
        "действует до {until}.",
        "no_username": "Имя бота не задано (TELEGRAM_BOT_USERNAME), поэтому "
        "ссылки нет: пусть преподаватель отправит боту эту команду. Она "
        "одноразовая и действует до {until}.",
        "none": "Действующей ссылки нет.",
        "new": "Создать новую ссылку",
        "new_note": "Новая ссылка отменяет прежнюю неиспользованную.",
        "created": "Ссылка-приглашение создана.",
        "inactive": "Преподаватель не активен: приглашение невозможно.",
        "back": "К карточке преподавателя",
    },
    "en": {
        "action": "Bot invite link",
        "title": "Invite a teacher to the Telegram bot",
        "teacher": "Teacher",
        "linked": "A Telegram account (ID {id}) is already linked. A new link "
        "will link whoever opens it instead.",
        "not_linked": "No Telegram account is linked yet.",
        "send_link": "Send the teacher this link. It works once, until {until}.",
        "no_username": "The bot's name is not set (TELEGRAM_BOT_USERNAME), so "
        "there is no link: the teacher sends the bot this command instead. It "
        "works once, until {until}.",
        "none": "There is no valid link.",
        "new": "Create a new link",
        "new_note": "A new link cancels the previous unused one.",
        "created": "The invite link has been created.",
        "inactive": "The teacher is not active: no invite can be made.",
        "back": "Back to the teacher",
    },
}


def page_text(key: str, **params: Any) -> str:
    text = PAGE[current_lang()][key]
    return text.format(**params) if params else text


# The label of the teacher page's button, in the language of each request.
ACTION_LABEL = LazyString(lambda: page_text("action"))


def _teacher_or_404(teacher_id: int) -> Teacher:
    teacher = db.session.get(Teacher, teacher_id)
    if teacher is None:
        abort(404)
    return teacher


def _user_id() -> int | None:
    return getattr(g.get("user"), "id", None)


def invite_from_teacher_page(items: Teacher | list[Teacher]) -> ResponseReturnValue:
    """The teacher page's action: make an invite (unless one is valid), show it."""
    teacher = items[0] if isinstance(items, list) and items else items
    if not isinstance(teacher, Teacher):
        abort(404)
    if teacher.is_active and active_invite(db.session, teacher.id) is None:
        create_invite(db.session, teacher.id, created_by=_user_id())
        db.session.commit()
    return redirect(url_for("TeacherInviteView.show", teacher_id=teacher.id))


class TeacherInviteView(BaseView):
    """The invite link of one teacher (coordinators and admins)."""

    route_base = "/invites"
    granted_to = {"Coordinator": None}
    template = "slotbook/invite.html"

    @expose("/teacher/<int:teacher_id>")
    @has_access
    @permission_name("invite")
    def show(self, teacher_id: int) -> ResponseReturnValue:
        """The teacher's valid link, if any, and the button for a new one."""
        teacher = _teacher_or_404(teacher_id)
        invite = active_invite(db.session, teacher.id)
        username = get_config().telegram_bot_username
        return self.render_template(
            self.template,
            txt=PAGE[current_lang()],
            title=page_text("title"),
            teacher=teacher,
            invite=invite,
            link=invite_link(username, invite.token) if invite else None,
            until=format_local(invite.expires_at) if invite else "",
        )

    @expose("/teacher/<int:teacher_id>", methods=["POST"])
    @has_access
    @permission_name("invite")
    def create(self, teacher_id: int) -> ResponseReturnValue:
        """A new one-time link (CSRF-checked post); earlier unused ones stop."""
        teacher = _teacher_or_404(teacher_id)
        if not teacher.is_active:
            flash(page_text("inactive"), "warning")
        else:
            create_invite(db.session, teacher.id, created_by=_user_id())
            db.session.commit()
            flash(page_text("created"), "success")
        return redirect(url_for("TeacherInviteView.show", teacher_id=teacher.id))
