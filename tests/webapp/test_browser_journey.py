"""An admin's day in a real browser (Debian's Chromium, Playwright).

Log in; add two subjects, a teacher teaching both and a client; give the
teacher slots on two days in bulk; book one from the calendar; change the
slot length and a break in /settings and see the next bulk preview follow
them; then the teacher logs in and sees only their own slots and bookings. Every step is
checked on the page and photographed into test-artifacts/.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from scheduling.booking import Actor, book
from scheduling.models import Booking, Slot, Teacher
from tests.webapp.conftest import ADMIN, TEACHER_LOGIN
from tests.webapp.helpers import days_ahead_at
from tests.webapp.test_browser import CHROMIUM, CHROMIUM_ARGS, live_url, pytestmark

__all__ = ["live_url", "pytestmark"]

MOSCOW = dt.timezone(dt.timedelta(hours=3))
TIMEOUT = 10_000


class Journey:
    """A logged-in browser page with a screenshot per step."""

    def __init__(self, page, base: str, shots, who: str) -> None:
        self.page, self.base, self.shots, self.who = page, base, shots, who
        self.step = 0

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state()

    def shot(self, name: str) -> None:
        self.step += 1
        self.page.screenshot(
            path=str(self.shots / f"journey_{self.who}_{self.step:02d}_{name}.png")
        )

    def log_in(self, login: tuple[str, str]) -> None:
        self.open("/login/")
        self.page.fill("#username", login[0])
        self.page.fill("#password", login[1])
        self.page.click("input[type=submit], button[type=submit]")
        self.page.wait_for_load_state()
        assert "/login" not in self.page.url

    def submit(self) -> None:
        """Press the record form's "Save" (FAB's form is #model_form)."""
        self.page.locator("#model_form button[type=submit]").click()
        self.page.wait_for_load_state()

    def body(self) -> str:
        return self.page.inner_text("body")

    def see(self, text: str) -> None:
        try:
            self.page.get_by_text(text).first.wait_for(timeout=TIMEOUT)
        except Exception:
            self.shot("FAILED_waiting_for_text")
            raise


def two_days_of_one_week() -> list[dt.date]:
    """Two coming days in one Monday-to-Sunday week, so one week view shows both."""
    first = dt.datetime.now(MOSCOW).date() + dt.timedelta(days=2)
    if first.weekday() == 6:
        first += dt.timedelta(days=1)
    return [first, first + dt.timedelta(days=1)]


def add_record(journey: Journey, path: str, fields: dict[str, str], name: str) -> None:
    journey.open(f"{path}/add")
    for selector, value in fields.items():
        journey.page.fill(selector, value)
    journey.submit()
    journey.see("Запись добавлена")
    journey.open(f"{path}/list/")
    journey.see(name)


def link_subject(journey: Journey, teacher: str, subject: str) -> None:
    journey.open("/teacher-subjects/add")
    for field, label in (("#teacher", teacher), ("#subject", subject)):
        journey.page.select_option(field, label=label, force=True)
    journey.submit()
    journey.see("Запись добавлена")


def change_slot_length_and_break(journey: Journey) -> None:
    """Slots of 45 minutes and the break moved to 11:30-12:00, saved and shown."""
    page = journey.page
    journey.open("/settings/")
    page.fill("#slot_duration_min", "45")
    page.locator("input[name=break_start]").first.fill("11:30")
    page.locator("input[name=break_end]").first.fill("12:00")
    page.click("#settings-form button[type=submit]")
    page.wait_for_load_state()
    journey.see("Настройки сохранены.")
    journey.open("/settings/")
    assert page.input_value("#slot_duration_min") == "45"
    assert page.locator("input[name=break_start]").first.input_value() == "11:30"
    assert page.locator("input[name=break_end]").first.input_value() == "12:00"
    journey.shot("settings_changed")


