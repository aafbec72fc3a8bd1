"""Small builders that make tests read like the scenario they check."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy.orm import Session

from scheduling.models import Client, Slot, Subject, Teacher, TeacherSubject

_ids = itertools.count(1000)


class Factory:
    def __init__(self, session: Session) -> None:
        self.session = session

    def subject(self, name: str | None = None) -> Subject:
        subject = Subject(name=name or f"Предмет {next(_ids)}")
        self.session.add(subject)
        self.session.flush()
        return subject

    def teacher(
        self,
        name: str = "Анна Петровна Смирнова",
        subjects: tuple[Subject, ...] = (),
        telegram: bool = True,
        **kw: Any,
    ) -> Teacher:
        teacher = Teacher(
            full_name=name,
            telegram_user_id=next(_ids) if telegram else None,
            **kw,
        )
        self.session.add(teacher)
        self.session.flush()
        for subject in subjects:
            self.session.add(
                TeacherSubject(teacher_id=teacher.id, subject_id=subject.id)
            )
        self.session.flush()
        return teacher

    def client(
        self, name: str = "Иван Иванов", telegram: bool = True, **kw: Any
    ) -> Client:
        client = Client(
            full_name=name, telegram_user_id=next(_ids) if telegram else None, **kw
        )
        self.session.add(client)
        self.session.flush()
        return client

    def slot(
        self, teacher: Teacher, starts_at: dt.datetime, minutes: int = 60, **kw: Any
    ) -> Slot:
        slot = Slot(
            teacher_id=teacher.id,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=minutes),
            **kw,
        )
        self.session.add(slot)
        self.session.flush()
        return slot
