"""What every Slotbook list/form view shares.

* Lists load the relationships they show in the same round trip (FAB's list
  query is lazy otherwise: one query per row and column, STACK.md).
* A write the database refuses (overlap, duplicate, rows still referring to
  the record) becomes a clear message in the person's language, not a 500.
* `granted_to` says which roles besides Admin may use the view; `python -m
  webapp.manage init-roles` reads it.
* After a save, a delete or an action the person lands on a predictable page
  (the list, or the page the action was started from with its filters), not
  on FAB's session history, which loses its place after a POST from a list.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar
from urllib.parse import urlsplit

from flask import abort, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import ModelView
from flask_appbuilder.exceptions import ApplyFilterException, DatabaseException
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from sqlalchemy import inspect
from sqlalchemy.exc import DataError, IntegrityError, ProgrammingError
from sqlalchemy.orm import Query
from sqlalchemy.orm.interfaces import LoaderOption

from scheduling.constraints import explain_integrity_error
from scheduling.errors import SchedulingError
from webapp.i18n import current_lang
from webapp.views.filters import LocalTimeFilterConverter

logger = logging.getLogger(__name__)

READ = ("can_list", "can_show")


class EagerInterface(SQLAInterface):
    """A SQLAInterface whose list queries apply eager-loading options.

    Its datetime columns are filtered by the centre's local date.
    """

    filter_converter_class = LocalTimeFilterConverter

    def __init__(self, obj: type, load_options: Sequence[LoaderOption] = ()) -> None:
        super().__init__(obj)
        self.load_options = tuple(load_options)

    def apply_all(self, query: Query, *args: Any, **kwargs: Any) -> Query:
        # Only the page query gets the options; FAB counts rows separately.
        return super().apply_all(query, *args, **kwargs).options(*self.load_options)

    def delete(self, item: Any, commit: bool = True) -> None:
        try:
            super().delete(item, commit)
        except DatabaseException as exc:
            cause = exc.__cause__
            if isinstance(cause, IntegrityError):
                # FAB flashes str(exc): make that the explanation.
                message = explain_integrity_error(cause).message(current_lang())
                raise DatabaseException(message) from exc
            raise


class SlotbookModelView(ModelView):
    """A ModelView whose writes are checked by the database before commit."""

    granted_to: ClassVar[dict[str, Sequence[str] | None]] = {}
    page_size = 25
    # No uploaded files here; FAB's download route would answer 500.
    exclude_route_methods = {"download"}

    def _list(self, **kwargs: Any) -> Any:
        """FAB's list, with a broken filter in the address refused as a 400.

        FAB indexes its filter list with the number in `_flt_<n>_<column>`
        (IndexError for one it does not have) and sends the value to
        PostgreSQL as typed (`is_active=1` against a boolean): both were 500s.
        """
        try:
            return super()._list(**kwargs)
        except (IndexError, KeyError):
            abort(400, _("A filter in the address does not exist; open the list anew."))
        except (ProgrammingError, DataError, ApplyFilterException):
            # FAB wraps a related row it could not look up ("abc" for a
            # teacher) in ApplyFilterException and would flash its text.
            self.datamodel.session.rollback()
            abort(400, _("A filter value in the address does not suit its column."))

    def list_url(self) -> str:
        return url_for(f"{type(self).__name__}.list")

    def post_add_redirect(self) -> ResponseReturnValue:
        return redirect(self.list_url())

    def post_edit_redirect(self) -> ResponseReturnValue:
        return redirect(self.list_url())

    def post_delete_redirect(self) -> ResponseReturnValue:
        return redirect(self.list_url())

    def redirect_back(self) -> ResponseReturnValue:
        """Back to the page that sent the request (this site only), else the list."""
        referrer = request.referrer
        if referrer:
            parts = urlsplit(referrer)
            if parts.netloc == request.host and parts.scheme in ("http", "https"):
                return redirect(referrer)
        return redirect(self.list_url())

    def pre_add(self, item: Any) -> None:
        self.check_write(item)

    def pre_update(self, item: Any) -> None:
        self.check_write(item)

    def post_add(self, item: Any) -> None:
        self._log_change("added", item)

    def post_update(self, item: Any) -> None:
        self._log_change("changed", item)

    def post_delete(self, item: Any) -> None:
        self._log_change("deleted", item)

    def _log_change(self, action: str, item: Any) -> None:
        # The identity, not item.id: a deleted row cannot be reloaded.
        identity = inspect(item).identity
        logger.info(
            "%s %s id=%s by user=%s",
            self.datamodel.obj.__name__.lower(),
            action,
            identity[0] if identity else None,
            getattr(g.get("user"), "id", None),
        )

    def validate(self, item: Any) -> None:
        """Domain checks before writing; raise SchedulingError to refuse."""

    def check_write(self, item: Any) -> None:
        """Run the domain checks, then flush `item` so the database can refuse it.

        FAB flashes the text of an exception raised from pre_add/pre_update
        and skips its commit, so both kinds of refusal arrive as a translated
        ValueError. Nothing else is pending in the request, so a refused
        flush rolls the whole transaction back.
        """
        try:
            self.validate(item)
        except SchedulingError as err:
            raise ValueError(err.message(current_lang())) from err
        session = self.datamodel.session
        try:
            session.add(item)
            session.flush()
        except IntegrityError as exc:
            session.rollback()
            raise ValueError(
                explain_integrity_error(exc).message(current_lang())
            ) from exc
        except DataError as exc:
            # A number too large for its column, a NUL character: the raw
            # database message (with its SQL) must not reach the page.
            session.rollback()
            raise ValueError(
                _("A value is too large for its field or has forbidden characters.")
            ) from exc
