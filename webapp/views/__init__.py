"""The panel's pages and where they sit in the menu."""

from __future__ import annotations

from flask_appbuilder import AppBuilder
from flask_babel import lazy_gettext as _l

from webapp.views.bookings import BookingView
from webapp.views.broadcasts import BroadcastView
from webapp.views.bulk import BulkScheduleView
from webapp.views.calendar import CalendarView
from webapp.views.history import BookingEventView
from webapp.views.invites import TeacherInviteView
from webapp.views.outbox import DeliveryProblemsView
from webapp.views.people import ClientView, SubjectView, TeacherSubjectView, TeacherView
from webapp.views.reports import register_reports
from webapp.views.slots import SlotView

SCHEDULE, DIRECTORY, REPORTS = "Schedule", "Directory", "Reports"


def register_views(appbuilder: AppBuilder) -> None:
    """Add the domain pages to `appbuilder`, grouped in three menus."""
    schedule = {"category": SCHEDULE, "category_label": _l("Schedule")}
    appbuilder.add_view(
        BookingView, "Bookings", label=_l("Bookings"), icon="fa-book", **schedule
    )
    appbuilder.add_view_no_menu(BookingEventView)
    appbuilder.add_view(
        CalendarView,
        "Calendar",
        label=_l("Calendar"),
        icon="fa-calendar-alt",
        **schedule,
    )
    appbuilder.add_view(
        BulkScheduleView,
        "Bulk scheduling",
        label=_l("Bulk scheduling"),
        icon="fa-calendar-plus",
        **schedule,
    )
    appbuilder.add_view(
        SlotView, "Slots", label=_l("Slots"), icon="fa-calendar", **schedule
    )
    directory = {"category": DIRECTORY, "category_label": _l("Directory")}
    appbuilder.add_view(
        TeacherView,
        "Teachers",
        label=_l("Teachers"),
        icon="fa-chalkboard-teacher",
        **directory,
    )
    appbuilder.add_view_no_menu(TeacherInviteView)
    appbuilder.add_view(
        ClientView, "Clients", label=_l("Clients"), icon="fa-users", **directory
    )
    appbuilder.add_view(
        SubjectView, "Subjects", label=_l("Subjects"), icon="fa-book-open", **directory
    )
    appbuilder.add_view(
        TeacherSubjectView,
        "Teachers' subjects",
        label=_l("Teachers' subjects"),
        icon="fa-link",
        **directory,
    )
    register_reports(appbuilder, REPORTS)
    messages = {"category": "Messages", "category_label": _l("Messages")}
    appbuilder.add_view(
        BroadcastView,
        "Broadcasts",
        label=_l("Broadcasts"),
        icon="fa-bullhorn",
        **messages,
    )
    appbuilder.add_view(
        DeliveryProblemsView,
        "Delivery problems",
        label=_l("Delivery problems"),
        icon="fa-exclamation-triangle",
        **messages,
    )
