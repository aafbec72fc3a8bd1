"""Reading a row id typed by a person or sent in an address."""

from __future__ import annotations

import re

# Ids are PostgreSQL `integer` columns.
MAX_ID = 2**31 - 1
DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(raw: object) -> int | None:
    """The id written in `raw`, or None when it cannot be one.

    Only ASCII digits count ("²" passes str.isdigit() but not int()), and
    only numbers the column can hold (a larger one is an error in SQL).
    """
    text = str(raw if raw is not None else "").strip()
    if not DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
