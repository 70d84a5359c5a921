"""Student Success forms: "Nous contacter" and the staff's answer."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from app.forms import Form
from app.labels import QUESTION_LABELS
from app.models.support import ContactQuestion
from app.services.support.requests import (
    MAX_ANSWER_LENGTH,
    MAX_MESSAGE_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PHONE_LENGTH,
)

PHONE_ERROR = _l("Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78, ou laissez ce champ vide.")


# Subjects sent from their own page, with what they concern (the Premium tab's request for another mentor names
# the subscription's Parcours): not offered in the contact form's list.
SENT_FROM_ELSEWHERE = frozenset({ContactQuestion.MENTOR_CHANGE, ContactQuestion.ATTENDANCE})


class ContactForm(Form):
    name = StringField(_l("Nom et prénom"), validators=[
        DataRequired(_l("Indiquez votre nom.")),
        Length(max=MAX_NAME_LENGTH, message=_l("Le nom doit contenir au plus %(n)s caractères.", n=MAX_NAME_LENGTH)),
    ], render_kw={"autocomplete": "name"})
    email = EmailField(_l("Adresse email"), validators=[
        DataRequired(_l("Indiquez votre adresse email.")),
        Email(_l("Indiquez une adresse email valide, par exemple prenom.nom@exemple.fr.")),
        Length(max=254),
    ], description=_l("Nous vous répondons à cette adresse."),
        render_kw={"autocomplete": "email", "spellcheck": "false"})
    phone = TelField(_l("Téléphone (facultatif)"), validators=[
        Optional(),
        Length(max=MAX_PHONE_LENGTH, message=PHONE_ERROR),
        Regexp(r"^\+?[0-9 .\-()]{6,}$", message=PHONE_ERROR),
    ], description=_l("Si vous préférez que nous vous rappelions."), render_kw={"autocomplete": "tel"})
    question = SelectField(_l("Votre question porte sur"),
                           validators=[DataRequired(_l("Choisissez le sujet de votre question dans la liste."))],
                           validate_choice=False)  # an unknown value is refused by the service
    parcours = SelectField(_l("Parcours concerné (facultatif)"), validators=[Optional()],
                           validate_choice=False)  # the view looks the slug up
    message = TextAreaField(_l("Votre message"), validators=[
        DataRequired(_l("Écrivez votre message.")),
        Length(max=MAX_MESSAGE_LENGTH,
               message=_l("Le message doit contenir au plus %(n)s caractères.", n=MAX_MESSAGE_LENGTH)),
    ], description=_l("N'indiquez jamais votre mot de passe ni vos coordonnées bancaires."),
        render_kw={"rows": 8})

    def __init__(self, *args, parcours_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.question.choices = [("", _l("Choisissez un sujet")),
                                 *((question.value, label) for question, label in QUESTION_LABELS.items()
                                   if question not in SENT_FROM_ELSEWHERE)]
        self.parcours.choices = [("", _l("Aucun Parcours en particulier")), *parcours_choices]


class AnswerForm(Form):
    answer = TextAreaField(_l("Votre réponse"), validators=[
        DataRequired(_l("Écrivez la réponse.")),
        Length(max=MAX_ANSWER_LENGTH,
               message=_l("La réponse doit contenir au plus %(n)s caractères.", n=MAX_ANSWER_LENGTH)),
    ], description=_l("Elle est envoyée par email au demandeur, telle quelle, dans la langue de sa demande."),
        render_kw={"rows": 10})


class AdditionForm(Form):
    """What a learner adds to their own request, from Mes paramètres > Mes demandes (one form per open request,
    told apart by its prefix; the view names the request in the label)."""
    message = TextAreaField(_l("Ajouter à cette demande"), validators=[
        DataRequired(_l("Écrivez votre message.")),
        Length(max=MAX_MESSAGE_LENGTH,
               message=_l("Le message doit contenir au plus %(n)s caractères.", n=MAX_MESSAGE_LENGTH)),
    ], description=_l("Student Success le lit avec votre demande. N'indiquez jamais votre mot de passe ni vos "
                      "coordonnées bancaires."), render_kw={"rows": 5})


class MentorChoiceForm(Form):
    """Student Success names the mentor of one Premium Plus learner (one form per learner, told apart by its
    prefix; the view gives the mentors of the learner's Parcours as choices)."""
    mentor = SelectField(_l("Mentor"), coerce=int, validate_choice=False)  # the service checks the choice


class MentorChangeForm(Form):
    """A Premium Plus learner asks Student Success for another mentor."""

    message = TextAreaField(_l("Pourquoi souhaitez-vous changer de mentor ?"),
                            validators=[DataRequired(_l("Expliquez en quelques mots pourquoi vous souhaitez changer "
                                                        "de mentor.")), Length(max=MAX_MESSAGE_LENGTH)],
                            description=_l("Student Success lit votre demande, vous répond par email et, s'il y a "
                                           "lieu, vous attribue un autre mentor de votre Parcours."))
