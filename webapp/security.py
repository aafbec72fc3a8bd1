"""Flask-AppBuilder's security manager, with two changes for Slotbook."""

from __future__ import annotations

from flask import g
from flask_appbuilder import AppBuilder
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager


class SlotbookSecurityManager(SecurityManager):
    """Reads the user's permissions once per request.

    FAB asks the database once per menu entry and button (about twenty
    queries a page); one set per request answers them all. Roles change
    rarely, and a change applies from the next request on.
    """

    def _has_view_access(
        self, user: object, permission_name: str, view_name: str
    ) -> bool:
        key = getattr(user, "id", None)
        cached = g.get("slotbook_permissions")
        if cached is None or cached[0] != key:
            cached = (key, self.get_user_permissions(user))
            g.slotbook_permissions = cached
        return (permission_name, view_name) in cached[1]


def limit_api_login(appbuilder: AppBuilder) -> None:
    """Rate-limit FAB's JSON login like its form login (FAB limits only the form).

    `/api/v1/security/login` is exempt from CSRF, so without this it would let
    anyone guess passwords as fast as the server answers.
    """
    sm = appbuilder.sm
    if not sm.is_auth_limited:
        return
    for view in appbuilder.baseviews:
        if isinstance(view, SecurityApi):
            sm.limiter.limit(sm.auth_rate_limit, methods=["POST"])(view.blueprint)
