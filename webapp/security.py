"""Flask-AppBuilder's security manager with Slotbook's changes, and the login limit."""

from __future__ import annotations

from flask import g
from flask_appbuilder import AppBuilder
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.views import (
    PermissionModelView,
    PermissionViewModelView,
    RoleModelView,
    UserDBModelView,
    UserGroupModelView,
    ViewMenuModelView,
)

from webapp.views.formatters import names, optional, role_names, yes_no


def without_download(view: type) -> type:
    """`view` without FAB's file-download route.

    Slotbook stores no uploaded files, and the route fails with a 500 when
    UPLOAD_FOLDER is unset. The class keeps its name, so its permissions do.
    """
    excluded = set(getattr(view, "exclude_route_methods", None) or ()) | {"download"}
    return type(view.__name__, (view,), {"exclude_route_methods": excluded})


# FAB prints flags and empty audit fields as "True" and "None".
USER_FORMATTERS = {
    "active": yes_no,
    "last_login": optional,
    "created_on": optional,
    "changed_on": optional,
    "created_by": optional,
    "changed_by": optional,
    "roles": role_names,
    "groups": names,
}


def readable_users(view: type) -> type:
    """The user pages without download, with flags, blanks and roles in words."""
    base = without_download(view)
    formatters = {
        **(getattr(view, "formatters_columns", None) or {}),
        **USER_FORMATTERS,
    }
    return type(view.__name__, (base,), {"formatters_columns": formatters})


class NoTokenSecurityApi(SecurityApi):
    """FAB's `/api/v1/security/login` and `/refresh`, switched off.

    They hand out bearer tokens with 30-day refresh tokens that no logout
    can take back. Slotbook's API logs in through `/api/v1/auth/login`
    (an httpOnly cookie, cleared by logout); these routes answer 404.
    """

    include_route_methods: set[str] = set()


class SlotbookSecurityManager(SecurityManager):
    """Reads the user's permissions once per request.

    FAB asks the database once per menu entry and button (about twenty
    queries a page); one set per request answers them all. Roles change
    rarely, and a change applies from the next request on.
    """

    userdbmodelview = readable_users(UserDBModelView)
    rolemodelview = without_download(RoleModelView)
    groupmodelview = without_download(UserGroupModelView)
    permissionmodelview = without_download(PermissionModelView)
    viewmenumodelview = without_download(ViewMenuModelView)
    permissionviewmodelview = without_download(PermissionViewModelView)
    # Its charts load Google's scripts from the internet (nothing renders
    # offline) and a bad group index in the URL is a 500.
    userstatschartview = None
    security_api = NoTokenSecurityApi

    def _has_view_access(
        self, user: object, permission_name: str, view_name: str
    ) -> bool:
        key = getattr(user, "id", None)
        cached = g.get("slotbook_permissions")
        if cached is None or cached[0] != key:
            cached = (key, self.get_user_permissions(user))
            g.slotbook_permissions = cached
        return (permission_name, view_name) in cached[1]


# One allowance of login attempts per address, whichever door they knock on.
LOGIN_SCOPE = "login"


def share_login_limit(appbuilder: AppBuilder, *blueprints: object) -> None:
    """Count the panel form's and the API's login attempts against one limit.

    FAB limits each login route on its own, so an address could try the
    allowance at the form and again at the API.
    """
    sm = appbuilder.sm
    if not sm.is_auth_limited:
        return
    shared = sm.limiter.shared_limit(
        sm.auth_rate_limit, scope=LOGIN_SCOPE, methods=["POST"]
    )
    for blueprint in (sm.auth_view.blueprint, *blueprints):
        shared(blueprint)
