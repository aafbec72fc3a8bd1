"""The end-to-end test uses the web panel's and the bot's own fixtures."""

from tests.bot.conftest import harness  # noqa: F401
from tests.webapp.conftest import _clean_database, admin_client, app  # noqa: F401
