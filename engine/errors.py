"""Domain exceptions; web/errors.py maps each one to an HTTP status once."""


class DomainError(Exception):
    """Base of every error the engine raises on purpose."""

    code = "domain_error"

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(DomainError):
    code = "validation_failed"


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    code = "conflict"
