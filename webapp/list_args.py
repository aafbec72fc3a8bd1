"""List arguments checked before Flask-AppBuilder reads them.

The API's rison query (`?q=`) and JSON body are parsed once here: FAB's own
parse of thousands of nested brackets ends in a RecursionError that its
`@safe` turns into a 500; raised here, webapp.errors answers it with a 400.

FAB turns `page_<View>` and `psize_<View>` into numbers with a bare int()
(a 500 for `?psize_BookingView=abc`) and accepts any page size (a whole table
in one page for `?psize_BookingView=1000000`).
"""

from __future__ import annotations

import re

import prison
from flask import Flask, abort, request
from flask_babel import gettext as _

# FAB finds these anywhere in an argument's name (re.findall), so do we.
PAGE_ARG = re.compile("page_")
SIZE_ARG = re.compile("psize_")
MAX_PAGE = 1_000_000
# The largest size FAB's own page-size menu offers.
MAX_PAGE_SIZE = 100


def _whole_number(raw: str | None, low: int, high: int) -> bool:
    try:
        return low <= int(raw or "") <= high
    except ValueError:
        return False


def check_api_nesting() -> None:
    """Raise RecursionError for an API query or body nested too deeply."""
    if not request.path.startswith("/api/"):
        return
    if request.is_json:
        # Parsed and cached for the view; a malformed body is the view's 400.
        request.get_json(silent=True)
    query = request.args.get("q")
    if query:
        try:
            prison.loads(query)
        except RecursionError:
            raise
        except Exception:  # noqa: BLE001, S110 - FAB answers a malformed query itself
            pass


def check_list_args() -> None:
    """Refuse a page number or page size that is not a sensible whole number."""
    for name, value in request.args.items():
        if SIZE_ARG.search(name) and not _whole_number(value, 1, MAX_PAGE_SIZE):
            abort(
                400,
                _(
                    "Rows per page: a whole number from 1 to %(max)s.",
                    max=MAX_PAGE_SIZE,
                ),
            )
        if PAGE_ARG.search(name) and not _whole_number(value, 0, MAX_PAGE):
            abort(400, _("Page number: a whole number from 0."))


def register_list_args_check(app: Flask) -> None:
    app.before_request(check_api_nesting)
    app.before_request(check_list_args)
