"""Diplomas: the learner's request for the final defence, the defence scheduled by staff, and the jury's decision
recorded by them."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, TextAreaField, TimeField, URLField
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


class DefenceRequestForm(Form):
    """The learner asks for the defence, with the accommodations they need."""
    extra_time = BooleanField(_l("Un temps supplémentaire"))
    sign_language = BooleanField(_l("Un interprète en langue des signes"))
    other_format = BooleanField(_l("Un autre format (par écrit, en plusieurs temps, en présentiel…)"))
    details = TextAreaField(_l("Précisions sur les aménagements (facultatif)"),
                            description=_l("Ce dont vous avez besoin, dans vos mots : Student Success vous répond "
                                           "avec la date de la soutenance. Obligatoire si vous demandez un autre "
                                           "format."))


class DefenceScheduleForm(Form):
    """Student Success sets the defence: day and time (Paris), length, video call, jury, the answer on
    accommodations."""
    starts_on = DateInParts(_l("Date de la soutenance"), description=_l("Par exemple 14 12 2026."))
    starts_time = TimeField(_l("Heure de début (heure de Paris)"), description=_l("Par exemple 14:30."))
    minutes = IntegerField(_l("Durée en minutes"), description=_l("Temps supplémentaire compris, le cas échéant."))
    video_url = URLField(_l("Adresse de la visioconférence"))
    jury = TextAreaField(_l("Membres du jury"), description=_l("Leurs noms et leurs qualités."))
    accommodation_answer = TextAreaField(
        _l("Réponse aux aménagements demandés"),
        description=_l("Ce qui est accordé, et comment ; obligatoire quand l'apprenant en a demandé."))
