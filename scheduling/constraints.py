"""Database constraint violations explained to a person.

The database guards the invariants (no overlapping slots, one pair of teacher
and subject, no deleting what bookings refer to). When a plain insert, update
or delete from the admin panel trips one, `explain_integrity_error` turns the
driver's error into a `ConstraintError` with a Russian and English message.
"""

from __future__ import annotations

import logging

from psycopg import errors as pg_errors
from sqlalchemy.exc import IntegrityError

from scheduling.errors import ConflictError

logger = logging.getLogger(__name__)

# constraint name -> (Russian, English)
CONSTRAINT_MESSAGES: dict[str, tuple[str, str]] = {
    "slots_no_overlap": (
        "У преподавателя уже есть слот в это время.",
        "The teacher already has a slot at this time.",
    ),
    "uq_teacher_subjects_teacher_id": (
        "Этот преподаватель уже ведёт этот предмет.",
        "This teacher already teaches this subject.",
    ),
    "uq_subjects_name": (
        "Предмет с таким названием уже есть.",
        "A subject with this name already exists.",
    ),
    "uq_teachers_telegram_user_id": (
        "Этот Telegram ID уже у другого преподавателя.",
        "Another teacher already has this Telegram ID.",
    ),
    "uq_clients_telegram_user_id": (
        "Этот Telegram ID уже у другого клиента.",
        "Another client already has this Telegram ID.",
    ),
    "ck_slots_positive_length": (
        "Конец слота должен быть позже начала.",
        "The slot must end after it starts.",
    ),
    "ck_slots_capacity_positive": (
        "Вместимость слота — не меньше 1.",
        "A slot's capacity must be at least 1.",
    ),
    "ck_slots_capacity": (
        "Вместимость не может быть меньше числа уже записанных.",
        "The capacity cannot be lower than the number of bookings already made.",
    ),
    "ck_slots_status": (
        "Неизвестный статус слота.",
        "Unknown slot status.",
    ),
}

# SQLSTATE class -> (Russian, English), when the constraint has no own message.
GENERIC_MESSAGES: dict[type[Exception], tuple[str, str]] = {
    pg_errors.ForeignKeyViolation: (
        "Запись связана с другими данными (слотами, записями или предметами), "
        "поэтому её нельзя удалить или изменить так.",
        "This record is referred to by other data (slots, bookings or subjects), "
        "so it cannot be deleted or changed this way.",
    ),
    # PostgreSQL 18 (the embedded server) reports ON DELETE RESTRICT as
    # restrict_violation (23001) instead of foreign_key_violation (23503).
    pg_errors.RestrictViolation: (
        "Запись связана с другими данными (слотами, записями или предметами), "
        "поэтому её нельзя удалить или изменить так.",
        "This record is referred to by other data (slots, bookings or subjects), "
        "so it cannot be deleted or changed this way.",
    ),
    pg_errors.UniqueViolation: (
        "Такая запись уже существует.",
        "Such a record already exists.",
    ),
    pg_errors.ExclusionViolation: (
        "Пересекается по времени с уже существующей записью.",
        "This overlaps in time with an existing record.",
    ),
    pg_errors.CheckViolation: (
        "Значения не проходят проверку: проверьте поля формы.",
        "The values do not pass validation: please check the form.",
    ),
    pg_errors.NotNullViolation: (
        "Не заполнено обязательное поле.",
        "A required field is empty.",
    ),
}

FALLBACK = (
    "Не удалось сохранить изменения: данные противоречат друг другу.",
    "The change could not be saved: the data contradicts itself.",
)


class ConstraintError(ConflictError):
    """A write was refused by a database constraint."""

    code = "constraint"

    def __init__(self, constraint: str, texts: tuple[str, str]) -> None:
        self.texts = texts
        super().__init__(constraint=constraint)

    def message(self, lang: str = "ru") -> str:
        """The explanation in `lang` (Russian unless 'en')."""
        ru, en = self.texts
        return en if (lang or "").startswith("en") else ru


def explain_integrity_error(exc: IntegrityError) -> ConstraintError:
    """The ConstraintError a person should see for a violated constraint."""
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    constraint = getattr(diag, "constraint_name", None) or ""
    texts = CONSTRAINT_MESSAGES.get(constraint)
    if texts is None:
        texts = next(
            (t for kind, t in GENERIC_MESSAGES.items() if isinstance(orig, kind)),
            FALLBACK,
        )
    logger.info(
        "write refused by constraint=%s sqlstate=%s",
        constraint or "-",
        getattr(orig, "sqlstate", "-"),
    )
    return ConstraintError(constraint, texts)
