"""Certificate forms: the public profile switch and "Vérifier un certificat"."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from app.forms import Form


class PublicProfileForm(Form):
    public_profile = BooleanField(
        _l("Rendre mon profil public"),
        description=_l("Votre profil public affiche votre nom, vos certificats et vos diplômes valides à toute "
                       "personne qui en connaît l'adresse, par exemple depuis votre CV ou votre profil "
                       "professionnel. Il n'affiche ni votre adresse email, ni votre date de naissance, ni vos cours "
                       "en cours. "
                       "Vous pouvez le masquer à tout moment."))


class VerifyForm(Form):
    """A GET form: nothing is changed, so no CSRF token (the address can be shared)."""

    class Meta:
        csrf = False

    identifiant = StringField(
        _l("Identifiant du certificat"),
        validators=[DataRequired(_l("Indiquez l'identifiant du certificat.")),
                    Length(max=300, message=_l("Cet identifiant est trop long."))],
        description=_l("Il figure sur le certificat : sept groupes de quatre lettres et chiffres, par exemple "
                       "7K3M-9QXD-2B4F-HC8N-5RTW-6Y1P-ZA0E. Vous pouvez aussi coller l'adresse de vérification "
                       "en entier."),
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"})
