"""Teachers, clients, subjects and who teaches what."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask.typing import ResponseReturnValue
from flask_appbuilder.actions import action
from flask_appbuilder.fields import QuerySelectMultipleField
from flask_appbuilder.fieldwidgets import Select2ManyWidget
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Optional, ValidationError

from scheduling.errors import RuleError
from scheduling.labels import LANGUAGE, label
from scheduling.models import Client, Subject, Teacher, TeacherSubject
from scheduling.people import normalize_phone
from scheduling.subjects import set_teacher_subjects
from webapp.extensions import db
from webapp.i18n import current_lang
from webapp.localtime import format_local
from webapp.roles import CLIENT, TEACHER
from webapp.views.base import READ, EagerInterface, SlotbookModelView
from webapp.views.formatters import optional, yes_no
from webapp.views.invites import ACTION_LABEL, invite_from_teacher_page
from webapp.views.web_logins import FIELD as LOGIN
from webapp.views.web_logins import apply_login, login_field, prefill_login

PERSON_LABELS = {
    "full_name": _l("Full name"),
    "phone": _l("Phone"),
    "email": _l("Email"),
    "telegram_user_id": _l("Telegram ID"),
    "language": _l("Language"),
    "timezone": _l("Timezone"),
    "is_active": _l("Active"),
    "subjects": _l("Subjects"),
    "created_at": _l("Created"),
}


def language_choices() -> list[tuple[str, str]]:
    return [(code, label(LANGUAGE, code, current_lang())) for code in LANGUAGE]


def known_timezone(form: Any, field: Any) -> None:
    """A WTForms validator: the zone must exist (e.g. Europe/Moscow)."""
    if not field.data:
        return
    try:
        ZoneInfo(field.data)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _l("Unknown timezone; use a name like Europe/Moscow.")
        ) from exc


def valid_phone(form: Any, field: Any) -> None:
    """A WTForms validator: a phone libphonenumber can read, stored in E.164.

    The bot links a client who shares their phone to the record staff
    entered with it, so the panel keeps phones in the form the bot compares.
    """
    if not field.data:
        return
    try:
        field.data = normalize_phone(field.data)
    except RuleError as exc:
        raise ValidationError(
            _l("Not a phone number; type it with the country code: +7 900 123-45-67.")
        ) from exc


def language_field() -> SelectField:
    return SelectField(_l("Language"), choices=language_choices, default="ru")


def timezone_field() -> StringField:
    return StringField(
        _l("Timezone"),
        validators=[Optional(), known_timezone],
        description=_l("Empty means the centre's timezone."),
    )


def blank_to_none(person: Teacher | Client) -> None:
    """Store an empty optional field as NULL, not as an empty string."""
    for name in ("phone", "email", "timezone"):
        if hasattr(person, name) and getattr(person, name) == "":
            setattr(person, name, None)


def subject_names(links: list[TeacherSubject]) -> str:
    return ", ".join(sorted(link.subject.name for link in links))


class PersonView(SlotbookModelView):
    """Fields teachers and clients share."""

    label_columns = PERSON_LABELS
    validators_columns = {"phone": [Optional(), valid_phone]}
    formatters_columns = {
        "language": lambda code: label(LANGUAGE, code, current_lang()),
        "created_at": format_local,
        "phone": optional,
        "email": optional,
        "telegram_user_id": optional,
        "timezone": optional,
        "is_active": yes_no,
    }

    def pre_add(self, item: Any) -> None:
        blank_to_none(item)
        apply_login(item)
        super().pre_add(item)

    def pre_update(self, item: Any) -> None:
        blank_to_none(item)
        apply_login(item)
        super().pre_update(item)

    def prefill_form(self, form: Any, pk: Any) -> None:
        prefill_login(form, self.datamodel.get(pk))


def subjects_field() -> QuerySelectMultipleField:
    """All subjects, several may be picked (the teacher-subject links)."""
    return QuerySelectMultipleField(
        _l("Subjects"),
        query_func=lambda: db.session.query(Subject).order_by(Subject.name),
        get_pk_func=lambda subject: subject.id,
        get_label="name",
        widget=Select2ManyWidget(),
        description=_l("What the teacher teaches; clients book these subjects."),
    )


SUBJECTS_FIELD = "subject_choices"


class TeacherView(PersonView):
    """Teachers of the centre."""

    route_base = "/teachers"

    datamodel = EagerInterface(
        Teacher,
        [selectinload(Teacher.subjects).joinedload(TeacherSubject.subject)],
    )
    granted_to = {"Coordinator": None}
    list_title = show_title = _l("Teachers")
    add_title = _l("Add teacher")
    edit_title = _l("Edit teacher")
    list_columns = ["full_name", "subjects", "phone", "telegram_user_id", "is_active"]
    order_columns = ["full_name", "telegram_user_id", "is_active"]
    search_columns = ["full_name", "phone", "email", "telegram_user_id", "is_active"]
    base_order = ("full_name", "asc")
    show_columns = [
        "full_name",
        "subjects",
        "phone",
        "email",
        "telegram_user_id",
        "language",
        "timezone",
        "is_active",
        "created_at",
    ]
    # No Telegram ID here: a teacher's account is bound only by an invite link
    # (the "Bot invite link" button), never typed in.
    add_columns = edit_columns = [
        "full_name",
        SUBJECTS_FIELD,
        "phone",
        "email",
        "language",
        "timezone",
        "is_active",
        LOGIN,
    ]
    formatters_columns = {**PersonView.formatters_columns, "subjects": subject_names}
    add_form_extra_fields = {
        "language": language_field(),
        "timezone": timezone_field(),
        "is_active": BooleanField(_l("Active"), default=True),
        LOGIN: login_field(Teacher, TEACHER),
        SUBJECTS_FIELD: subjects_field(),
    }
    edit_form_extra_fields = {
        "language": language_field(),
        "timezone": timezone_field(),
        LOGIN: login_field(Teacher, TEACHER),
        SUBJECTS_FIELD: subjects_field(),
    }

    def pre_add(self, item: Any) -> None:
        chosen = vars(item).pop(SUBJECTS_FIELD, None)
        super().pre_add(item)  # flushed: the new teacher has its id
        self._set_subjects(item, chosen)

    def pre_update(self, item: Any) -> None:
        chosen = vars(item).pop(SUBJECTS_FIELD, None)
        super().pre_update(item)
        self._set_subjects(item, chosen)

    def _set_subjects(self, item: Teacher, chosen: list[Subject] | None) -> None:
        if chosen is None:
            return
        set_teacher_subjects(self.datamodel.session, item.id, {s.id for s in chosen})

    def prefill_form(self, form: Any, pk: Any) -> None:
        super().prefill_form(form, pk)
        teacher = self.datamodel.get(pk)
        if teacher is not None:
            getattr(form, SUBJECTS_FIELD).data = [
                link.subject for link in teacher.subjects
            ]

    @action("invite", ACTION_LABEL, icon="fa-link", multiple=False)
    def invite(self, items: Any) -> ResponseReturnValue:
        """The teacher's one-time link to the Telegram bot (webapp.views.invites)."""
        return invite_from_teacher_page(items)


