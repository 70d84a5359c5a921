"""Diplomas: the jury's decision at a learner's final defence, recorded by staff."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.forms import Form
from app.forms.dates import DateInParts
from app.services.learning.diplomas import MAX_COMMENTS_LENGTH


class DefenceDecisionForm(Form):
    defended_on = DateInParts(_l("Date de la soutenance"),
                              validators=[DataRequired(_l("Indiquez la date de la soutenance."))],
                              description=_l("Par exemple 14 12 2026."))
    decision = RadioField(_l("Décision du jury"), choices=[
        ("favourable", _l("Avis favorable : le diplôme est délivré")),
        ("unfavourable", _l("Avis défavorable : pas de diplôme, une nouvelle soutenance reste possible")),
    ], validators=[InputRequired(_l("Indiquez la décision du jury."))])
    comments = TextAreaField(_l("Observations du jury"), validators=[
        Length(max=MAX_COMMENTS_LENGTH, message=_l("Les observations doivent contenir au plus %(n)s caractères.",
                                                   n=MAX_COMMENTS_LENGTH))],
        description=_l("Envoyées à l'apprenant avec la décision. Obligatoires si l'avis est défavorable."))
