"""/settings: every setting editable by the admin, subjects managed on the page."""

from __future__ import annotations

from sqlalchemy import select

from scheduling.booking import Actor, book
from scheduling.models import Subject
from scheduling.settings import get_settings
from tests.webapp.conftest import csrf_token
from tests.webapp.helpers import days_ahead_at, page_text

FORM = {
    "slot_duration_min": "45",
    "poll_days_ahead": "2",
    "booking_min_notice_min": "30",
    "booking_horizon_days": "21",
    "cancel_cutoff_min": "120",
    "break_start": ["12:00", "16:00", ""],
    "break_end": ["12:30", "16:15", ""],
    "reminder": ["1440", "120", ""],
    "poll_time": "19:30",
    "poll_nudge_time": "21:15",
    "timezone": "Asia/Yekaterinburg",
    "centre_contact": "+7 495 123-45-67, администратор Ольга",
}


def post_settings(client, **changes):
    token = csrf_token(client.get("/settings/").get_data(as_text=True))
    return client.post("/settings/", data={**FORM, **changes, "csrf_token": token})


def test_admin_changes_every_setting_including_breaks(admin_client, session):
    page = page_text(admin_client.get("/settings/").get_data(as_text=True))
    assert "Длительность слота, минут" in page
    assert "Europe/Moscow" in page

    response = post_settings(admin_client)
    assert response.status_code == 302
    settings = get_settings(session)
    assert settings.slot_duration_min == 45
    assert [b.as_json() for b in settings.breaks] == [
        ["12:00", "12:30"],
        ["16:00", "16:15"],
    ]
    assert settings.reminder_minutes_before == (1440, 120)
    assert settings.poll_time.strftime("%H:%M") == "19:30"
    assert (settings.poll_days_ahead, settings.booking_horizon_days) == (2, 21)
    assert (settings.booking_min_notice_min, settings.cancel_cutoff_min) == (30, 120)
    assert settings.timezone == "Asia/Yekaterinburg"
    assert settings.poll_nudge_time.strftime("%H:%M") == "21:15"
    assert settings.centre_contact == "+7 495 123-45-67, администратор Ольга"
    shown = admin_client.get("/settings/").get_data(as_text=True)
    assert "Настройки сохранены" in page_text(shown)
    assert 'value="16:15"' in shown


def test_overlapping_breaks_are_refused_and_the_input_is_kept(admin_client, session):
    response = post_settings(
        admin_client, break_start=["12:00", "12:15"], break_end=["13:00", "13:30"]
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "перерывы пересекаются" in page_text(html)
    assert 'value="12:15"' in html
    assert get_settings(session).slot_duration_min == 60


def test_text_where_a_number_goes_is_a_clear_refusal(admin_client, session):
    response = post_settings(admin_client, slot_duration_min="час")
    assert response.status_code == 422
    assert "целое число" in page_text(response.get_data(as_text=True))


def test_refusals_name_the_setting_in_the_chosen_language(admin_client, session):
    response = post_settings(admin_client, poll_nudge_time="9 вечера")
    assert response.status_code == 422
    assert "Настройка «Напоминание об опросе»: время в формате ЧЧ:ММ" in page_text(
        response.get_data(as_text=True)
    )
    admin_client.get("/lang/en")
    response = post_settings(admin_client, centre_contact="x" * 201)
    assert response.status_code == 422
    assert "Setting “Centre contact”: at most 200 characters" in page_text(
        response.get_data(as_text=True)
    )
    assert get_settings(session).centre_contact == ""


def test_subjects_are_added_and_deleted_on_the_settings_page(
    admin_client, session, factory
):
    token = csrf_token(admin_client.get("/settings/").get_data(as_text=True))
    admin_client.post("/settings/subjects", data={"name": "Химия", "csrf_token": token})
    chemistry = session.scalar(select(Subject).where(Subject.name == "Химия"))
    assert chemistry is not None
    duplicate = admin_client.post(
        "/settings/subjects",
        data={"name": "Химия", "csrf_token": token},
        follow_redirects=True,
    )
    assert "Предмет с таким названием уже есть" in page_text(
        duplicate.get_data(as_text=True)
    )

    admin_client.post(
        f"/settings/subjects/{chemistry.id}/delete", data={"csrf_token": token}
    )
    session.expire_all()
    assert session.scalars(select(Subject.name)).all() == []


def test_deleting_a_subject_with_bookings_is_refused_with_the_reason(
    admin_client, session, factory
):
    maths = factory.subject("Математика")
    teacher = factory.teacher(subjects=(maths,))
    slot = factory.slot(teacher, days_ahead_at(2, 9))
    client = factory.client()
    book(
        session,
        slot_id=slot.id,
        client_id=client.id,
        subject_id=maths.id,
        actor=Actor("staff", 1),
    )
    session.commit()
    token = csrf_token(admin_client.get("/settings/").get_data(as_text=True))
    response = admin_client.post(
        f"/settings/subjects/{maths.id}/delete",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "Предмет нельзя удалить: на него ссылаются записи (1)" in page_text(
        response.get_data(as_text=True)
    )
    assert session.get(Subject, maths.id) is not None


def test_only_the_admin_opens_the_settings_page(coordinator_client, teacher_client):
    assert coordinator_client.get("/settings/").status_code == 403
    assert teacher_client.get("/settings/").status_code == 403
