"""Errors the domain raises, each with a message in Russian and English.

Callers (web, API, bot) catch `SchedulingError`, show `error.message(lang)`
to the person and answer with `error.http_status`.
"""

from __future__ import annotations

from typing import Any

# code -> (Russian, English). Placeholders are filled from the error's params.
MESSAGES: dict[str, tuple[str, str]] = {
    "slot_not_found": (
        "Такого слота нет. Выберите время из списка.",
        "This slot does not exist. Please pick a time from the list.",
    ),
    "slot_taken": (
        "Это время уже занято. Выберите другое.",
        "This time has just been taken. Please choose another one.",
    ),
    "slot_closed": (
        "Это время больше недоступно для записи.",
        "This time is no longer open for booking.",
    ),
    "slot_in_past": (
        "Это время уже прошло или до него слишком мало времени "
        "(нужно не меньше {notice} мин.).",
        "This time has passed or is too soon (at least {notice} min notice).",
    ),
    "beyond_horizon": (
        "Записаться можно не более чем на {days} дн. вперёд.",
        "Bookings are open at most {days} days ahead.",
    ),
    "client_busy": (
        "У вас уже есть занятие в это время.",
        "You already have a lesson at this time.",
    ),
    "subject_not_taught": (
        "Этот преподаватель не ведёт выбранный предмет.",
        "This teacher does not teach the chosen subject.",
    ),
    "booking_not_found": (
        "Запись не найдена.",
        "Booking not found.",
    ),
    "booking_not_active": (
        "Эта запись уже отменена.",
        "This booking is already cancelled.",
    ),
    "cancel_too_late": (
        "Отменить запись можно не позднее чем за {cutoff} до начала. "
        "Свяжитесь с администратором центра.",
        "Bookings can be cancelled up to {cutoff} before the start. "
        "Please contact the centre's administrator.",
    ),
    "move_too_late": (
        "Перенести запись можно не позднее чем за {cutoff} до начала. "
        "Свяжитесь с администратором центра.",
        "Bookings can be moved up to {cutoff} before the start. "
        "Please contact the centre's administrator.",
    ),
    # The same refusals told to staff, who may override the cutoff.
    "cancel_too_late_staff": (
        "Срок отмены ({cutoff} до начала) прошёл. Чтобы отменить всё равно, "
        "выберите «Отменить, несмотря на срок».",
        "The cancellation cutoff ({cutoff} before the start) has passed. "
        "To cancel anyway, choose “Cancel despite the cutoff”.",
    ),
    "move_too_late_staff": (
        "Срок отмены ({cutoff} до начала) прошёл. Чтобы перенести всё равно, "
        "отметьте «Перенести, даже если срок отмены прошёл».",
        "The cancellation cutoff ({cutoff} before the start) has passed. "
        "To move anyway, tick “Move even if the cancellation cutoff passed”.",
    ),
    "client_not_found": ("Клиент не найден.", "Client not found."),
    "teacher_not_found": ("Преподаватель не найден.", "Teacher not found."),
    "subject_not_found": ("Предмет не найден.", "Subject not found."),
    "forbidden": (
        "У вас нет доступа к этой записи.",
        "You have no access to this record.",
    ),
    "invalid_interval": (
        "Неверный интервал: конец должен быть позже начала.",
        "Invalid interval: the end must be after the start.",
    ),
    "invalid_capacity": (
        "Число мест в слоте — от 1 до {limit}.",
        "A slot has from 1 to {limit} places.",
    ),
    "idempotency_key_reused": (
        "Этот ключ повтора (Idempotency-Key) уже использован для другой записи.",
        "This Idempotency-Key was already used for another booking.",
    ),
    "invalid_idempotency_key": (
        "Ключ повтора (Idempotency-Key) — до {limit} печатных символов.",
        "An Idempotency-Key has at most {limit} printable characters.",
    ),
    "slot_too_long": (
        "Слот длиннее {hours} часов — проверьте дату и время начала и конца.",
        "The slot is longer than {hours} hours: check its start and end dates.",
    ),
    "slot_too_short": (
        "Слот короче {minutes} минут — проверьте время начала и конца.",
        "The slot is shorter than {minutes} minutes: check its start and end.",
    ),
    "slot_out_of_years": (
        "Слот должен быть между {first} и {last} годом.",
        "A slot must lie between the years {first} and {last}.",
    ),
    "attendance_set_by_staff": (
        "Посещение уже отметил администратор центра ({status}). Изменить "
        "отметку могут администратор или координатор.",
        "The centre's staff have already marked this lesson ({status}). Only "
        "an administrator or coordinator can change the mark.",
    ),
    "lesson_not_started": (
        "Отметить посещение можно только после начала занятия.",
        "Attendance can be marked only once the lesson has started.",
    ),
    "poll_closed": (
        "Этот опрос уже закрыт.",
        "This poll is closed.",
    ),
    "invalid_audience": (
        "Получатели рассылки выбраны неверно: проверьте предмет, преподавателя "
        "или период (не больше года).",
        "The broadcast's recipients are not valid: check the subject, the teacher "
        "or the period (at most a year).",
    ),
    "invalid_broadcast_text": (
        "Текст рассылки пуст или длиннее {limit} символов.",
        "The broadcast text is empty or longer than {limit} characters.",
    ),
    "broadcast_not_found": ("Рассылка не найдена.", "Broadcast not found."),
    "invalid_phone": (
        "Не удалось распознать номер телефона. Нажмите кнопку «Поделиться номером».",
        "The phone number could not be read. Please use the “Share my phone” button.",
    ),
}


