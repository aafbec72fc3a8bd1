"""A real browser logs in and sees a booking in the list (Debian's Chromium)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from scheduling.booking import Actor, book
from tests.webapp.conftest import ADMIN
from tests.webapp.helpers import days_ahead_at

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None,
    reason=f"Debian's chromium is not at {CHROMIUM} (apt-get install chromium)",
)


@pytest.fixture
def live_url(app) -> Iterator[str]:
    """The panel served on a free local port for the duration of the test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_admin_logs_in_and_sees_a_booking_in_the_list(
    live_url, session, factory, artifacts_dir
):
    from playwright.sync_api import sync_playwright

    teacher = factory.teacher("Смирнова Анна Петровна")
    pupil = factory.client("Иванов Иван")
    slot = factory.slot(teacher, days_ahead_at(2, 7))
    book(
        session,
        slot_id=slot.id,
        client_id=pupil.id,
        actor=Actor("client", pupil.id, "bot"),
    )
    session.commit()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{live_url}/login/")
            page.fill("#username", ADMIN[0])
            page.fill("#password", ADMIN[1])
            page.click("input[type=submit], button[type=submit]")
            page.wait_for_load_state()
            page.goto(f"{live_url}/bookings/list/")
            page.get_by_text("Иванов Иван").first.wait_for(timeout=10_000)
            page.screenshot(path=str(artifacts_dir / "webapp_bookings_list.png"))
            body = page.inner_text("body")
        finally:
            browser.close()

    assert "Иванов Иван" in body
    assert "Смирнова Анна Петровна" in body
    assert f"{days_ahead_at(2, 7):%d.%m.%Y} 10:00 MSK" in body
    assert "записан" in body
