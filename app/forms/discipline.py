"""The procedure of the Student Rules: Student Success's notification, the learner's answer, the decision."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import Form
from app.forms.dates import DateInParts
from app.labels import RULE_LABELS, SANCTION_LABELS

NO_SANCTION = "none"


class CaseForm(Form):
    rule = RadioField(_l("Article du règlement concerné"), validate_choice=False,
                      choices=[(member.value, text) for member, text in RULE_LABELS.items()])
    facts = TextAreaField(_l("Faits reprochés"),
                          description=_l("Les dates, les séances, ce qui s'est passé : l'apprenant y répond."))
    considered = RadioField(_l("Sanction envisagée"), validate_choice=False,
                            choices=[(member.value, text) for member, text in SANCTION_LABELS.items()],
                            description=_l("La décision ne pourra pas être plus lourde."))


class CaseAnswerForm(Form):
    answer = TextAreaField(_l("Vos explications"),
                           description=_l("Ce qui s'est passé de votre point de vue, et tout élément utile."))
    interview = BooleanField(_l("Je demande un entretien en visioconférence avec Student Success"))


class CaseDecisionForm(Form):
    outcome = RadioField(_l("Décision"), validate_choice=False,
                         choices=[(NO_SANCTION, _l("Pas de sanction")),
                                  *[(member.value, text) for member, text in SANCTION_LABELS.items()]])
    reasons = TextAreaField(_l("Motifs de la décision"),
                            description=_l("Envoyés à l'apprenant : les faits retenus, ses explications, et pourquoi "
                                           "cette issue."))
    suspended_until = DateInParts(_l("Fin de la suspension du mentorat (incluse)"),
                                  description=_l("Seulement pour une suspension : un mois au plus. Par exemple 14 1 "
                                                 "2027."))


class LearnerLookupForm(Form):
    """A GET form: it changes nothing, it leads to the notification's form for that learner."""

    class Meta:
        csrf = False

    email = StringField(_l("Adresse email de l'apprenant"),
                        validators=[DataRequired(_l("Indiquez l'adresse email de l'apprenant.")), Length(max=254)],
                        description=_l("Pour un manquement qui n'est pas une absence : comportement, plagiat, "
                                       "utilisation de la Plateforme."))
