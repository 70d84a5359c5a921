"""The learner's request to a guardian, and the guardian's answer."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.forms import Form
from app.forms.accounts import _email_field

RELATIONSHIP_LABELS = {
    "parent": _l("Parent"),
    "legal_representative": _l("Représentant légal"),
    "tutor": _l("Tuteur ou tutrice"),
    "curator": _l("Curateur ou curatrice"),
}


class GuardianRequestForm(Form):
    guardian_name = StringField(_l("Nom et prénom de votre représentant"),
                                validators=[DataRequired(_l("Indiquez le nom de votre représentant.")),
                                            Length(max=200)])
    guardian_email = _email_field(_l("Adresse email de votre représentant"))
    relationship = SelectField(_l("Son lien avec vous"), choices=[("", _l("Choisissez"))] + list(
        RELATIONSHIP_LABELS.items()), validators=[DataRequired(_l("Choisissez le lien avec votre représentant."))])


class GuardianDecisionForm(Form):
    terms_accepted = BooleanField(_l("J'ai lu et j'accepte les conditions générales de services au nom de la "
                                     "personne que je représente."))
    approve = SubmitField(_l("Approuver l'abonnement"))
    refuse = SubmitField(_l("Refuser l'abonnement"))


class GuardianRevokeForm(Form):
    revoke = SubmitField(_l("Retirer mon accord"))