class ClientView(PersonView):
    """Students and parents who book lessons."""

    route_base = "/clients"

    datamodel = EagerInterface(Client)
    granted_to = {"Coordinator": None}
    list_title = show_title = _l("Clients")
    add_title = _l("Add client")
    edit_title = _l("Edit client")
    list_columns = ["full_name", "phone", "telegram_user_id", "language", "created_at"]
    order_columns = ["full_name", "telegram_user_id", "created_at"]
    search_columns = ["full_name", "phone", "telegram_user_id"]
    base_order = ("full_name", "asc")
    show_columns = [
        "full_name",
        "phone",
        "telegram_user_id",
        "language",
        "timezone",
        "created_at",
    ]
    add_columns = edit_columns = [
        "full_name",
        "phone",
        "telegram_user_id",
        "language",
        "timezone",
        LOGIN,
    ]
    add_form_extra_fields = edit_form_extra_fields = {
        "language": language_field(),
        "timezone": timezone_field(),
        LOGIN: login_field(Client, CLIENT),
    }


class SubjectView(SlotbookModelView):
    """Subjects the centre teaches."""

    route_base = "/subjects"

    datamodel = EagerInterface(Subject)
    granted_to = {"Coordinator": None, "Teacher": READ}
    list_title = show_title = _l("Subjects")
    add_title = _l("Add subject")
    edit_title = _l("Edit subject")
    label_columns = {"name": _l("Subject"), "created_at": _l("Created")}
    list_columns = ["name"]
    show_columns = ["name", "created_at"]
    add_columns = edit_columns = ["name"]
    search_columns = ["name"]
    base_order = ("name", "asc")
    formatters_columns = {"created_at": format_local}


class TeacherSubjectView(SlotbookModelView):
    """Which teacher teaches which subject; each pair once."""

    route_base = "/teacher-subjects"

    datamodel = EagerInterface(
        TeacherSubject,
        [joinedload(TeacherSubject.teacher), joinedload(TeacherSubject.subject)],
    )
    granted_to = {"Coordinator": None}
    list_title = show_title = _l("Teachers' subjects")
    add_title = _l("Add a subject to a teacher")
    edit_title = _l("Edit teacher's subject")
    label_columns = {"teacher": _l("Teacher"), "subject": _l("Subject")}
    list_columns = show_columns = add_columns = edit_columns = ["teacher", "subject"]
    search_columns = ["teacher", "subject"]
    base_order = ("id", "desc")
