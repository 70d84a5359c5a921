"""A date typed as three numbers, day, month and year, each in a labelled box (GOV.UK's date input): the pattern
that screen-reader users and people on phones manage best. A browser's date picker has several tab stops named in
the browser's language, and a typed format to guess; three boxes have neither.

The form posts `<name>-day`, `<name>-month` and `<name>-year`; `components/forms.html` renders them with the
`date_input` macro. What was typed is shown again as typed when it is refused.
"""

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from app.forms import refusal_message
from app.services.common import safe_text

PARTS = ("day", "month", "year")
MAX_DIGITS = {"day": 2, "month": 2, "year": 4}

NOT_NUMBERS = _l("Indiquez le jour, le mois et l'année en chiffres, par exemple 27 3 2001.")
INCOMPLETE = _l("Indiquez le jour, le mois et l'année, par exemple 27 3 2001.")
SHORT_YEAR = _l("Indiquez l'année avec ses 4 chiffres, par exemple 2001.")
NO_SUCH_DAY = _l("Cette date n'existe pas : vérifiez le jour et le mois.")


def parse(parts: dict[str, str]) -> dt.date | None:
    """The date the three boxes say; None when all three are empty; ValueError with the reader's message."""
    if not any(parts.values()):
        return None
    if not all(parts.values()):
        raise ValueError(str(INCOMPLETE))
    if not all(value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS[part]
               for part, value in parts.items()):
        raise ValueError(str(NOT_NUMBERS))
    if len(parts["year"]) < 4:
        raise ValueError(str(SHORT_YEAR))
    try:
        return dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError as error:
        raise ValueError(str(NO_SUCH_DAY)) from error


class DateInParts(Field):
    """`autocomplete` names the browser's autofill family for the three boxes ("bday" for a date of birth)."""

    def __init__(self, label: Any = None, validators: Any = None, autocomplete: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.autocomplete = autocomplete
        self.parts = dict.fromkeys(PARTS, "")

    def key(self, part: str) -> str:
        return f"{self.name}-{part}"

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = self.data = data
        if isinstance(data, dt.date):
            self.parts = {"day": str(data.day), "month": str(data.month), "year": str(data.year)}
        if formdata is None or not any(self.key(part) in formdata for part in PARTS):
            self.raw_data = None
            return
        # Cut before checking: a box holding a megabyte is refused as "not a date", not stored or echoed whole.
        typed = {part: safe_text.normalise(formdata.get(self.key(part)) or "") for part in PARTS}
        # An invisible character is named and taken out of what is shown again, as in every text field; a box
        # holding a whole page is cut before it is shown again (it is no date either way).
        refused = next(filter(None, (safe_text.refused_character(value, False) for value in typed.values())), None)
        self.parts = {part: safe_text.without_refused(value, False)[:12].strip() for part, value in typed.items()}
        self.raw_data = [" ".join(self.parts.values())] if any(self.parts.values()) else []
        self.data = None
        if refused is not None:
            self.process_errors.append(refusal_message(refused))
            return
        try:
            self.data = parse(self.parts)
        except ValueError as error:
            self.process_errors.append(str(error))

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()  # what was typed is not a date: its message alone, not "required" as well
