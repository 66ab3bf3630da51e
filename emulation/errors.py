"""Domain errors raised by services; views turn them into a status and a translated message."""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, message: str = "", *, details: dict | list | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(DomainError):
    status = 422


class NotAllowed(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class InvalidState(DomainError):
    status = 409


class Conflict(DomainError):
    """Someone else changed the object since it was read (optimistic locking)."""

    status = 409
