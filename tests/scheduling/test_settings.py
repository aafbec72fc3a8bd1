"""The centre's settings: typed, validated, stored."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduling.errors import InvalidSettingError
from scheduling.settings import get_settings, update_settings


def test_defaults_apply_to_an_empty_table(session):
    settings = get_settings(session)
    assert settings.slot_duration_min == 60
    assert settings.timezone == "Europe/Moscow"
    assert settings.reminder_minutes_before == (1440, 60)


def test_updates_are_stored_and_read_back_typed(session):
    update_settings(
        session,
        {"breaks": [["15:00", "15:30"], ["12:00", "13:00"]], "poll_time": "19:30"},
    )
    settings = get_settings(session)
    assert [b.as_json() for b in settings.breaks] == [
        ["12:00", "13:00"],
        ["15:00", "15:30"],
    ]
    assert settings.poll_time == dt.time(19, 30)


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"breaks": [["14:00", "13:00"]]}, "заканчивается раньше"),
        ({"breaks": [["12:00", "14:00"], ["13:00", "15:00"]]}, "пересекаются"),
        ({"slot_duration_min": 0}, "целое число"),
        ({"slot_duration_min": "сорок"}, "целое число"),
        ({"timezone": "Mars/Olympus"}, "неизвестный часовой пояс"),
        ({"poll_days_ahead": 4}, "от 1 до 3"),
        ({"poll_time": "25:00"}, "ЧЧ:ММ"),
        ({"colour": "red"}, "такой настройки нет"),
    ],
)
def test_invalid_values_are_refused_with_a_reason(session, values, fragment):
    with pytest.raises(InvalidSettingError) as err:
        update_settings(session, values)
    assert fragment in err.value.message("ru")
    assert get_settings(session).slot_duration_min == 60


@pytest.mark.parametrize(
    ("values", "russian", "english"),
    [
        (
            {"slot_duration_min": 0},
            "Настройка «Длина слота»: нужно целое число от 5 до 480",
            "Setting “Slot length”: a whole number from 5 to 480 is needed",
        ),
        (
            {"breaks": [["14:00", "13:00"]]},
            "Настройка «Перерывы»: перерыв 14:00–13:00 заканчивается раньше, "
            "чем начинается",
            "Setting “Breaks”: the break 14:00–13:00 ends before it starts",
        ),
        (
            {"centre_contact": "x" * 201},
            "Настройка «Контакт центра»: не длиннее 200 символов",
            "Setting “Centre contact”: at most 200 characters",
        ),
    ],
)
def test_refusals_name_the_setting_as_people_know_it_in_both_languages(
    session, values, russian, english
):
    with pytest.raises(InvalidSettingError) as err:
        update_settings(session, values)
    assert err.value.message("ru") == russian
    assert err.value.message("en") == english
