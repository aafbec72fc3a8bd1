"""A real browser opens the load report: charts drawn, filters work (Chromium)."""

from __future__ import annotations

import pytest

from tests.reports.conftest import ORLOV, SMIRNOVA
from tests.webapp.conftest import ADMIN
from tests.webapp.test_browser import CHROMIUM, CHROMIUM_ARGS, live_url, pytestmark

__all__ = ["live_url", "pytestmark"]


@pytest.mark.timeout(120)
def test_admin_filters_the_load_report_by_teacher(live_url, centre, artifacts_dir):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{live_url}/login/")
            page.fill("#username", ADMIN[0])
            page.fill("#password", ADMIN[1])
            page.click("input[type=submit], button[type=submit]")
            page.wait_for_load_state()
            page.goto(f"{live_url}/reports/load/?from=2025-09-01&to=2025-09-14")
            drawn = page.eval_on_selector_all(
                "img.report-chart", "imgs => imgs.map(i => i.naturalWidth)"
            )
            page.screenshot(
                path=str(artifacts_dir / "reports_load.png"), full_page=True
            )
            page.select_option("select[name=teacher_id]", label=SMIRNOVA)
            page.click("form.report-filters button[type=submit]")
            page.wait_for_load_state()
            body = page.inner_text("body")
        finally:
            browser.close()

    assert drawn == [800, 800]  # both charts loaded, 8 in at 100 dpi
    assert "преподаватель: " + SMIRNOVA in body
    assert ORLOV not in body.split("Отбор")[-1]
