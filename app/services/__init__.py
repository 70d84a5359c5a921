"""Business rules. Services never import the request, a form or the session; they flush, the caller commits."""


class DomainError(Exception):
    """A rule refused the operation; `errors` are (field, message) pairs the view maps onto its form."""

    def __init__(self, errors: list[tuple[str | None, str]]):
        super().__init__("; ".join(message for _, message in errors))
        self.errors = errors
