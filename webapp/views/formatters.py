"""Cell formatters for lists and detail pages (FAB prints None and True as is)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _


def optional(value: Any) -> str:
    """An empty cell for a missing value."""
    return "" if value is None else str(value)


def yes_no(value: bool | None) -> str:
    """'да' / 'нет' (or yes / no) for a flag."""
    if value is None:
        return ""
    return _("yes") if value else _("no")
