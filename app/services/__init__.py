"""Business rules. Services never import the request, a form or the session; they flush, the caller commits."""

from collections.abc import Sequence


class DomainError(Exception):
    """A rule refused the operation; `errors` are (field, message) pairs the view maps onto its form."""

    def __init__(self, errors: Sequence[tuple[str | None, str]]):
        super().__init__("; ".join(message for _, message in errors))
        self.errors = list(errors)
