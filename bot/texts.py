"""Every text the bot shows, one catalogue per language (Russian first).

`t(lang, key, **params)` picks the catalogue (Russian unless the language is
English) and fills the placeholders. Handlers never hold text literals.
"""

from __future__ import annotations

RU: dict[str, str] = {
    # Greeting and registration
    "greet_new": (
        "Здравствуйте, {name}! Это бот записи на занятия.\n"
        "Чтобы записываться, поделитесь номером телефона кнопкой ниже — "
        "по нему центр узнает вас."
    ),
    "greet_client": "Здравствуйте, {name}! Выберите действие в меню ниже.",
    "greet_teacher": (
        "Здравствуйте, {name}! Каждый день я буду спрашивать, в какие часы вы "
        "свободны. Расписание — в меню ниже."
    ),
    "registered_client": "Готово, вы зарегистрированы. Теперь можно записываться.",
    "invite_accepted": (
        "Готово, {name}: этот аккаунт Telegram привязан к вашей карточке преподавателя."
    ),
    "share_contact": "📱 Поделиться номером",
    "contact_not_own": "Пожалуйста, поделитесь своим номером — кнопкой ниже.",
    "share_contact_reminder": (
        "Чтобы записываться, мне нужен ваш номер телефона. Нажмите кнопку "
        "«{button}» под полем ввода — набирать номер не нужно.\n"
        "Начать сначала — /start."
    ),
    "need_registration": (
        "Сначала нужно зарегистрироваться: нажмите /start и поделитесь номером."
    ),
    # Menu and help
    "menu_book": "Записаться",
    "menu_my": "Мои записи",
    "menu_help": "Помощь",
    "menu_schedule": "Расписание",
    "help_client": (
        "Я помогаю записываться на занятия.\n"
        "• «Записаться» — выбрать предмет, преподавателя, день и время.\n"
        "• «Мои записи» — ваши ближайшие занятия и их отмена.\n"
        "Команды: /book, /my, /help."
    ),
    "help_teacher": (
        "Каждый день я присылаю опрос: отметьте часы, когда вы свободны, и "
        "нажмите «Готово» — из них получатся слоты для записи.\n"
        "• «Расписание» — ваши занятия на неделю и отметка посещения.\n"
        "Команды: /schedule, /help."
    ),
    "unknown_text": "Не понял сообщение. Выберите действие в меню ниже.",
    "stale_button": "Эта кнопка устарела. Начните заново из меню.",
    "not_for_you": "Эта кнопка не для вас.",
    "clients_only": "Запись доступна клиентам центра.",
    "teachers_only": "Это действие доступно только преподавателям.",
    "apology": (
        "Извините, что-то пошло не так. Мы уже разбираемся. Попробуйте ещё раз из меню."
    ),
    "back": "« Назад",
    "to_menu": "В меню",
    # Booking
    "zone_note": "Время — {zone}.",
    "pick_subject": "Выберите предмет:",
    "no_free_time": (
        "Сейчас нет свободного времени для записи. Загляните позже — "
        "преподаватели добавляют часы каждый день."
    ),
    "pick_teacher": "{subject}: выберите преподавателя.",
    "any_teacher": "Любой преподаватель",
    "pick_day": "{subject}, {teacher}: выберите день.",
    "pick_time": "{subject}, {teacher}, {day}: выберите время. {zone_note}",
    "nothing_that_day": "На этот день свободного времени больше нет.",
    "confirm_booking": (
        "Проверьте запись:\n{subject}\nПреподаватель: {teacher}\n{when}\n\nЗаписаться?"
    ),
    "confirm_inside_cutoff": (
        "⚠️ До занятия меньше {cutoff}: отменить или перенести эту запись "
        "в боте будет нельзя."
    ),
    "confirm": "✅ Подтвердить",
    "booked": "✅ Вы записаны!\n{subject}\nПреподаватель: {teacher}\n{when}",
    "booked_notice": "Вы записаны",
    "book_more": "Записаться ещё",
    "refused_next": "{error}\n\nБлижайшее свободное время: {zone_note}",
    "refused_none": "{error}\n\nДругого свободного времени сейчас нет.",
    # My bookings
    "my_none": "У вас нет предстоящих занятий.",
    "my_title": "Ваши занятия ({zone}):",
    "my_line": "{n}. {when} — {subject}, {teacher}",
    "cancel_button": "Отменить {n}",
    "cancel_ask": "Отменить запись?\n{subject}, {teacher}\n{when}",
    "cancel_yes": "Да, отменить",
    "cancel_no": "Нет",
    "cancelled": "Запись отменена: {subject}, {teacher}, {when}.",
    "centre_contact": "Связаться с центром: {contact}",
    "move_button": "Перенести {n}",
    "move_pick_day": (
        "Перенос записи: {subject}, {teacher}, сейчас — {when}.\nВыберите новый день:"
    ),
    "move_pick_time": (
        "Перенос: {subject}, {teacher}, {day}: выберите время. {zone_note}"
    ),
    "move_none": (
        "У преподавателя ({teacher}) сейчас нет другого свободного времени для "
        "переноса записи на {when}."
    ),
    "move_confirm": (
        "Перенести запись?\n{subject}, {teacher}\nБыло: {when}\nСтанет: {new}"
    ),
    "move_yes": "✅ Перенести",
    "move_other": "Выбрать другое время",
    "moved": "🔁 Запись перенесена: {subject}, {teacher}, {when}.",
    "moved_notice": "Запись перенесена",
    # Teacher: poll and schedule
    "poll_question": (
        "Опрос на {day}: в какие часы вы свободны? Отметьте часы и нажмите "
        "«Готово». {zone_note}"
    ),
    "poll_done": "Готово",
    "poll_off": "Не работаю",
    "poll_edit": "Изменить ответ",
    "poll_same": "↺ Как на прошлой неделе",
    "poll_same_done": (
        "Отмечены часы того же дня прошлой недели. Проверьте и нажмите «Готово»."
    ),
    "poll_same_none": (
        "Копировать нечего: на прошлой неделе в этот день свободные часы не отмечены."
    ),
    "poll_nudge": (
        "⏰ Вы ещё не ответили на опрос — пожалуйста, отметьте свободные часы."
    ),
    "poll_saved": "Спасибо! {day}: отмечено часов — {hours}, новых слотов — {created}.",
    "poll_saved_off": "Спасибо! {day}: вы не работаете, свободных слотов нет.",
    "poll_kept": "Записанные занятия остаются: {times}.",
    "poll_gone": "Этот опрос больше не действует.",
    "schedule_title": "Ваше расписание на {days} дн. ({zone}):",
    "schedule_empty": "На ближайшие {days} дн. слотов нет.",
    "schedule_free": "свободно",
    "schedule_line": "{start}–{end} — {who}",
    "no_subject": "Занятие",
    # Teacher: attendance
    "att_title": "Занятие {lesson}: отметьте, кто пришёл.",
    "att_line": "• {client} — {mark}",
    "att_came": "пришёл(-ла)",
    "att_missed": "не пришёл(-ла)",
    "att_unmarked": "не отмечено",
    "att_no": "не пришёл",
    "att_button": "✅ Отметить посещение",
    "att_pick": "Выберите занятие, чтобы отметить посещение:",
    "att_none": "Нет недавних занятий с учениками, чтобы отметить посещение.",
    # Notifications (outbox)
    "note_created_client": "✅ Вы записаны: {subject}, {teacher}, {when}.",
    "note_created_teacher": "🆕 Новая запись: {client}, {subject}, {when}.",
    "note_cancelled_client": "❌ Запись отменена: {subject}, {teacher}, {when}.",
    "note_cancelled_teacher": "❌ Отмена записи: {client}, {subject}, {when}.",
    "note_moved_client": "🔁 Запись перенесена: {subject}, {teacher}, {when}.",
    "note_moved_teacher": "🔁 Запись перенесена: {client}, {subject}, {when}.",
    "note_moved_in_teacher": (
        "🆕 К вам перенесена запись от другого преподавателя: "
        "{client}, {subject}, {when}."
    ),
    "note_moved_away_teacher": (
        "↪️ Запись перенесена к другому преподавателю, у вас её больше нет: "
        "{client}, {subject}, {when}."
    ),
    "note_reminder": "⏰ Напоминание: {left} — {subject}, {teacher}, {when}.",
}

