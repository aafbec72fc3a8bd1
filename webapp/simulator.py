"""The bot simulator page: try the Telegram conversation from the web panel.

Admins and coordinators pick a teacher or client (or a new person) and see
that person's chat: the bot's messages with their buttons, the menu, the
contact button and a text box. Presses and texts go through the same
conversation the Telegram bot runs (`bot.simulator.Simulator`); outbox
deliveries appear once `python -m bot` runs with the simulator transport.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import abort, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access, permission_name
from flask_babel.speaklater import LazyString
from redis.exceptions import RedisError
from sqlalchemy import select

from bot.simulator import Simulator
from scheduling.models import Client, Teacher
from webapp.extensions import db
from webapp.i18n import current_lang
from webapp.localtime import centre_tz

logger = logging.getLogger(__name__)

MAX_TEXT = 4096
PICKER_LIMIT = 500
# The browser session's key for the notice of the last button press.
NOTICE = "simulator_notice"

PAGE = {
    "ru": {
        "menu": "Симулятор",
        "title": "Симулятор Telegram-бота",
        "intro": (
            "Действуйте от имени преподавателя или клиента: это тот же диалог, "
            "что и в Telegram. Сообщения, которые бот присылает сам (напоминания, "
            "уведомления о записях, опросы), тоже приходят сюда — обычно в "
            "течение минуты; нажмите «Обновить», чтобы их увидеть."
        ),
        "pick": "Чат",
        "teachers": "Преподаватели",
        "clients": "Клиенты",
        "open": "Открыть",
        "new_person": "Новый человек (регистрация через /start)",
        "first_name": "Имя",
        "last_name": "Фамилия",
        "language": "Язык Telegram",
        "create": "Начать чат",
        "chat_with": "Чат с",
        "empty": "Сообщений пока нет. Отправьте /start.",
        "you": "Вы",
        "bot": "Бот",
        "edited": "изменено",
        "type": "Сообщение…",
        "send": "Отправить",
        "menu_keyboard": "Клавиатура бота",
        "phone": "Телефон",
        "share_contact": "Поделиться контактом",
        "refresh": "Обновить",
        "clear_chat": "Очистить чат",
        "no_chat": "Нет такого чата: выберите человека из списка.",
        "redis_down": "Симулятор недоступен: Redis не отвечает. Попробуйте позже.",
        "too_long": "Сообщение слишком длинное.",
        "bad_request": "Неверный запрос.",
        "no_telegram": (
            "Людей без Telegram ID здесь нет. Клиенту задайте его в карточке; "
            "преподаватель привязывается ссылкой-приглашением: начните чат "
            "«Новый человек» и отправьте /start с кодом из ссылки."
        ),
    },
    "en": {
        "menu": "Simulator",
        "title": "Telegram bot simulator",
        "intro": (
            "Act as a teacher or a client: this is the same conversation as in "
            "Telegram. Messages the bot sends on its own (reminders, booking "
            "notifications, polls) arrive here too, usually within a minute; "
            "press “Refresh” to see them."
        ),
        "pick": "Chat",
        "teachers": "Teachers",
        "clients": "Clients",
        "open": "Open",
        "new_person": "New person (registration through /start)",
        "first_name": "First name",
        "last_name": "Last name",
        "language": "Telegram language",
        "create": "Start chat",
        "chat_with": "Chat with",
        "empty": "No messages yet. Send /start.",
        "you": "You",
        "bot": "Bot",
        "edited": "edited",
        "type": "Message…",
        "send": "Send",
        "menu_keyboard": "Bot keyboard",
        "phone": "Phone",
        "share_contact": "Share contact",
        "refresh": "Refresh",
        "clear_chat": "Clear chat",
        "no_chat": "No such chat: pick a person from the list.",
        "redis_down": "The simulator is unavailable: Redis does not answer.",
        "too_long": "The message is too long.",
        "bad_request": "Bad request.",
        "no_telegram": (
            "People without a Telegram ID are not listed. Set a client's in "
            "their record; a teacher is linked by an invite link: start a "
            "new person's chat and send /start with the code from the link."
        ),
    },
}


def page_text(key: str) -> str:
    return PAGE[current_lang()][key]


def message_time(at: str) -> str:
    """A chat message's time on the centre's clock: "19:36", or "03.12 19:36".

    The chat keeps UTC ISO strings (shared with the bot process); people read
    the centre's time, as everywhere in the panel, the date only if not today.
    """
    if not at:
        return ""
    tz = centre_tz()
    local = dt.datetime.fromisoformat(at).astimezone(tz)
    if local.date() == dt.datetime.now(tz).date():
        return f"{local:%H:%M}"
    return f"{local:%d.%m %H:%M}"


class SimulatorView(BaseView):
    """Act as a teacher, a client or a newcomer in the bot's conversation."""

    route_base = "/simulator"
    default_view = "index"
    granted_to = {"Coordinator": None}
    template = "simulator/chat.html"

    def _simulator(self) -> Simulator:
        return Simulator.from_config()

    def _people(self) -> tuple[list[Teacher], list[Client]]:
        teachers = db.session.scalars(
            select(Teacher)
            .where(Teacher.telegram_user_id.is_not(None), Teacher.is_active.is_(True))
            .order_by(Teacher.full_name)
            .limit(PICKER_LIMIT)
        ).all()
        clients = db.session.scalars(
            select(Client)
            .where(Client.telegram_user_id.is_not(None))
            .order_by(Client.full_name)
            .limit(PICKER_LIMIT)
        ).all()
        return list(teachers), list(clients)

    def _known_chat(self, simulator: Simulator, chat_id: int | None) -> bool:
        """A chat may be used if it is a person's Telegram id or a synthetic one."""
        if chat_id is None:
            return False
        if simulator.redis.hexists("slotbook:sim:profiles", str(chat_id)):
            return True
        found = db.session.scalar(
            select(Teacher.id).where(Teacher.telegram_user_id == chat_id)
        ) or db.session.scalar(
            select(Client.id).where(Client.telegram_user_id == chat_id)
        )
        return found is not None

    @expose("/")
    @has_access
    @permission_name("use")
    def index(self) -> ResponseReturnValue:
        """The picker and, for a chosen chat, its transcript."""
        chat_id = request.args.get("chat", type=int)
        teachers, clients = self._people()
        transcript, profile, keyboard, contact = [], None, [], None
        try:
            simulator = self._simulator()
            if chat_id is not None:
                if not self._known_chat(simulator, chat_id):
                    flash(page_text("no_chat"), "warning")
                    return redirect(url_for("SimulatorView.index"))
                transcript = simulator.transcript(chat_id)
                profile = simulator.profile(chat_id)
                keyboard, contact = _latest_keyboard(transcript)
        except RedisError:
            logger.warning("simulator page: redis unavailable")
            flash(page_text("redis_down"), "danger")
            chat_id = None
        return self.render_template(
            self.template,
            txt=PAGE[current_lang()],
            teachers=teachers,
            clients=clients,
            chat_id=chat_id,
            profile=profile,
            transcript=transcript,
            keyboard=keyboard,
            contact_request=contact,
            notice=_pop_notice(chat_id),
            message_time=message_time,
        )

    @expose("/act", methods=["POST"])
    @has_access
    @permission_name("use")
    def act(self) -> ResponseReturnValue:
        """One action in a chat (form post, CSRF-checked): text, press, contact."""
        action = request.form.get("action", "")
        try:
            simulator = self._simulator()
            if action == "new":
                return self._new_person(simulator)
            chat_id = request.form.get("chat", type=int)
            if not self._known_chat(simulator, chat_id):
                flash(page_text("no_chat"), "warning")
                return redirect(url_for("SimulatorView.index"))
            self._perform(simulator, chat_id, action)
        except RedisError:
            logger.warning("simulator action: redis unavailable")
            flash(page_text("redis_down"), "danger")
            return redirect(url_for("SimulatorView.index"))
        return redirect(url_for("SimulatorView.index", chat=chat_id) + "#bottom")

    def _new_person(self, simulator: Simulator) -> ResponseReturnValue:
        first = request.form.get("first_name", "").strip()[:100]
        last = request.form.get("last_name", "").strip()[:100] or None
        language = request.form.get("language", "ru")
        if language not in ("ru", "en"):
            abort(400, page_text("bad_request"))
        chat_id = simulator.new_person(first, last, language)
        logger.info("simulator new person chat=%s", chat_id)
        return redirect(url_for("SimulatorView.index", chat=chat_id))

    def _perform(self, simulator: Simulator, chat_id: int, action: str) -> None:
        form = request.form
        if action == "text":
            text = form.get("text", "").strip()
            if len(text) > MAX_TEXT:
                flash(page_text("too_long"), "warning")
                return
            if text:
                simulator.send_text(chat_id, text)
        elif action == "press":
            message_id = form.get("message_id", type=int)
            data = form.get("data", "")
            if message_id is None:
                abort(400, page_text("bad_request"))
            answer = simulator.press(chat_id, message_id, data)
            if answer.notice:
                session[NOTICE] = {"chat": chat_id, "text": answer.notice}
        elif action == "contact":
            simulator.share_contact(chat_id, form.get("phone", "").strip()[:32])
        elif action == "clear":
            simulator.clear(chat_id)
        else:
            abort(400, page_text("bad_request"))


def _pop_notice(chat_id: int | None) -> str | None:
    """The notice of the last press in this chat, shown once.

    Telegram shows it briefly over the chat; a flash would sit at the top of
    the page while the page opens at the chat's end, out of sight.
    """
    notice = session.pop(NOTICE, None)
    if notice and notice.get("chat") == chat_id:
        return notice.get("text")
    return None


def _latest_keyboard(transcript: list) -> tuple[list[list[str]], str | None]:
    """The reply keyboard the person sees now: the newest one the bot sent."""
    for message in reversed(transcript):
        if message.sender != "bot":
            continue
        if message.contact_request:
            return [], message.contact_request
        if message.menu:
            return message.menu, None
    return [], None


def register_simulator(appbuilder: AppBuilder) -> None:
    """Add the simulator page to the panel (Admin and Coordinator)."""
    appbuilder.add_view(
        SimulatorView,
        "Bot simulator",
        label=LazyString(page_text, "menu"),
        icon="fa-robot",
    )
