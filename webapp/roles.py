"""The panel's roles and what each may do.

Admin may do everything. Every other role gets what the views grant it in
their `granted_to` attribute (see `webapp.views.base`), plus its own account
page; a menu entry is shown to the roles that may open its page. So a new
view states who uses it where it is written, and `init-roles` picks it up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from flask_appbuilder import AppBuilder

logger = logging.getLogger(__name__)

ADMIN, COORDINATOR, TEACHER, CLIENT = "Admin", "Coordinator", "Teacher", "Client"
PUBLIC = "Public"
ROLES = (ADMIN, COORDINATOR, TEACHER, CLIENT)

Pair = tuple[str, str]  # (permission, view or menu name)

# Seeing one's own account and changing one's own password.
OWN_ACCOUNT: tuple[Pair, ...] = (
    ("can_userinfo", "UserDBModelView"),
    ("resetmypassword", "UserDBModelView"),
    ("can_this_form_get", "ResetMyPasswordView"),
    ("can_this_form_post", "ResetMyPasswordView"),
    ("can_this_form_get", "UserInfoEditView"),
    ("can_this_form_post", "UserInfoEditView"),
)


def granted_pairs(appbuilder: AppBuilder, role: str) -> set[Pair]:
    """The (permission, view) pairs the registered views grant to `role`."""
    pairs: set[Pair] = set(OWN_ACCOUNT)
    views_granted: set[str] = set()
    for view in appbuilder.baseviews:
        grants = getattr(view, "granted_to", None) or {}
        if role not in grants:
            continue
        allowed = grants[role]
        permissions = view.base_permissions or []
        chosen = permissions if allowed is None else set(permissions) & set(allowed)
        pairs.update((p, view.class_permission_name) for p in chosen)
        if chosen:
            views_granted.add(view.class_permission_name)
    pairs.update(_menu_pairs(appbuilder, views_granted))
    return pairs


def _menu_pairs(appbuilder: AppBuilder, views: set[str]) -> Iterable[Pair]:
    """menu_access to the entries (and their categories) that open `views`."""
    for category in appbuilder.menu.get_list():
        entries = category.childs or [category]
        shown = [
            item
            for item in entries
            if item.baseview is not None
            and item.baseview.class_permission_name in views
        ]
        for item in shown:
            yield ("menu_access", item.name)
        if shown and category.childs:
            yield ("menu_access", category.name)


def sync_roles(appbuilder: AppBuilder) -> dict[str, int]:
    """Create the roles and set their permissions exactly; safe to repeat.

    Returns the number of permissions each role holds.
    """
    sm = appbuilder.sm
    sm.add_role(ADMIN)
    sm.add_role(PUBLIC)
    # Write the permission of every registered view and menu (FAB adds each new
    # one to Admin), then drop those of views that no longer exist.
    appbuilder.add_permissions(update_perms=True)
    sm.security_cleanup(appbuilder.baseviews, appbuilder.menu)

    session = sm.session
    counts = {}
    all_pvms = session.query(sm.permissionview_model).all()
    admin = sm.find_role(ADMIN)
    admin.permissions = all_pvms
    counts[ADMIN] = len(all_pvms)
    for name in (COORDINATOR, TEACHER, CLIENT):
        role = sm.add_role(name)
        wanted = granted_pairs(appbuilder, name)
        role.permissions = [
            pvm
            for pvm in all_pvms
            if pvm.permission is not None
            and pvm.view_menu is not None
            and (pvm.permission.name, pvm.view_menu.name) in wanted
        ]
        counts[name] = len(role.permissions)
    session.commit()
    logger.info("roles synced %s", counts)
    return counts
