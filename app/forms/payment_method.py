"""Replacing the payment method of a subscription."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import InputRequired

from app.forms import Form
from app.forms.checkout import PAYMENT_METHOD_CHOICES


class PaymentMethodForm(Form):
    method = RadioField(_l("Nouveau moyen de paiement"), choices=PAYMENT_METHOD_CHOICES, default="card",
                        validators=[InputRequired(_l("Choisissez une carte bancaire ou PayPal."))],
                        description=_l("Vous l'enregistrerez sur la page sécurisée de notre prestataire : rien "
                                       "n'est prélevé, il servira aux prochains renouvellements."))
