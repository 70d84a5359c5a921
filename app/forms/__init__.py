"""Flask-WTF forms. Field rules live in validators; business rules come back from services as DomainError."""

from flask_wtf import FlaskForm

from app.services import DomainError


class EmptyForm(FlaskForm):
    """For button-only POSTs: carries the CSRF token."""


def populate_errors(form: FlaskForm, error: DomainError) -> None:
    """Put each (field, message) of a service's refusal next to its field, or on the form as a whole."""
    for field_name, message in error.errors:
        field = getattr(form, field_name, None) if field_name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)
