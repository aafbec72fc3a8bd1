"""`python -m webapp`: the panel on a threaded development server.

For local runs (the run command starts it); production uses gunicorn with
`webapp.wsgi:app`.
"""

from __future__ import annotations

import logging
import sys

from config import ConfigError, get_config
from webapp import create_app


def main() -> int:
    """Serve the panel on WEB_HOST:WEB_PORT until interrupted."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    config = get_config()
    try:
        app = create_app()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    app.run(
        host=config.web_host,
        port=config.web_port,
        threaded=True,
        use_reloader=False,
        debug=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
