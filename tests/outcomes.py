"""What a service's call did, read the way the terms speak of it: the reasons it refused (field by field), and the
mail it sent (shared by the service tests)."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from app.services import DomainError


def errors_of(call) -> dict:
    """{field or None: message} of the refusal `call()` must raise."""
    with pytest.raises(DomainError) as raised:
        call()
    return dict(raised.value.errors)


def mails_to(email: str) -> list[OutboxMessage]:
    """The mail queued for `email`, the first first."""
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                   .order_by(OutboxMessage.id)))