def test_admin_schedules_and_books_then_the_teacher_sees_only_their_own(
    app, live_url, session, factory, artifacts_dir
):
    from playwright.sync_api import sync_playwright

    # Another teacher with a booking the test's teacher must never see.
    other = factory.teacher("Орлов Игорь Викторович")
    stranger = factory.client("Чужой Клиент")
    other_slot = factory.slot(other, days_ahead_at(2, 9))
    book(
        session,
        slot_id=other_slot.id,
        client_id=stranger.id,
        actor=Actor("staff", None, "web", "test"),
    )
    session.commit()
    days = two_days_of_one_week()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            admin = Journey(page, live_url, artifacts_dir, "admin")
            admin.log_in(ADMIN)
            admin.shot("logged_in")

            add_record(admin, "/subjects", {"#name": "Математика"}, "Математика")
            add_record(admin, "/subjects", {"#name": "Физика"}, "Физика")
            admin.shot("subjects")
            teacher = "Смирнова Анна Петровна"
            add_record(admin, "/teachers", {"#full_name": teacher}, teacher)
            link_subject(admin, teacher, "Математика")
            link_subject(admin, teacher, "Физика")
            admin.open("/teachers/list/")
            admin.see("Математика, Физика")
            admin.shot("teacher_with_two_subjects")
            add_record(admin, "/clients", {"#full_name": "Иванов Иван"}, "Иванов Иван")
            admin.shot("client")

            admin.open("/bulk/")
            page.select_option("#teacher", label=teacher)
            for day in days:
                page.check(f"input[name=days][value='{day.isoformat()}']")
            page.fill("#start", "10:00")
            page.fill("#end", "12:00")
            page.click("#sb-bulk-preview")
            page.wait_for_load_state()
            rows = page.locator("#sb-bulk-slots tbody tr")
            assert rows.count() == 4
            assert f"{days[1]:%d.%m.%Y} 11:00 MSK" in admin.body()
            admin.shot("bulk_preview")
            page.click("#sb-bulk-create")
            page.wait_for_load_state()
            admin.see("Создано слотов: 4.")
            assert "/calendar/" in page.url

            page.locator(".fc-event").first.wait_for(timeout=TIMEOUT)
            assert page.locator(".fc-event[data-state=free]").count() == 4
            admin.shot("calendar_after_bulk")
            page.locator(".fc-event[data-state=free]").first.click()
            page.locator("#sb-book-form").wait_for(timeout=TIMEOUT)
            page.select_option("#sb-book-client", label="Иванов Иван")
            page.select_option("#sb-book-subject", label="Физика")
            admin.shot("calendar_slot_panel")
            page.click("#sb-book-form button[type=submit]")
            page.wait_for_load_state()
            admin.see("создана")
            page.locator("#sb-slot-bookings").wait_for(timeout=TIMEOUT)
            assert "Иванов Иван (Физика)" in page.inner_text("#sb-slot-bookings")
            page.locator(".fc-event[data-state=full]").first.wait_for(timeout=TIMEOUT)
            admin.shot("calendar_after_booking")

            change_slot_length_and_break(admin)
            admin.open("/bulk/")
            page.select_option("#teacher", label=teacher)
            later = days[1] + dt.timedelta(days=1)
            page.check(f"input[name=days][value='{later.isoformat()}']")
            page.fill("#start", "10:00")
            page.fill("#end", "13:00")
            page.click("#sb-bulk-preview")
            page.wait_for_load_state()
            starts = page.locator("#sb-bulk-slots tbody tr td:first-child")
            new_starts = starts.all_inner_texts()
            admin.shot("bulk_preview_after_settings")

            session.expire_all()
            ours = session.scalar(select(Teacher).where(Teacher.full_name == teacher))
            assert len(session.scalars(select(Slot).where(Slot.teacher == ours)).all())
            # The admin gives the teacher's panel login to the teacher's record.
            admin.open(f"/teachers/edit/{ours.id}")
            admin.page.select_option(
                "#web_login", label=f"{TEACHER_LOGIN[0]} (Teacher Test)", force=True
            )
            admin.shot("teacher_login_linked")
            admin.submit()
            session.expire_all()
            with app.app_context():
                user = app.appbuilder.sm.find_user(username=TEACHER_LOGIN[0])
                assert session.get(Teacher, ours.id).user_id == user.id

            teacher_page = browser.new_context().new_page()
            own = Journey(teacher_page, live_url, artifacts_dir, "teacher")
            own.log_in(TEACHER_LOGIN)
            own.open("/bookings/list/")
            own.see("Иванов Иван")
            bookings_text = own.body()
            own.shot("teacher_bookings")
            own.open("/slots/list/")
            slots_text = own.body()
            own.shot("teacher_slots")
            own.open(f"/calendar/?date={days[0].isoformat()}")
            teacher_page.locator(".fc-event").first.wait_for(timeout=TIMEOUT)
            calendar_events = teacher_page.locator(".fc-event").count()
            calendar_text = own.body()
            own.shot("teacher_calendar")
        finally:
            browser.close()

    booking = session.scalar(select(Booking).where(Booking.client_id != stranger.id))
    assert booking.slot.teacher.full_name == teacher
    assert "Чужой Клиент" not in bookings_text
    assert "Орлов" not in bookings_text + slots_text + calendar_text
    assert teacher in slots_text
    # Two of the teacher's slots fall in the first day's week view at least.
    assert calendar_events >= 2
    # 45-minute slots from 10:00 to 13:00 around the 11:30-12:00 break.
    assert new_starts == [
        f"{later:%d.%m.%Y} {t} MSK" for t in ("10:00", "10:45", "12:00")
    ]
