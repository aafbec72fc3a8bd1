"""Dates, times and durations as a person reads them, in their language.

Times are always shown in the centre's timezone; `zone_label` names it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.texts import IN_TIME, MONTHS, UNITS, WEEKDAYS, ZONES, lang_of


def zone_label(lang: str | None, tz: ZoneInfo) -> str:
    """A short name of the centre's zone: "МСК" for Moscow, else its IANA key."""
    return ZONES[lang_of(lang)].get(tz.key, tz.key)


def day_label(lang: str | None, day: dt.date) -> str:
    """A short day: "пн, 8 декабря" / "Mon, 8 Dec"."""
    lang = lang_of(lang)
    weekday = WEEKDAYS[lang][day.weekday()]
    return f"{weekday}, {day.day} {MONTHS[lang][day.month - 1]}"


def time_label(moment: dt.datetime, tz: ZoneInfo) -> str:
    """The wall-clock time in the centre: "09:00"."""
    return moment.astimezone(tz).strftime("%H:%M")


def when_label(
    lang: str | None, moment: dt.datetime, tz: ZoneInfo, with_zone: bool = True
) -> str:
    """Day and time: "пн, 8 декабря, 10:00 (МСК)"; the zone left to a heading."""
    local = moment.astimezone(tz)
    label = f"{day_label(lang, local.date())}, {local:%H:%M}"
    return f"{label} ({zone_label(lang, tz)})" if with_zone else label


def plural(lang: str | None, n: int, forms: tuple[str, str, str]) -> str:
    """The form of a noun for `n`: (one, few, many) by Russian rules."""
    if lang_of(lang) == "en":
        return forms[0] if n == 1 else forms[1]
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


def in_time_label(lang: str | None, minutes: int) -> str:
    """How long until a lesson: "через 1 день", "через 2 часа", "in 30 minutes"."""
    lang = lang_of(lang)
    if minutes % 1440 == 0:
        n, unit = minutes // 1440, "day"
    elif minutes % 60 == 0:
        n, unit = minutes // 60, "hour"
    else:
        n, unit = minutes, "minute"
    return IN_TIME[lang].format(n=n, unit=plural(lang, n, UNITS[lang][unit]))
