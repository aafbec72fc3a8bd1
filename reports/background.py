"""Reports built by the RQ worker, for periods too long to wait for.

The web enqueues `build_report_file` and hands out the job's id; the job
writes its progress (0..1) into the job's meta as it goes and returns the
file. The page or the API client polls `job_state` with the id. Redis keeps
the file for `RESULT_TTL` seconds; it can always be built again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from redis import Redis
from rq import Queue, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy.orm import Session

from jobs.runtime import QUEUE_NAME
from reports.export import report_csv, report_json, report_pdf
from reports.params import ReportRequest, parse_request
from reports.registry import build_report
from scheduling.db import session_scope

logger = logging.getLogger(__name__)

RESULT_TTL = 3600
JOB_TIMEOUT = 900
MIMETYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv",
    "json": "application/json",
}


@dataclass(frozen=True)
class ReportFile:
    """A finished export: its bytes, file name and media type."""

    content: bytes
    filename: str
    mimetype: str


@dataclass(frozen=True)
class JobState:
    """Where a background build is: status, progress 0..1, file when done."""

    status: str
    progress: float
    file: ReportFile | None = None

    @property
    def done(self) -> bool:
        return self.status == JobStatus.FINISHED

    @property
    def failed(self) -> bool:
        return self.status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)


def export(
    session: Session,
    request: ReportRequest,
    progress: Callable[[float], None] | None = None,
) -> ReportFile:
    """Build the report of `request` and export it in its format."""
    report = build_report(session, request.name, request.query)
    if progress:
        progress(0.2)
    stem = f"{request.name}_{request.query.start}_{request.query.end}"
    if request.fmt == "csv":
        content = report_csv(report, request.table, request.sep, request.lang)
        stem = f"{stem}_{request.table}"
    elif request.fmt == "pdf":
        content = report_pdf(
            report,
            request.lang,
            progress=(lambda share: progress(0.2 + 0.8 * share)) if progress else None,
        )
    else:
        content = json.dumps(report_json(report), ensure_ascii=False).encode("utf-8")
    return ReportFile(content, f"{stem}.{request.fmt}", MIMETYPES[request.fmt])


def enqueue_report(connection: Redis, request: ReportRequest) -> str:
    """Queue a build of `request`; return the job's id."""
    job = Queue(QUEUE_NAME, connection=connection).enqueue(
        build_report_file,
        request.name,
        request.as_args(),
        request.query.tz.key,
        job_timeout=JOB_TIMEOUT,
        result_ttl=RESULT_TTL,
        failure_ttl=RESULT_TTL,
        meta={"progress": 0.0, "report": request.name},
    )
    logger.info(
        "report build queued job=%s report=%s format=%s days=%s",
        job.id,
        request.name,
        request.fmt,
        request.query.days,
    )
    return job.id


def build_report_file(name: str, args: dict[str, str], tz: str) -> ReportFile:
    """The RQ job: build and export one report, reporting progress."""
    job = get_current_job()

    def progress(share: float) -> None:
        if job is not None:
            job.meta["progress"] = round(share, 3)
            job.save_meta()

    with session_scope() as session:
        request = parse_request(session, name, args, ZoneInfo(tz))
        result = export(session, request, progress)
    progress(1.0)
    logger.info(
        "report build done job=%s report=%s format=%s bytes=%s",
        job.id if job else None,
        name,
        request.fmt,
        len(result.content),
    )
    return result


def job_state(connection: Redis, job_id: str) -> JobState | None:
    """The state of background build `job_id`, or None if Redis has no such job."""
    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return None
    if job.meta.get("report") is None:
        # Some other kind of job: not ours to show.
        return None
    status = job.get_status()
    result = job.return_value() if status == JobStatus.FINISHED else None
    return JobState(status, float(job.meta.get("progress", 0.0)), result)
