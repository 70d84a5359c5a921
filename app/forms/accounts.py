"""Account forms: sign-up, sign-in, password reset and change."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length

from app.forms import Form
from app.forms.dates import DateInParts
from app.services.accounts.users import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

PASSWORD_HINT = _l("Au moins %(n)s caractères. Une phrase facile à retenir fait un bon mot de passe.",
                   n=MIN_PASSWORD_LENGTH)


def birth_date_field(description: LazyString) -> DateInParts:
    return DateInParts(_l("Date de naissance"), validators=[DataRequired(_l("Indiquez votre date de naissance."))],
                       description=description, autocomplete="bday")


def _email_field(label=None):
    return EmailField(label or _l("Adresse email"), validators=[
        DataRequired(_l("Indiquez votre adresse email.")),
        Email(_l("Indiquez une adresse email valide, par exemple prenom.nom@exemple.fr.")),
        Length(max=254),
    ], render_kw={"autocomplete": "email", "spellcheck": "false"})


def _new_password_field(label):
    return PasswordField(label, validators=[
        DataRequired(_l("Choisissez un mot de passe.")),
        Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH,
               message=_l("Le mot de passe doit contenir entre %(min)s et %(max)s caractères.",
                          min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)),
    ], description=PASSWORD_HINT, render_kw={"autocomplete": "new-password"})


# Who the learner is: what sign-up asks and what "Mon profil" rectifies, declared once.

def _first_name_field() -> StringField:
    return StringField(_l("Prénom"), validators=[DataRequired(_l("Indiquez votre prénom.")), Length(max=100)],
                       render_kw={"autocomplete": "given-name"})


def _last_name_field() -> StringField:
    return StringField(_l("Nom"), validators=[DataRequired(_l("Indiquez votre nom.")), Length(max=100)],
                       render_kw={"autocomplete": "family-name"})


def _country_field() -> SelectField:
    return SelectField(_l("Pays de résidence"), validators=[DataRequired(_l("Choisissez votre pays de résidence."))],
                       render_kw={"autocomplete": "country"})


def _legal_protection_field() -> RadioField:
    return RadioField(
        _l("Faites-vous l'objet d'une mesure de protection juridique (sauvegarde de justice, tutelle, "
           "curatelle) ?"),
        choices=[("no", _l("Non")), ("yes", _l("Oui"))],
        validators=[InputRequired(_l("Répondez à la question sur la mesure de protection juridique."))],
        description=_l("Si oui, votre tuteur ou curateur devra approuver votre abonnement."),
    )


_BIRTH_DATE_HINT = _l("Par exemple 27 3 2001. Elle sert à savoir si l'accord d'un représentant légal est nécessaire "
                      "pour vous abonner.")


class _WithCountries(Form):
    def __init__(self, *args, country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choisissez un pays")), *country_choices]


class SignUpForm(_WithCountries):
    first_name = _first_name_field()
    last_name = _last_name_field()
    email = _email_field()
    password = _new_password_field(_l("Mot de passe"))
    date_of_birth = birth_date_field(_BIRTH_DATE_HINT)
    country = _country_field()
    legal_protection = _legal_protection_field()


class ProfileForm(_WithCountries):
    first_name = _first_name_field()
    last_name = _last_name_field()
    date_of_birth = birth_date_field(_BIRTH_DATE_HINT)
    country = _country_field()
    legal_protection = _legal_protection_field()


class SignInForm(Form):
    email = _email_field()
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(_l("Indiquez votre mot de passe."))],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Rester connecté sur cet appareil"))


class ForgotPasswordForm(Form):
    email = _email_field()


class ResetPasswordForm(Form):
    password = _new_password_field(_l("Nouveau mot de passe"))


def _current_password_field(description: str | None = None) -> PasswordField:
    """The account's password, asked again before a change only its owner may make."""
    return PasswordField(_l("Mot de passe actuel"),
                         validators=[DataRequired(_l("Indiquez votre mot de passe actuel."))],
                         description=description, render_kw={"autocomplete": "current-password"})


class ChangePasswordForm(Form):
    current_password = _current_password_field()
    password = _new_password_field(_l("Nouveau mot de passe"))


class ChangeEmailForm(Form):
    new_email = _email_field(_l("Nouvelle adresse email"))
    current_password = _current_password_field(_l("Pour vérifier que c'est bien vous."))


class CloseAccountForm(Form):
    current_password = _current_password_field(_l("Pour vérifier que c'est bien vous."))
