"""A test server process: the app on the test database behind Werkzeug's threaded server.

`python -m tests.reliability.serve` with SERVE_DATABASE_URL and SERVE_EVIDENCE_DIR set prints
`PORT <n>` once it listens, then serves until terminated. Two of these are two workers (like
gunicorn's) on one database: separate processes, engines and connection pools."""

from __future__ import annotations

import logging
import os
import sys

from werkzeug.serving import make_server


def main() -> None:
    from config import TestingConfig
    from emulation import create_app

    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    config.update(
        SQLALCHEMY_DATABASE_URI=os.environ["SERVE_DATABASE_URL"],
        EVIDENCE_DIR=os.environ["SERVE_EVIDENCE_DIR"],
        SERVER_NAME=None,  # answer to whatever host the clients use (127.0.0.1:port)
    )
    app = create_app(config)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log; errors stay
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"PORT {server.server_port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
