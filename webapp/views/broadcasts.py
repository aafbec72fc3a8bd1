"""Broadcasts in the panel: write, pick recipients, see the count, send, follow.

The page does HTTP only; `scheduling.broadcasts` validates, counts and fans
out. Small audiences are queued in the request; larger ones by an RQ job,
and if Redis is down the tick picks the broadcast up a minute later.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import abort, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import BaseView, expose, has_access, permission_name
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from scheduling.broadcasts import (
    INLINE_FANOUT_LIMIT,
    MAX_TEXT_LENGTH,
    create_broadcast,
    delivery_state,
    fan_out,
    preview_count,
    progress,
    stop_broadcast,
)
from scheduling.errors import SchedulingError
from scheduling.models import Broadcast, Client, OutboxMessage, Subject, Teacher
from webapp.extensions import db
from webapp.i18n import current_lang
from webapp.localtime import centre_tz, format_local

logger = logging.getLogger(__name__)

AUDIENCES = [
    ("all_clients", _l("All clients")),
    ("all_teachers", _l("All teachers")),
    ("subject_clients", _l("Clients of a subject")),
    ("teacher_clients", _l("Clients of a teacher")),
    ("period_clients", _l("Clients with lessons in a period")),
]
STATES = {
    "waiting": _l("Waiting"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "blocked": _l("Blocked the bot"),
    "skipped": _l("Not sent"),
}
RECIPIENTS_SHOWN = 1000


def _optional_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class BroadcastForm(FlaskForm):
    """The message and its recipients."""

    text = TextAreaField(
        _l("Message"), validators=[InputRequired(), Length(max=MAX_TEXT_LENGTH)]
    )
    audience = SelectField(_l("Recipients"), choices=AUDIENCES)
    # Only one of these matters, depending on the audience; the domain checks it.
    subject_id = SelectField(_l("Subject"), coerce=_optional_int, validate_choice=False)
    teacher_id = SelectField(_l("Teacher"), coerce=_optional_int, validate_choice=False)
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def spec(self) -> dict[str, Any]:
        """The audience spec for `scheduling.recipients`."""
        return {
            "kind": self.audience.data,
            "subject_id": self.subject_id.data,
            "teacher_id": self.teacher_id.data,
            "date_from": self.date_from.data,
            "date_to": self.date_to.data,
        }


def _choices(form: BroadcastForm) -> BroadcastForm:
    session = db.session
    form.subject_id.choices = [
        (s.id, s.name) for s in session.scalars(select(Subject).order_by(Subject.name))
    ]
    form.teacher_id.choices = [
        (t.id, t.full_name)
        for t in session.scalars(select(Teacher).order_by(Teacher.full_name))
    ]
    return form


def _enqueue_fan_out(broadcast_id: int) -> bool:
    """Hand a large fan-out to the worker; False if Redis is unavailable."""
    # Imported here: the web process needs RQ only for this.
    from rq import Queue

    from jobs.runtime import QUEUE_NAME, redis_connection
    from jobs.tasks import fan_out_broadcast

    try:
        queue = Queue(QUEUE_NAME, connection=redis_connection())
        queue.enqueue(fan_out_broadcast, broadcast_id, job_timeout=600)
    # Redis down or not configured: the tick fans the broadcast out later.
    except Exception:  # noqa: BLE001
        logger.warning("broadcast job not queued id=%s; the tick will", broadcast_id)
        return False
    return True


class BroadcastView(BaseView):
    """Broadcasts for admins and coordinators."""

    route_base = "/broadcasts"
    default_view = "list"
    granted_to = {"Coordinator": None}

    @expose("/")
    @has_access
    @permission_name("list")
    def list(self) -> ResponseReturnValue:
        """Recent broadcasts with their progress."""
        rows = db.session.scalars(
            select(Broadcast).order_by(Broadcast.id.desc()).limit(50)
        ).all()
        items = [(b, progress(db.session, b.id)) for b in rows]
        return self.render_template(
            "slotbook/broadcasts.html",
            title=_l("Broadcasts"),
            items=items,
            format_local=format_local,
        )

    @expose("/new", methods=["GET", "POST"])
    @has_access
    @permission_name("send")
    def new(self) -> ResponseReturnValue:
        """The form; 'count' shows how many it reaches, 'send' queues it."""
        form = _choices(BroadcastForm())
        count, status = None, 200
        if request.method == "POST":
            if not form.validate():
                status = 400
            else:
                try:
                    count = preview_count(db.session, form.spec())
                    if request.form.get("action") == "send":
                        return self._send(form)
                except SchedulingError as err:
                    flash(err.message(current_lang()), "danger")
                    status = err.http_status
        body = self.render_template(
            "slotbook/broadcast_form.html",
            title=_l("New broadcast"),
            form=form,
            count=count,
            timezone=centre_tz().key,
        )
        return body, status

    def _send(self, form: BroadcastForm) -> ResponseReturnValue:
        user = g.user
        broadcast = create_broadcast(
            db.session,
            text=form.text.data,
            audience=form.spec(),
            created_by=getattr(user, "username", "") or f"user:{user.id}",
        )
        large = preview_count(db.session, broadcast.audience) > INLINE_FANOUT_LIMIT
        if not large:
            fan_out(db.session, broadcast.id, centre_tz())
        db.session.commit()
        if large:
            _enqueue_fan_out(broadcast.id)
        flash(_l("The broadcast is queued."), "success")
        return redirect(url_for("BroadcastView.show", broadcast_id=broadcast.id))

    @expose("/<int:broadcast_id>")
    @has_access
    @permission_name("list")
    def show(self, broadcast_id: int) -> ResponseReturnValue:
        """Progress and per-recipient delivery of one broadcast."""
        broadcast = db.session.get(Broadcast, broadcast_id)
        if broadcast is None:
            abort(404)
        names = {}
        for model in (Client, Teacher):
            names.update(
                db.session.execute(
                    select(model.telegram_user_id, model.full_name).where(
                        model.telegram_user_id.in_(
                            select(OutboxMessage.chat_id).where(
                                OutboxMessage.broadcast_id == broadcast_id
                            )
                        )
                    )
                ).all()
            )
        rows = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.broadcast_id == broadcast_id)
            .order_by(OutboxMessage.id)
            .limit(RECIPIENTS_SHOWN)
        ).all()
        recipients = [
            (names.get(row.chat_id, row.chat_id), STATES[delivery_state(row)], row)
            for row in rows
        ]
        return self.render_template(
            "slotbook/broadcast.html",
            title=_l("Broadcast"),
            broadcast=broadcast,
            progress=progress(db.session, broadcast_id),
            recipients=recipients,
            shown=RECIPIENTS_SHOWN,
            audience=dict(AUDIENCES).get(broadcast.audience["kind"]),
            format_local=format_local,
            form=FlaskForm(),
        )

    @expose("/<int:broadcast_id>/stop", methods=["POST"])
    @has_access
    @permission_name("send")
    def stop(self, broadcast_id: int) -> ResponseReturnValue:
        """Cancel the messages of a broadcast that have not gone out yet."""
        if not FlaskForm().validate_on_submit():
            flash(_l("The form has expired"), "danger")
        else:
            try:
                cancelled = stop_broadcast(db.session, broadcast_id)
            except SchedulingError:
                abort(404)
            db.session.commit()
            flash(
                _l(
                    "Broadcast stopped; %(count)s messages will not be sent.",
                    count=cancelled,
                ),
                "success",
            )
        return redirect(url_for("BroadcastView.show", broadcast_id=broadcast_id))
