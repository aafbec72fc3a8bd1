"""/api/v1/reports: load, attendance and overview as JSON, CSV or PDF.

``GET /api/v1/reports/<name>?from=&to=&teacher_id=&subject_id=&format=``
answers at once (see `reports.params` for every parameter). Long periods can
be built by the worker instead: ``POST /api/v1/reports/<name>/jobs`` with
the same query string answers 202 and a job id; ``GET .../jobs/<id>`` tells
the status and progress and ``GET .../jobs/<id>/file`` gives the file.
Admins and coordinators only; the panel's login works for the GETs too.
"""

from __future__ import annotations

import logging
import re

from flask import Response, current_app, jsonify, make_response, request
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import permission_name, protect
from redis import Redis
from redis.exceptions import RedisError

from jobs.runtime import redis_connection
from reports.background import (
    JobState,
    ReportFile,
    enqueue_report,
    export,
    job_state,
)
from reports.params import ReportParamsError, parse_request
from webapp.extensions import db
from webapp.i18n import current_lang
from webapp.localtime import centre_tz

logger = logging.getLogger(__name__)

JOB_ID = re.compile(r"^[0-9a-f-]{8,64}$")
NO_JOB = ("Нет такой сборки отчёта (или она устарела).", "No such report build.")
NO_BACKGROUND = (
    "Сборка в фоне сейчас недоступна (Redis не отвечает). Попробуйте позже.",
    "Background builds are unavailable now (Redis does not answer). Try later.",
)


def _lang() -> str:
    asked = request.args.get("lang")
    return "en" if (asked or current_lang()).startswith("en") else "ru"


def _error(status: int, texts: tuple[str, str]) -> Response:
    message = texts[1] if _lang() == "en" else texts[0]
    return make_response(jsonify({"message": message}), status)


def file_response(file: ReportFile) -> Response:
    """A finished export as a download."""
    return Response(
        file.content,
        mimetype=file.mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{file.filename}"',
            "Cache-Control": "no-store",
        },
    )


class ReportsApi(BaseApi):
    """Reports for coordinators and admins."""

    resource_name = "reports"
    openapi_spec_tag = "Reports"
    granted_to = {"Coordinator": None}

    @expose("/<name>", methods=["GET"])
    @protect(allow_browser_login=True)
    @permission_name("get")
    def report(self, name: str) -> Response:
        """The report `name` in the asked format.
        ---
        get:
          description: Teacher load, attendance or overview for a period.
          parameters:
          - in: path
            name: name
            schema: {type: string, enum: [load, attendance, overview]}
          - {in: query, name: from, schema: {type: string, format: date}}
          - {in: query, name: to, schema: {type: string, format: date}}
          - {in: query, name: teacher_id, schema: {type: integer}}
          - {in: query, name: subject_id, schema: {type: integer}}
          - {in: query, name: format, schema: {type: string, enum: [json, csv, pdf]}}
          - {in: query, name: table, schema: {type: string}}
          - {in: query, name: sep, schema: {type: string, enum: [";", ","]}}
          - {in: query, name: lang, schema: {type: string, enum: [ru, en]}}
          responses:
            200: {description: the report}
            400: {description: "a bad parameter, explained"}
        """
        try:
            wanted = parse_request(db.session, name, request.args, centre_tz())
        except ReportParamsError as err:
            return _error(400, err.texts)
        file = export(db.session, wanted)
        if wanted.fmt == "json":
            return Response(file.content, mimetype="application/json")
        return file_response(file)

    @expose("/<name>/jobs", methods=["POST"])
    @protect()
    @permission_name("get")
    def start_job(self, name: str) -> Response:
        """Queue a build of the report in the background.
        ---
        post:
          description: Same query string as GET; answers the job's id.
          responses:
            202: {description: queued}
            400: {description: "a bad parameter, explained"}
        """
        try:
            wanted = parse_request(db.session, name, request.args, centre_tz())
        except ReportParamsError as err:
            return _error(400, err.texts)
        try:
            job_id = enqueue_report(_redis(), wanted)
        except RedisError:
            logger.exception("report build not queued report=%s", name)
            return _error(503, NO_BACKGROUND)
        body = {"job_id": job_id, "status_url": f"{self.route_base}/jobs/{job_id}"}
        return make_response(jsonify(body), 202)

    @expose("/jobs/<job_id>", methods=["GET"])
    @protect(allow_browser_login=True)
    @permission_name("get")
    def job(self, job_id: str) -> Response:
        """Status and progress of a background build.
        ---
        get:
          responses:
            200: {description: "status, progress (0..1), file_url when done"}
            404: {description: no such build}
        """
        try:
            state = _state(job_id)
        except RedisError:
            return _error(503, NO_BACKGROUND)
        if state is None:
            return _error(404, NO_JOB)
        body = {
            "job_id": job_id,
            "status": str(state.status.value),
            "progress": state.progress,
        }
        if state.done:
            body["file_url"] = f"{self.route_base}/jobs/{job_id}/file"
        return jsonify(body)

    @expose("/jobs/<job_id>/file", methods=["GET"])
    @protect(allow_browser_login=True)
    @permission_name("get")
    def job_file(self, job_id: str) -> Response:
        """The file of a finished background build.
        ---
        get:
          responses:
            200: {description: the file}
            404: {description: "no such build, or not finished"}
        """
        try:
            state = _state(job_id)
        except RedisError:
            return _error(503, NO_BACKGROUND)
        if state is None or state.file is None:
            return _error(404, NO_JOB)
        return file_response(state.file)


def _redis() -> Redis:
    return redis_connection(current_app.config.get("REDIS_URL"))


def _state(job_id: str) -> JobState | None:
    """The build's state; None for an id that cannot be one of ours."""
    return job_state(_redis(), job_id) if JOB_ID.match(job_id) else None
