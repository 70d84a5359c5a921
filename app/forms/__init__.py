"""Flask-WTF forms. Field rules live in validators; business rules come back from services as DomainError.

Every form of the portal derives from `Form`, whose every field cleans its text on the way in (see `CleanText`):
no form repeats it, and no new field can forget it.
"""

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, TextAreaField
from wtforms.validators import StopValidation

from app.services import DomainError
from app.services.common import safe_text


def refusal_message(char: str, multiline: bool = False) -> str:
    """Why `char` was refused, in the reader's language (the character itself is invisible: it is named)."""
    if safe_text.is_bidi_control(char):
        return _("Ce texte contenait un caractère qui inverse le sens de l'écriture (%(code)s) : il a été retiré. "
                 "Vérifiez le texte, puis renvoyez le formulaire.", code=safe_text.code_point(char))
    if safe_text.is_line_break(char) and not multiline:
        return _("Écrivez ce texte sur une seule ligne : le retour à la ligne a été remplacé par une espace. "
                 "Vérifiez le texte, puis renvoyez le formulaire.")
    return _("Ce texte contenait un caractère invisible qui n'est pas accepté (%(code)s) : il a été retiré. "
             "Vérifiez le texte, puis renvoyez le formulaire.", code=safe_text.code_point(char))


def password_refusal_message(char: str) -> str:
    return _("Le mot de passe contient un caractère invisible qui n'est pas accepté (%(code)s) : tapez-le à "
             "nouveau.", code=safe_text.code_point(char))


class CleanText:
    """The filter that every field of every form runs first on what was typed, and the validator that runs
    first when the form is checked.

    Text becomes NFC and loses its outer blank space (and a text area's CRLF become LF). A control character,
    a bidi override or, in a one-line field, a line break is refused: the message goes next to the field, in
    place of any other (a "required" rule would otherwise replace it when nothing else was typed), and the field
    shows the text again without it, for the reader to check. A password is never changed, and only NUL is
    refused in it (any other character may be part of a password someone already uses). Values that are not
    text (dates, numbers, files, boxes) pass."""

    def __init__(self, field: Field):
        self.field = field
        self.multiline = isinstance(field, TextAreaField)
        self.refusal: str | None = None

    def __call__(self, value):
        self.refusal = None
        if not isinstance(value, str):
            return value
        if isinstance(self.field, PasswordField):
            if "\x00" in value:
                self.refusal = password_refusal_message("\x00")
            return value
        value = safe_text.normalise(value, self.multiline)
        refused = safe_text.refused_character(value, self.multiline)
        if refused is None:
            return value
        self.refusal = refusal_message(refused, self.multiline)
        return safe_text.without_refused(value, self.multiline)

    def check(self, _form, _field) -> None:
        if self.refusal is not None:
            raise StopValidation(self.refusal)


class Form(FlaskForm):
    """The base of every form: adds `CleanText` in front of each field's own filters and validators."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            clean = CleanText(field)
            field.filters = (clean, *field.filters)
            field.validators = [clean.check, *field.validators]
            return field


class EmptyForm(Form):
    """For button-only POSTs: carries the CSRF token."""


def populate_errors(form: FlaskForm, error: DomainError) -> None:
    """Put each (field, message) of a service's refusal next to its field, or on the form as a whole."""
    for field_name, message in error.errors:
        field = getattr(form, field_name, None) if field_name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)