EN: dict[str, str] = {
    "greet_new": (
        "Hello, {name}! This bot books lessons.\n"
        "To book, share your phone number with the button below so the "
        "centre can recognise you."
    ),
    "greet_client": "Hello, {name}! Choose an action in the menu below.",
    "greet_teacher": (
        "Hello, {name}! Every day I will ask you which hours you are free. "
        "Your schedule is in the menu below."
    ),
    "registered_client": "Done, you are registered. You can book lessons now.",
    "invite_accepted": (
        "Done, {name}: this Telegram account is now linked to your teacher record."
    ),
    "share_contact": "📱 Share my phone",
    "contact_not_own": "Please share your own number with the button below.",
    "share_contact_reminder": (
        "To book lessons I need your phone number. Press “{button}” below the "
        "message box; there is no need to type the number.\n"
        "To start over, send /start."
    ),
    "need_registration": "Please register first: press /start and share your phone.",
    "menu_book": "Book",
    "menu_my": "My bookings",
    "menu_help": "Help",
    "menu_schedule": "Schedule",
    "help_client": (
        "I help you book lessons.\n"
        "• “Book”: choose a subject, a teacher, a day and a time.\n"
        "• “My bookings”: your next lessons, and cancelling them.\n"
        "Commands: /book, /my, /help."
    ),
    "help_teacher": (
        "Every day I send you a poll: tick the hours you are free and press "
        "“Done”; they become bookable slots.\n"
        "• “Schedule”: your lessons for the week, and marking attendance.\n"
        "Commands: /schedule, /help."
    ),
    "unknown_text": "I did not understand that. Choose an action in the menu below.",
    "stale_button": "This button is out of date. Please start again from the menu.",
    "not_for_you": "This button is not for you.",
    "clients_only": "Booking is open to the centre's clients.",
    "teachers_only": "Only teachers can do this.",
    "apology": (
        "Sorry, something went wrong. We are looking into it. "
        "Please try again from the menu."
    ),
    "back": "« Back",
    "to_menu": "Menu",
    "zone_note": "Times are {zone}.",
    "pick_subject": "Choose a subject:",
    "no_free_time": (
        "There is no free time to book right now. Please look again later: "
        "teachers add hours every day."
    ),
    "pick_teacher": "{subject}: choose a teacher.",
    "any_teacher": "Any teacher",
    "pick_day": "{subject}, {teacher}: choose a day.",
    "pick_time": "{subject}, {teacher}, {day}: choose a time. {zone_note}",
    "nothing_that_day": "There is no free time left on that day.",
    "confirm_booking": (
        "Please check:\n{subject}\nTeacher: {teacher}\n{when}\n\nBook it?"
    ),
    "confirm_inside_cutoff": (
        "⚠️ The lesson starts in less than {cutoff}: this booking cannot be "
        "cancelled or moved in the bot."
    ),
    "confirm": "✅ Confirm",
    "booked": "✅ You are booked!\n{subject}\nTeacher: {teacher}\n{when}",
    "booked_notice": "You are booked",
    "book_more": "Book another",
    "refused_next": "{error}\n\nNext free times: {zone_note}",
    "refused_none": "{error}\n\nThere is no other free time right now.",
    "my_none": "You have no upcoming lessons.",
    "my_title": "Your lessons ({zone}):",
    "my_line": "{n}. {when} — {subject}, {teacher}",
    "cancel_button": "Cancel {n}",
    "cancel_ask": "Cancel this booking?\n{subject}, {teacher}\n{when}",
    "cancel_yes": "Yes, cancel",
    "cancel_no": "No",
    "cancelled": "Booking cancelled: {subject}, {teacher}, {when}.",
    "centre_contact": "Contact the centre: {contact}",
    "move_button": "Move {n}",
    "move_pick_day": ("Moving: {subject}, {teacher}, now {when}.\nChoose the new day:"),
    "move_pick_time": "Moving: {subject}, {teacher}, {day}: choose a time. {zone_note}",
    "move_none": (
        "{teacher} has no other free time right now to move your lesson of {when} to."
    ),
    "move_confirm": (
        "Move this booking?\n{subject}, {teacher}\nFrom: {when}\nTo: {new}"
    ),
    "move_yes": "✅ Move",
    "move_other": "Choose another time",
    "moved": "🔁 Booking moved: {subject}, {teacher}, {when}.",
    "moved_notice": "Booking moved",
    "poll_question": (
        "Poll for {day}: which hours are you free? Tick the hours and press "
        "“Done”. {zone_note}"
    ),
    "poll_done": "Done",
    "poll_off": "Not working",
    "poll_edit": "Change answer",
    "poll_same": "↺ Same as last week",
    "poll_same_done": (
        "The hours of the same day last week are ticked. Check them and press “Done”."
    ),
    "poll_same_none": "Nothing to copy: no free hours were ticked that day last week.",
    "poll_nudge": "⏰ You have not answered the poll yet: please tick your free hours.",
    "poll_saved": "Thank you! {day}: hours ticked: {hours}, new slots: {created}.",
    "poll_saved_off": "Thank you! {day}: you are not working, no free slots.",
    "poll_kept": "Booked lessons stay: {times}.",
    "poll_gone": "This poll is no longer valid.",
    "schedule_title": "Your schedule for {days} days ({zone}):",
    "schedule_empty": "No slots in the next {days} days.",
    "schedule_free": "free",
    "schedule_line": "{start}–{end} — {who}",
    "no_subject": "Lesson",
    "att_title": "Lesson {lesson}: mark who came.",
    "att_line": "• {client} — {mark}",
    "att_came": "came",
    "att_missed": "did not come",
    "att_unmarked": "not marked",
    "att_no": "did not come",
    "att_button": "✅ Mark attendance",
    "att_pick": "Choose a lesson to mark attendance:",
    "att_none": "No recent lessons with clients to mark.",
    "note_created_client": "✅ You are booked: {subject}, {teacher}, {when}.",
    "note_created_teacher": "🆕 New booking: {client}, {subject}, {when}.",
    "note_cancelled_client": "❌ Booking cancelled: {subject}, {teacher}, {when}.",
    "note_cancelled_teacher": "❌ Booking cancelled: {client}, {subject}, {when}.",
    "note_moved_client": "🔁 Booking moved: {subject}, {teacher}, {when}.",
    "note_moved_teacher": "🔁 Booking moved: {client}, {subject}, {when}.",
    "note_moved_in_teacher": (
        "🆕 A booking was moved to you from another teacher: "
        "{client}, {subject}, {when}."
    ),
    "note_moved_away_teacher": (
        "↪️ A booking was moved to another teacher and is no longer yours: "
        "{client}, {subject}, {when}."
    ),
    "note_reminder": "⏰ Reminder: {left} — {subject}, {teacher}, {when}.",
}

