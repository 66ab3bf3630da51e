"""WSGI entry point: `gunicorn wsgi:app`. Never starts a scheduler (see docs/DEPLOYMENT.md)."""

from emulation import create_app

app = create_app()
