"""The simulated provider's payment form (the real provider has its own page)."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp

from app.forms import Form


class SimulatedCardForm(Form):
    number = StringField(_l("Numéro de carte"), validators=[
        DataRequired(_l("Indiquez le numéro de la carte.")),
        Regexp(r"^[0-9 ]{12,23}$", message=_l("Le numéro de carte ne contient que des chiffres."))],
        description=_l("Carte de test : 4111 1111 1111 1111 ou 5555 5555 5555 4444 (acceptées), "
                       "4000 0000 0000 0002 (refusée)."),
        render_kw={"autocomplete": "cc-number", "inputmode": "numeric"})
    holder = StringField(_l("Nom du titulaire"), validators=[DataRequired(_l("Indiquez le nom du titulaire.")),
                                                            Length(max=100)],
                         description=_l("Le titulaire DECLINED simule un refus de la banque."),
                         render_kw={"autocomplete": "cc-name"})
    expiry = StringField(_l("Date d'expiration"), validators=[
        DataRequired(_l("Indiquez la date d'expiration.")),
        Regexp(r"^(0[1-9]|1[0-2])/[0-9]{2}$", message=_l("Indiquez la date au format MM/AA, par exemple 03/30."))],
        description=_l("Au format MM/AA"), render_kw={"autocomplete": "cc-exp"})
    cvc = StringField(_l("Cryptogramme"), validators=[
        DataRequired(_l("Indiquez le cryptogramme.")),
        Regexp(r"^[0-9]{3,4}$", message=_l("Le cryptogramme compte 3 ou 4 chiffres."))],
        description=_l("Les 3 chiffres au dos de la carte"),
        render_kw={"autocomplete": "cc-csc", "inputmode": "numeric"})


class SimulatedChoiceForm(Form):
    approve = SubmitField(_l("Approuver le paiement PayPal"))
