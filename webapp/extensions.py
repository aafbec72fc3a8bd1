"""The Flask extensions the app factory binds to each app."""

from __future__ import annotations

from flask_appbuilder.models.sqla.base import SQLA
from flask_wtf.csrf import CSRFProtect

# One Flask-SQLAlchemy object; its scoped session is what views and domain calls
# share within a request. Our models use their own declarative base, which
# Flask-SQLAlchemy's session binds to the default engine all the same.
db = SQLA()

# Flask-AppBuilder puts CSRF tokens in its forms but does not enforce them.
csrf = CSRFProtect()
