"""Checkout forms: the visitor's account, billing details, payment method and consents, validation."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from app.forms import Form
from app.forms.accounts import _email_field, birth_date_field
from app.labels import CONSENT_LABELS, PAYMENT_METHOD_LABELS
from app.models.commerce import ConsentKind
from app.services.commerce.checkout import BillingDetails

LEGAL_PROTECTION_LABEL = _l("Faites-vous l'objet d'une mesure de protection juridique (sauvegarde de justice, "
                            "tutelle, curatelle) ?")


class VisitorAccountForm(Form):
    """Step 0 for a visitor: the account is created without a password (a link to set one is emailed)."""

    first_name = StringField(_l("Prénom"), validators=[DataRequired(_l("Indiquez votre prénom.")), Length(max=100)],
                             render_kw={"autocomplete": "given-name"})
    last_name = StringField(_l("Nom"), validators=[DataRequired(_l("Indiquez votre nom.")), Length(max=100)],
                            render_kw={"autocomplete": "family-name"})
    email = _email_field()
    date_of_birth = birth_date_field(_l("Par exemple 27 3 2001. Avant 18 ans, un représentant légal doit approuver "
                                        "l'abonnement."))
    country = SelectField(_l("Pays de résidence"),
                          validators=[DataRequired(_l("Choisissez votre pays de résidence."))],
                          render_kw={"autocomplete": "country"})
    legal_protection = RadioField(
        LEGAL_PROTECTION_LABEL, choices=[("no", _l("Non")), ("yes", _l("Oui"))],
        validators=[InputRequired(_l("Répondez à la question sur la mesure de protection juridique."))],
        description=_l("Si oui, votre tuteur ou curateur devra approuver votre abonnement."))

    def __init__(self, *args, country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choisissez un pays")), *country_choices]


class DetailsForm(Form):
    billing_name = StringField(_l("Nom et prénom"), validators=[DataRequired(_l("Indiquez votre nom.")),
                                                               Length(max=200)],
                               render_kw={"autocomplete": "name"})
    billing_address = StringField(_l("Adresse"), validators=[DataRequired(_l("Indiquez votre adresse.")),
                                                             Length(max=300)],
                                  description=_l("Numéro et rue. Elle figure sur vos factures."),
                                  render_kw={"autocomplete": "street-address"})
    billing_postal_code = StringField(_l("Code postal"),
                                      validators=[DataRequired(_l("Indiquez votre code postal.")), Length(max=20)],
                                      render_kw={"autocomplete": "postal-code", "inputmode": "numeric"})
    billing_city = StringField(_l("Ville"), validators=[DataRequired(_l("Indiquez votre ville.")), Length(max=120)],
                               render_kw={"autocomplete": "address-level2"})
    billing_country = SelectField(_l("Pays"), validators=[DataRequired(_l("Choisissez un pays."))],
                                  render_kw={"autocomplete": "country"})
    billing_company = StringField(_l("Entreprise (facultatif)"), validators=[Length(max=200)],
                                  description=_l("Si votre employeur paie votre abonnement : son nom figurera sur "
                                                 "vos factures."),
                                  render_kw={"autocomplete": "organization"})
    billing_vat_number = StringField(_l("N° de TVA intracommunautaire de l'entreprise (facultatif)"),
                                     validators=[Length(max=30)],
                                     description=_l("Par exemple FR12345678901."),
                                     render_kw={"spellcheck": "false"})

    def __init__(self, *args, country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.billing_country.choices = [("", _l("Choisissez un pays")), *country_choices]

    def billing_details(self) -> BillingDetails:
        """The details as typed (at checkout, and when corrected from Mes paramètres)."""
        return BillingDetails(self.billing_name.data, self.billing_address.data, self.billing_postal_code.data,
                              self.billing_city.data, self.billing_country.data, self.billing_company.data or "",
                              self.billing_vat_number.data or "")


PAYMENT_METHOD_CHOICES = [(method.value, text) for method, text in PAYMENT_METHOD_LABELS.items()]


class PaymentStepForm(Form):
    payment_method = RadioField(_l("Moyen de paiement"), choices=PAYMENT_METHOD_CHOICES,
                                validators=[InputRequired(_l("Choisissez une carte bancaire ou PayPal."))],
                                description=_l("Vous paierez sur la page sécurisée de notre prestataire de paiement "
                                               "(Adyen, certifié PCI-DSS) : vos coordonnées bancaires ne passent "
                                               "jamais par nos serveurs."))
    promo_code = StringField(_l("Code promo (facultatif)"), validators=[Length(max=40)],
                             render_kw={"autocomplete": "off", "spellcheck": "false"})
    consent_terms = BooleanField(CONSENT_LABELS[ConsentKind.TERMS])
    consent_student_rules = BooleanField(CONSENT_LABELS[ConsentKind.STUDENT_RULES])
    consent_immediate_access = BooleanField(CONSENT_LABELS[ConsentKind.IMMEDIATE_ACCESS])
    consent_payment_holder = BooleanField(CONSENT_LABELS[ConsentKind.PAYMENT_HOLDER])

    def consent_fields(self, kinds):
        """The consent boxes this offer asks for, in order."""
        return [getattr(self, f"consent_{kind.value}") for kind in kinds]


class ValidateForm(Form):
    """"Valider": carries the amount the learner reviewed, so that nothing else can be charged."""

    reviewed_amount = IntegerField(validators=[InputRequired()])


