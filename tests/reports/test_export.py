"""Reports as CSV, JSON and PDF: read back and compared with the tables."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from pypdf import PdfReader

from reports.attendance import attendance_report
from reports.export import display_table, report_csv, report_json, report_pdf
from reports.load import load_report
from reports.overview import overview_report
from tests.reports.conftest import MOSCOW, ORLOV, SMIRNOVA


def read_csv(content: bytes, sep: str) -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(content),
        sep=sep,
        encoding="utf-8-sig",
        decimal="," if sep == ";" else ".",
        dtype={"неделя с": str, "дата": str},
    )


def pdf_text(content: bytes) -> str:
    return "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(content)).pages
    )


@pytest.mark.parametrize("sep", [";", ","])
def test_load_csv_starts_with_a_bom_and_reads_back_to_the_table(session, centre, sep):
    report = load_report(session, centre.query())
    content = report_csv(report, "teacher", sep=sep)
    assert content.startswith(b"\xef\xbb\xbf")
    frame = read_csv(content, sep)
    assert list(frame.columns) == [
        "преподаватель",
        "часов предложено",
        "часов занято",
        "часов проведено",
        "загрузка, %",
    ]
    pd.testing.assert_frame_equal(frame, display_table(report, "teacher"))


def test_semicolon_csv_writes_decimal_commas_for_russian_excel(session, centre):
    content = report_csv(load_report(session, centre.query()), "teacher", sep=";")
    assert f"{SMIRNOVA};5,5;4,0;1,0;72,7" in content.decode("utf-8-sig")


def test_attendance_week_csv_shows_local_dates_and_english_headers_on_request(
    session, centre
):
    report = attendance_report(session, centre.query())
    text = report_csv(report, "week", sep=",", lang="en").decode("utf-8-sig")
    assert text.splitlines()[0].startswith("week from,bookings,attended,no-show")
    assert text.splitlines()[1] == "01.09.2025,5,3,1,0,1,0,25.0"


def test_csv_of_an_unknown_table_or_separator_is_refused(session, centre):
    report = load_report(session, centre.query())
    with pytest.raises(ValueError):
        report_csv(report, "client")
    with pytest.raises(ValueError):
        report_csv(report, "teacher", sep="|")


def test_json_has_period_filters_and_every_table(session, centre):
    data = report_json(attendance_report(session, centre.query()))
    assert data["period"] == {
        "from": "2025-09-01",
        "to": "2025-09-14",
        "timezone": "Europe/Moscow",
    }
    assert set(data["tables"]) == {"teacher", "subject", "client", "week", "total"}
    assert data["tables"]["week"][0]["week"] == "2025-09-01"
    assert data["tables"]["total"] == [
        {
            "bookings": 9,
            "attended": 3,
            "no_show": 2,
            "cancelled_in_time": 1,
            "cancelled_late": 2,
            "upcoming": 1,
            "no_show_rate_pct": 40.0,
        }
    ]


def test_load_pdf_reads_back_with_russian_headings_and_teachers(session, centre):
    report = load_report(session, centre.query(subject_id=centre.subjects["Физика"]))
    content = report_pdf(report)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for expected in (
        "Нагрузка преподавателей",
        "01.09.2025 – 14.09.2025 (Europe/Moscow)",
        "предмет: Физика",
        "По преподавателям",
        "часов предложено",
        SMIRNOVA,
        "Загрузка преподавателей, %",
    ):
        assert expected in text, expected


def test_attendance_pdf_embeds_dejavu_and_lists_every_teacher(session, centre):
    steps = []
    content = report_pdf(
        attendance_report(session, centre.query()), progress=steps.append
    )
    text = pdf_text(content)
    for expected in ("Посещаемость", "По клиентам", "отменено поздно", ORLOV, SMIRNOVA):
        assert expected in text, expected
    assert b"DejaVuSans" in content
    assert b"/FontFile2" in content  # the TrueType font itself is inside
    assert steps[-1] == 1.0 and steps == sorted(steps)


def test_overview_pdf_in_english(session, centre):
    text = pdf_text(report_pdf(overview_report(session, centre.query()), lang="en"))
    for expected in (
        "Bookings overview",
        "By weekday and hour",
        "Busiest hours",
        "Mon",
    ):
        assert expected in text, expected


def test_english_tables_name_the_missing_subject_in_english(session, centre, factory):
    # A teacher who teaches no subject leaves hours without one.
    newcomer = factory.teacher("Новиков Олег")
    factory.slot(newcomer, dt.datetime(2025, 9, 4, 10, tzinfo=MOSCOW), 60)
    session.flush()
    table = display_table(load_report(session, centre.query()), "subject", "en")
    assert table["subject"].tolist() == ["Математика", "Физика", "no subject"]
