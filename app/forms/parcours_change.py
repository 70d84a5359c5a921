"""Changing Parcours: the learner's request, and Student Success's written answer."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import Form
from app.services.commerce.parcours_changes import MAX_TEXT_LENGTH, MIN_REASON_LENGTH


class ParcoursChangeForm(Form):
    target = SelectField(_l("Nouveau Parcours"), choices=[],
                         validators=[DataRequired(_l("Choisissez le nouveau Parcours dans la liste."))])
    reason = TextAreaField(_l("Pourquoi souhaitez-vous changer de Parcours ?"),
                           validators=[DataRequired(_l("Expliquez en quelques mots pourquoi vous souhaitez changer "
                                                       "de Parcours.")),
                                       Length(min=MIN_REASON_LENGTH, max=MAX_TEXT_LENGTH,
                                              message=_l("Expliquez en %(min)s à %(max)s caractères pourquoi vous "
                                                         "souhaitez changer de Parcours."))],
                           description=_l("Student Success vous répond par écrit, par email."))

    def __init__(self, *args, target_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.target.choices = [("", _l("Choisissez un Parcours")), *target_choices]


class ParcoursChangeDecisionForm(Form):
    message = TextAreaField(_l("Réponse écrite à l'apprenant"),
                            validators=[DataRequired(_l("Écrivez la réponse : elle est envoyée à l'apprenant.")),
                                        Length(max=5000)])
