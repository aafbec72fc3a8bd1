"""A slot staff type by hand: length, years and places within reason."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduling.availability import MAX_CAPACITY
from scheduling.errors import RuleError
from scheduling.manual_slots import check_manual_slot

START = dt.datetime(2026, 12, 9, 14, 0, tzinfo=dt.UTC)


def check(session, teacher, **changes):
    values = {
        "teacher_id": teacher.id,
        "subject_id": None,
        "starts_at": START,
        "ends_at": START + dt.timedelta(hours=1),
        "capacity": 1,
        **changes,
    }
    check_manual_slot(session, **values)


def test_an_ordinary_slot_passes(session, factory):
    check(session, factory.teacher(), capacity=MAX_CAPACITY)


@pytest.mark.parametrize(
    ("changes", "code", "russian"),
    [
        (
            {"ends_at": START + dt.timedelta(microseconds=1)},
            "slot_too_short",
            "Слот короче 5 минут",
        ),
        (
            {"ends_at": START + dt.timedelta(days=9)},
            "slot_too_long",
            "Слот длиннее 12 часов",
        ),
        (
            # 12:00+14:00 to 13:00-12:00: one hour on the clock, 27 in fact.
            {"ends_at": START + dt.timedelta(hours=27)},
            "slot_too_long",
            "Слот длиннее 12 часов",
        ),
        (
            {
                "starts_at": dt.datetime(9999, 12, 30, 10, tzinfo=dt.UTC),
                "ends_at": dt.datetime(9999, 12, 30, 11, tzinfo=dt.UTC),
            },
            "slot_out_of_years",
            "между 2000 и 2100 годом",
        ),
        ({"capacity": 0}, "invalid_capacity", "от 1 до 100"),
        ({"capacity": 10**9}, "invalid_capacity", "от 1 до 100"),
    ],
)
def test_an_unreasonable_slot_is_refused_with_the_reason(
    session, factory, changes, code, russian
):
    with pytest.raises(RuleError) as refused:
        check(session, factory.teacher(), **changes)
    assert refused.value.code == code
    assert russian in refused.value.message("ru")
