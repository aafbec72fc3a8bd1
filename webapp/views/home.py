"""The start page of the panel."""

from __future__ import annotations

from flask_appbuilder import IndexView


class HomeView(IndexView):
    """Greets the user and links to the everyday pages."""

    index_template = "slotbook/index.html"
