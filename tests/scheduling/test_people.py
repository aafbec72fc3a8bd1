"""Recognising and registering people by their Telegram account."""

from __future__ import annotations

import pytest

from scheduling.errors import RuleError
from scheduling.people import (
    address_name,
    find_by_telegram,
    normalize_phone,
    register_from_contact,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("8 (900) 123-45-67", "+79001234567"),
        ("+7 900 123 45 67", "+79001234567"),
        ("9001234567", "+79001234567"),
        ("+44 20 7946 0958", "+442079460958"),
        # As Telegram shares a contact: international digits without "+".
        ("79001234567", "+79001234567"),
        ("447911123456", "+447911123456"),
        ("4951234567", "+74951234567"),
    ],
)
def test_phones_are_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Белых Ксения Ивановна", "Ксения Ивановна"),
        ("Белых  Ксения ", "Ксения"),
        ("Ксения", "Ксения"),
        ("", ""),
    ],
)
def test_people_are_addressed_by_first_name_and_patronymic(full_name, expected):
    assert address_name(full_name) == expected


@pytest.mark.parametrize("raw", ["12-34", "", "телефон", "+7 900", "1" * 20])
def test_a_non_phone_is_refused_in_russian(raw):
    with pytest.raises(RuleError) as err:
        normalize_phone(raw)
    assert "номер телефона" in err.value.message("ru")


def test_a_teachers_phone_links_no_teacher_only_a_new_client(session, factory):
    teacher = factory.teacher("Анна", telegram=False, phone="+7 (900) 000-11-22")
    person = register_from_contact(
        session, telegram_user_id=77, phone="89000001122", full_name="Аня"
    )
    assert person.teacher is None and person.client is not None
    assert teacher.telegram_user_id is None
    assert find_by_telegram(session, 77).teacher is None


def test_registering_twice_keeps_one_client(session):
    first = register_from_contact(
        session, telegram_user_id=78, phone="+79001110000", full_name="Олег"
    )
    again = register_from_contact(
        session, telegram_user_id=78, phone="+79001110000", full_name="Олег"
    )
    assert again.client.id == first.client.id


def test_inactive_teacher_is_not_recognised(session, factory):
    teacher = factory.teacher("Бывший", is_active=False)
    assert not find_by_telegram(session, teacher.telegram_user_id).is_known


def test_control_characters_in_a_telegram_name_do_not_stop_registration(session):
    person = register_from_contact(
        session,
        telegram_user_id=4242,
        phone="+79005550101",
        full_name="Новиков\x00 Олег\n\t",
    )
    session.commit()
    assert person.client.full_name == "Новиков Олег"
    nameless = register_from_contact(
        session, telegram_user_id=4243, phone="+79005550102", full_name="\x00\x01"
    )
    assert nameless.client.full_name == "+79005550102"
