"""Count the SQL an app sends: what a test asserts about statements, never about time."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from emulation.extensions import db


@contextmanager
def statements(app):
    """Collect the SQL `app`'s engine sends while the block runs, lowercased with its
    whitespace collapsed (one line per statement)."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()).lower())

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
