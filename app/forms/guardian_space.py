"""The guardian's space: the link asked again, a new version of the terms approved, a force majeure request."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import Form
from app.forms.accounts import _email_field
from app.forms.force_majeure import ForceMajeureForm


class SpaceLinkForm(Form):
    email = _email_field(_l("Votre adresse email"))


class TermsApprovalForm(Form):
    accepted = BooleanField(_l("J'ai lu et j'accepte la nouvelle version des conditions générales de services au "
                               "nom de la personne que je représente."))


class GuardianForceMajeureForm(ForceMajeureForm):
    reason = TextAreaField(_l("Ce qui empêche la personne que vous représentez de suivre la formation"),
                           validators=[DataRequired(_l("Décrivez ce qui l'empêche de suivre la formation.")),
                                       Length(max=5000)],
                           description=_l("Par exemple une hospitalisation, un événement familial grave. Student "
                                          "Success vous répond par email, à vous et à la personne que vous "
                                          "représentez."))
