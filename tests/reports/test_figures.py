"""Every figure of the three reports against the hand-checked centre (conftest)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from reports.attendance import attendance_report
from reports.base import ReportQuery
from reports.load import load_report
from reports.overview import overview_report
from scheduling.models import Booking
from tests.reports.conftest import (
    IVANOV,
    MOSCOW,
    ORLOV,
    PETROVA,
    SIDOROV,
    SMIRNOVA,
)

MON1, MON2 = dt.date(2025, 9, 1), dt.date(2025, 9, 8)


def rows(frame) -> list[list]:
    return frame.values.tolist()


def test_load_per_teacher_counts_open_and_booked_slots_in_local_dates(session, centre):
    report = load_report(session, centre.query())
    # offered, booked, attended hours, utilisation %
    assert rows(report.tables["teacher"]) == [
        [ORLOV, 4.0, 1.0, 1.0, 25.0],
        [SMIRNOVA, 5.5, 4.0, 1.0, 72.7],
    ]


def test_load_per_subject_takes_the_bookings_subject_for_a_plain_slot(session, centre):
    report = load_report(session, centre.query())
    # A2 (no subject) counts as physics through Petrova's booking. The free
    # any-subject slots are shared among what their teacher teaches: A3's
    # 1.5 h as 0.75 maths + 0.75 physics (Smirnova teaches both), B4's 1 h
    # as maths (Orlov teaches maths only).
    assert rows(report.tables["subject"]) == [
        ["Математика", 7.75, 4.0, 2.0, 51.6],
        ["Физика", 1.75, 1.0, 0.0, 57.1],
    ]
    offered = report.tables["subject"]["offered_hours"].sum()
    assert offered == report.tables["total"]["offered_hours"][0] == 9.5


def test_hours_of_a_teacher_without_subjects_stay_without_subject(
    session, centre, factory
):
    newcomer = factory.teacher("Новиков Олег")
    factory.slot(newcomer, dt.datetime(2025, 9, 4, 10, tzinfo=MOSCOW), 60)
    session.flush()
    report = load_report(session, centre.query())
    assert rows(report.tables["subject"])[-1] == ["без предмета", 1.0, 0.0, 0.0, 0.0]


def test_load_per_week_and_total(session, centre):
    report = load_report(session, centre.query())
    assert rows(report.tables["week"]) == [
        [MON1, 6.5, 3.0, 2.0, 46.2],
        [MON2, 3.0, 2.0, 0.0, 66.7],
    ]
    assert rows(report.tables["total"]) == [[9.5, 5.0, 2.0, 52.6]]


def test_load_filtered_by_teacher(session, centre):
    report = load_report(session, centre.query(teacher_id=centre.teachers[SMIRNOVA]))
    assert rows(report.tables["teacher"]) == [[SMIRNOVA, 5.5, 4.0, 1.0, 72.7]]
    assert rows(report.tables["total"]) == [[5.5, 4.0, 1.0, 72.7]]
    assert report.filters == {"teacher": SMIRNOVA}


def test_load_filtered_by_subject(session, centre):
    report = load_report(session, centre.query(subject_id=centre.subjects["Физика"]))
    assert rows(report.tables["teacher"]) == [[SMIRNOVA, 1.75, 1.0, 0.0, 57.1]]


def test_attendance_per_teacher_separates_late_and_timely_cancellations(
    session, centre
):
    report = attendance_report(session, centre.query())
    # bookings, attended, no-show, cancelled in time, late, not marked, rate %
    assert rows(report.tables["teacher"]) == [
        [ORLOV, 4, 2, 0, 0, 2, 0, 0.0],
        [SMIRNOVA, 5, 1, 2, 1, 0, 1, 66.7],
    ]


def test_attendance_per_subject_client_and_week(session, centre):
    report = attendance_report(session, centre.query())
    assert rows(report.tables["subject"]) == [
        ["Математика", 8, 3, 1, 1, 2, 1, 25.0],
        ["Физика", 1, 0, 1, 0, 0, 0, 100.0],
    ]
    assert rows(report.tables["client"]) == [
        [IVANOV, 3, 2, 0, 1, 0, 0, 0.0],
        [PETROVA, 3, 0, 1, 0, 1, 1, 100.0],
        [SIDOROV, 3, 1, 1, 0, 1, 0, 50.0],
    ]
    assert rows(report.tables["week"]) == [
        [MON1, 5, 3, 1, 0, 1, 0, 25.0],
        [MON2, 4, 0, 1, 1, 1, 1, 100.0],
    ]
    assert rows(report.tables["total"]) == [[9, 3, 2, 1, 2, 1, 40.0]]


def test_history_late_flag_wins_over_the_current_cutoff(session, centre):
    # Ivanov cancelled A5 one hour before with a 3-hour cutoff today, but the
    # history says the cutoff then let him: it counts as in time.
    report = attendance_report(
        session, centre.query(teacher_id=centre.teachers[SMIRNOVA])
    )
    assert rows(report.tables["client"])[0] == [IVANOV, 2, 1, 0, 1, 0, 0, 0.0]


def test_attendance_filtered_by_subject(session, centre):
    report = attendance_report(
        session, centre.query(subject_id=centre.subjects["Физика"])
    )
    assert rows(report.tables["total"]) == [[1, 0, 1, 0, 0, 0, 100.0]]
    assert rows(report.tables["client"]) == [[PETROVA, 1, 0, 1, 0, 0, 0, 100.0]]


def test_overview_counts_active_bookings_per_day_subject_and_hour(session, centre):
    report = overview_report(session, centre.query())
    per_day = dict(rows(report.tables["day"]))
    assert len(per_day) == 14
    assert {d: n for d, n in per_day.items() if n} == {
        dt.date(2025, 9, 1): 2,
        dt.date(2025, 9, 3): 2,
        dt.date(2025, 9, 8): 1,
        dt.date(2025, 9, 9): 1,
    }
    assert rows(report.tables["subject"]) == [["Математика", 5], ["Физика", 1]]
    # ISO weekday (1 = Monday), local hour, bookings
    assert rows(report.tables["hour"]) == [
        [1, 10, 2],
        [1, 11, 1],
        [2, 10, 1],
        [3, 15, 2],
    ]


def test_an_empty_period_gives_zero_totals(session, centre):
    query = ReportQuery(dt.date(2024, 1, 1), dt.date(2024, 1, 31), MOSCOW)
    assert rows(load_report(session, query).tables["total"]) == [[0.0, 0.0, 0.0, 0.0]]
    attendance = attendance_report(session, query)
    assert rows(attendance.tables["total"]) == [[0, 0, 0, 0, 0, 0, 0.0]]
    assert attendance.tables["teacher"].empty
    assert overview_report(session, query).tables["day"]["bookings"].sum() == 0


def test_a_reversed_or_too_long_period_is_refused():
    with pytest.raises(ValueError):
        ReportQuery(dt.date(2025, 9, 2), dt.date(2025, 9, 1), MOSCOW)
    with pytest.raises(ValueError):
        ReportQuery(dt.date(2024, 1, 1), dt.date(2025, 1, 1), MOSCOW)


def test_hours_and_weeks_follow_the_centres_zone_across_a_dst_change(session, factory):
    berlin = ZoneInfo("Europe/Berlin")
    teacher = factory.teacher("Шульц Анна")
    client = factory.client("Мюллер Ян")
    # 10:00 in Berlin both times: UTC+2 on Friday 24.10, UTC+1 on Monday 27.10.
    for day in (24, 27):
        slot = factory.slot(teacher, dt.datetime(2025, 10, day, 10, tzinfo=berlin))
        session.add(
            Booking(
                slot_id=slot.id,
                client_id=client.id,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                status="attended",
            )
        )
    session.commit()
    query = ReportQuery(dt.date(2025, 10, 20), dt.date(2025, 11, 2), berlin)
    assert rows(overview_report(session, query).tables["hour"]) == [
        [1, 10, 1],
        [5, 10, 1],
    ]
    weeks = rows(attendance_report(session, query).tables["week"])
    assert [(week, count) for week, count, *_ in weeks] == [
        (dt.date(2025, 10, 20), 1),
        (dt.date(2025, 10, 27), 1),
    ]
