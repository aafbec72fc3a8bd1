"""Put people's and subjects' names in place of the ids the SQL groups by."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from reports.base import NO_SUBJECT
from scheduling.models import Client, Subject, Teacher

NAME_OF = {
    "teacher": (Teacher, Teacher.full_name),
    "subject": (Subject, Subject.name),
    "client": (Client, Client.full_name),
}


def name_columns(
    session: Session, table: pd.DataFrame, key: str, name: str
) -> pd.DataFrame:
    """`table` with a `name` column for the ids in `key`, sorted by that name.

    Only the ids present are looked up, so a per-client table of a big centre
    reads just its own clients' names.
    """
    model, column = NAME_OF[name]
    ids = [int(i) for i in table[key].dropna().unique()]
    names = (
        dict(session.execute(select(model.id, column).where(model.id.in_(ids))).all())
        if ids
        else {}
    )
    missing = NO_SUBJECT[0] if name == "subject" else ""
    named = table.copy()
    named[name] = [
        names.get(int(i), f"#{int(i)}") if pd.notna(i) else missing for i in named[key]
    ]
    return named.sort_values([name, key], na_position="last").reset_index(drop=True)
