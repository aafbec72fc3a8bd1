"""Cell formatters for lists and detail pages (FAB prints None and True as is)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


def optional(value: Any) -> str:
    """An empty cell for a missing value."""
    return "" if value is None else str(value)


def yes_no(value: bool | None) -> str:
    """'да' / 'нет' (or yes / no) for a flag."""
    if value is None:
        return ""
    return _("yes") if value else _("no")


# Role names are identifiers in the database (and in permissions); people read
# these words instead.
ROLE_LABELS = {
    "Admin": _l("Administrator"),
    "Coordinator": _l("Coordinator"),
    "Teacher": _l("Teacher"),
    "Client": _l("Client"),
    "Public": _l("Anonymous visitor"),
}


def role_names(roles: Iterable[Any] | None) -> str:
    """A user's roles as words in the page's language, e.g. 'Координатор'."""
    return ", ".join(str(ROLE_LABELS.get(r.name, r.name)) for r in roles or ())


def names(rows: Iterable[Any] | None) -> str:
    """Related rows by name, comma-separated; empty for none."""
    return ", ".join(str(getattr(r, "name", r)) for r in rows or ())