class SchedulingError(Exception):
    """A domain rule refused the request; carries a translatable message."""

    code = "error"
    http_status = 400

    def __init__(self, code: str | None = None, **params: Any) -> None:
        self.code = code or self.code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "ru") -> str:
        """The message for a person, in `lang` (Russian unless 'en')."""
        english = (lang or "").startswith("en")
        ru, en = MESSAGES.get(self.message_key, ("Ошибка: {code}", "Error: {code}"))
        template = en if english else ru
        try:
            return template.format(code=self.code, **self.shown_params(english))
        except (KeyError, IndexError):
            return template

    @property
    def message_key(self) -> str:
        """Which message tells this refusal; subclasses vary it by audience."""
        return self.code

    def shown_params(self, english: bool) -> dict[str, Any]:
        """The params as the message shows them; subclasses word numbers."""
        return self.params


class NotFoundError(SchedulingError):
    http_status = 404


class ForbiddenError(SchedulingError):
    code = "forbidden"
    http_status = 403


class ConflictError(SchedulingError):
    """The request collides with existing data (taken, full, overlapping)."""

    http_status = 409


class SlotTakenError(ConflictError):
    code = "slot_taken"


class ClientBusyError(ConflictError):
    code = "client_busy"


class RuleError(SchedulingError):
    """The request breaks a centre rule (notice, horizon, cutoff)."""

    http_status = 422


def duration_label(minutes: int, english: bool) -> str:
    """A duration as people say it: "45 мин", "24 ч", "1 ч 30 мин"."""
    hours, rest = divmod(minutes, 60)
    h, m = ("h", "min") if english else ("ч", "мин")
    if not hours:
        return f"{rest} {m}"
    return f"{hours} {h} {rest} {m}" if rest else f"{hours} {h}"


class CancelTooLateError(RuleError):
    """A cancellation after the cutoff (`cutoff`, minutes before the start).

    With `staff=True` the message says how staff override the cutoff instead
    of sending them to the centre's administrator.
    """

    code = "cancel_too_late"

    @property
    def message_key(self) -> str:
        return f"{self.code}_staff" if self.params.get("staff") else self.code

    def shown_params(self, english: bool) -> dict[str, Any]:
        """The cutoff as hours and minutes: 1440 minutes is "24 ч"."""
        return {"cutoff": duration_label(self.params["cutoff"], english)}


class MoveTooLateError(CancelTooLateError):
    """A move after the same cutoff; a kind of it, so either is caught as one."""

    code = "move_too_late"


# Settings as people name them: key -> (Russian, English).
SETTING_NAMES: dict[str, tuple[str, str]] = {
    "slot_duration_min": ("Длина слота", "Slot length"),
    "breaks": ("Перерывы", "Breaks"),
    "reminder_minutes_before": ("Напоминания", "Reminders"),
    "poll_time": ("Время опроса", "Poll time"),
    "poll_days_ahead": ("На сколько дней вперёд опрос", "Poll days ahead"),
    "booking_min_notice_min": ("Минимум до урока", "Minimum notice"),
    "booking_horizon_days": ("Горизонт записи", "Booking horizon"),
    "cancel_cutoff_min": ("Отмена не позже чем", "Cancellation cutoff"),
    "timezone": ("Часовой пояс", "Timezone"),
    "poll_nudge_time": ("Напоминание об опросе", "Poll nudge time"),
    "centre_contact": ("Контакт центра", "Centre contact"),
}

# Why a setting's value was refused: reason -> (Russian, English).
SETTING_REASONS: dict[str, tuple[str, str]] = {
    "whole_number": (
        "нужно целое число от {low} до {high}",
        "a whole number from {low} to {high} is needed",
    ),
    "time_format": (
        "время в формате ЧЧ:ММ, получено «{value}»",
        "a time as HH:MM is needed, got “{value}”",
    ),
    "breaks_list": (
        "нужен список интервалов вида 13:00–14:00",
        "a list of intervals such as 13:00–14:00 is needed",
    ),
    "break_pair": (
        "каждый перерыв — пара времён: начало и конец",
        "each break is a pair of times: start and end",
    ),
    "break_backwards": (
        "перерыв {start}–{end} заканчивается раньше, чем начинается",
        "the break {start}–{end} ends before it starts",
    ),
    "breaks_overlap": ("перерывы пересекаются", "breaks overlap"),
    "offsets_list": (
        "нужен список минут, например 1440 и 60",
        "a list of minutes such as 1440 and 60 is needed",
    ),
    "unknown_timezone": (
        "неизвестный часовой пояс «{value}»",
        "unknown timezone “{value}”",
    ),
    "too_long": ("не длиннее {limit} символов", "at most {limit} characters"),
    "unknown_setting": ("такой настройки нет", "there is no such setting"),
}


class InvalidSettingError(RuleError):
    """A setting's value was refused; `key` names it, `reason` says why."""

    code = "invalid_setting"

    def __init__(self, key: str, reason: str, **details: Any) -> None:
        self.key, self.reason, self.details = key, reason, details
        super().__init__(key=key, reason=reason, **details)

    def message(self, lang: str = "ru") -> str:
        english = (lang or "").startswith("en")
        names = SETTING_NAMES.get(self.key, (self.key, self.key))
        reasons = SETTING_REASONS.get(self.reason, (self.reason, self.reason))
        why = reasons[english].format(**self.details)
        if english:
            return f"Setting “{names[1]}”: {why}"
        return f"Настройка «{names[0]}»: {why}"