# Calendar words; Russian months in the genitive ("8 декабря").
WEEKDAYS = {
    "ru": ("пн", "вт", "ср", "чт", "пт", "сб", "вс"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
MONTHS = {
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    "en": (
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ),
}
# Units for "in N ...": (one, few, many) in Russian, (one, many) in English.
UNITS = {
    "ru": {
        "day": ("день", "дня", "дней"),
        "hour": ("час", "часа", "часов"),
        "minute": ("минуту", "минуты", "минут"),
    },
    "en": {
        "day": ("day", "days", "days"),
        "hour": ("hour", "hours", "hours"),
        "minute": ("minute", "minutes", "minutes"),
    },
}
IN_TIME = {"ru": "через {n} {unit}", "en": "in {n} {unit}"}
# Zone names people know; anything else is shown by its IANA name.
ZONES = {"ru": {"Europe/Moscow": "МСК"}, "en": {"Europe/Moscow": "Moscow time"}}

CATALOGUES = {"ru": RU, "en": EN}


def lang_of(lang: str | None) -> str:
    """The catalogue to use: English when asked for, Russian otherwise."""
    return "en" if (lang or "").lower().startswith("en") else "ru"


def t(lang: str | None, key: str, **params: object) -> str:
    """The text `key` in `lang`, placeholders filled from `params`."""
    template = CATALOGUES[lang_of(lang)].get(key) or RU[key]
    return template.format(**params) if params else template


def all_languages(key: str) -> set[str]:
    """The text `key` in every language (to recognise a menu button press)."""
    return {catalogue[key] for catalogue in CATALOGUES.values()}
