"""Diplomas: the jury's decision at a learner's final defence, recorded by staff."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.forms import Form
from app.services.learning.diplomas import MAX_COMMENTS_LENGTH


class DefenceDateField(DateField):
    """A date field whose parse error says what to type, in the reader's language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("Indiquez la date de la soutenance au format jj/mm/aaaa."))) from error

    def _value(self):
        # A date typed as 14/12/2026 is shown again as the date input's own format (2026-12-14).
        return self.data.isoformat() if self.data else super()._value()


class DefenceDecisionForm(Form):
    defended_on = DefenceDateField(_l("Date de la soutenance"), format=["%Y-%m-%d", "%d/%m/%Y"],
                                   validators=[InputRequired(_l("Indiquez la date de la soutenance."))],
                                   description=_l("Par exemple 14/12/2026."))
    decision = RadioField(_l("Décision du jury"), choices=[
        ("favourable", _l("Avis favorable : le diplôme est délivré")),
        ("unfavourable", _l("Avis défavorable : pas de diplôme, une nouvelle soutenance reste possible")),
    ], validators=[InputRequired(_l("Indiquez la décision du jury."))])
    comments = TextAreaField(_l("Observations du jury"), validators=[
        Length(max=MAX_COMMENTS_LENGTH, message=_l("Les observations doivent contenir au plus %(n)s caractères.",
                                                   n=MAX_COMMENTS_LENGTH))],
        description=_l("Envoyées à l'apprenant avec la décision. Obligatoires si l'avis est défavorable."))
