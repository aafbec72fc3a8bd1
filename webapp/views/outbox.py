"""Delivery problems for admins: undeliverable messages and failed jobs.

Messages come from the outbox table; failed jobs from RQ's failed-job
registry in Redis. If Redis does not answer, the page still shows the
messages and says that the job list is unavailable.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import BaseView, expose, has_access, permission_name
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select

from scheduling.models import OUTBOX_FAILED, OUTBOX_SENDING, OutboxMessage, utcnow
from scheduling.outbox import CLAIM_TIMEOUT, retry_failed
from webapp.extensions import db
from webapp.localtime import format_local

logger = logging.getLogger(__name__)

ROWS_SHOWN = 200


@dataclass(frozen=True)
class FailedJob:
    """What the panel shows of one failed RQ job."""

    id: str
    func: str
    ended_at: dt.datetime | None
    error: str


def failed_jobs(limit: int = ROWS_SHOWN) -> list[FailedJob] | None:
    """Failed jobs on Slotbook's queue, newest first; None if Redis is unreachable."""
    from rq import Queue
    from rq.registry import FailedJobRegistry

    from jobs.runtime import QUEUE_NAME, redis_connection

    try:
        connection = redis_connection()
        registry = FailedJobRegistry(queue=Queue(QUEUE_NAME, connection=connection))
        found = []
        for job_id in reversed(registry.get_job_ids()[-limit:]):
            job = registry.job_class.fetch(job_id, connection=connection)
            result = job.latest_result()
            error = (result.exc_string or "") if result else ""
            found.append(
                FailedJob(
                    id=job.id,
                    func=job.func_name or "",
                    ended_at=_aware(job.ended_at),
                    # The last line names the exception; the panel needs no trace.
                    error=error.strip().splitlines()[-1] if error.strip() else "",
                )
            )
        return found
    # Redis down, not configured, or a job that no longer deserialises.
    except Exception:  # noqa: BLE001
        logger.warning("failed jobs unavailable", exc_info=True)
        return None


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    # RQ stores naive UTC times.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


class DeliveryProblemsView(BaseView):
    """Messages that could not be delivered and jobs that failed (admins only)."""

    route_base = "/delivery"
    default_view = "problems"

    @expose("/")
    @has_access
    @permission_name("list")
    def problems(self) -> ResponseReturnValue:
        """Failed and stuck outbox rows, then failed RQ jobs."""
        stuck_since = utcnow() - CLAIM_TIMEOUT
        rows = db.session.scalars(
            select(OutboxMessage)
            .where(
                (OutboxMessage.status == OUTBOX_FAILED)
                | (
                    (OutboxMessage.status == OUTBOX_SENDING)
                    & (OutboxMessage.sent_at < stuck_since)
                )
            )
            .order_by(OutboxMessage.id.desc())
            .limit(ROWS_SHOWN)
        ).all()
        return self.render_template(
            "slotbook/delivery_problems.html",
            title=_l("Delivery problems"),
            rows=rows,
            jobs=failed_jobs(),
            form=FlaskForm(),
            shown=ROWS_SHOWN,
            format_local=format_local,
        )

    @expose("/retry/<int:message_id>", methods=["POST"])
    @has_access
    @permission_name("retry")
    def retry(self, message_id: int) -> ResponseReturnValue:
        """Send a failed message again (CSRF-checked form post)."""
        if not FlaskForm().validate_on_submit():
            flash(_l("The form has expired"), "danger")
        elif retry_failed(db.session, message_id):
            db.session.commit()
            flash(_l("The message will be sent again."), "success")
        else:
            flash(_l("This message has not failed; nothing to retry."), "warning")
        return redirect(url_for("DeliveryProblemsView.problems"))
