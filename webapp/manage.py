"""Administrative commands for the panel.

    python -m webapp.manage init-roles
    python -m webapp.manage create-admin --username U --password P [--email E]

Both are idempotent; the run command and the compose `migrate` service call
the same functions (`init_roles`, `ensure_admin`).
"""

from __future__ import annotations

import argparse
import logging
import sys

from flask import Flask

from webapp.roles import ADMIN, sync_roles

logger = logging.getLogger(__name__)


class AdminAccountError(RuntimeError):
    """The admin account could not be created or updated."""


def init_roles(app: Flask) -> dict[str, int]:
    """Create Admin, Coordinator, Teacher and Client with their permissions."""
    with app.app_context():
        return sync_roles(app.appbuilder)


def ensure_admin(app: Flask, username: str, password: str, email: str) -> int:
    """Create the admin login, or reset its password and role if it exists.

    Returns the user's id.
    :raise AdminAccountError: empty username/password or the user cannot be saved.
    """
    if not username or not password:
        raise AdminAccountError("the admin needs a username and a password")
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.find_role(ADMIN) or sm.add_role(ADMIN)
        user = sm.find_user(username=username)
        if user is None:
            user = sm.add_user(
                username=username,
                first_name="Admin",
                last_name="Slotbook",
                email=email,
                role=role,
                password=password,
            )
            if not user:
                raise AdminAccountError(
                    f"could not create the admin user (is the email {email!r} "
                    "already used by another user?)"
                )
            logger.info("admin user created id=%s", user.id)
            return user.id
        sm.reset_password(user.id, password)
        user = sm.find_user(username=username)
        if role not in user.roles:
            user.roles.append(role)
        user.active = True
        sm.session.commit()
        logger.info("admin user updated id=%s", user.id)
        return user.id


def main(argv: list[str] | None = None) -> int:
    """The command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m webapp.manage")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init-roles", help="create roles and permissions")
    admin = commands.add_parser("create-admin", help="create or update the admin")
    admin.add_argument("--username", required=True)
    admin.add_argument("--password", required=True)
    admin.add_argument("--email", default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")

    from config import ConfigError, get_config
    from webapp import create_app

    try:
        app = create_app()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "init-roles":
        counts = init_roles(app)
        print("roles: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
        return 0
    email = args.email or get_config().admin_email
    try:
        ensure_admin(app, args.username, args.password, email)
    except AdminAccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"admin user {args.username!r} is ready")
    return 0


if __name__ == "__main__":
    sys.exit(main())
