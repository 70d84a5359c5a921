"""The forum and private-message forms. The lengths and the other rules are checked by services/community, whose
errors come back next to their fields; the hints state the same limits, written in the reader's language."""

from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField

from app.forms import Form
from app.labels import REASON_LABELS
from app.services.community.discussions import (
    MESSAGE_MAX_LENGTH,
    POST_MAX_LENGTH,
    REPORT_DETAILS_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)


def _post_hint() -> str:
    return _("%(limit)s caractères au plus. Texte simple : les balises HTML s'affichent telles quelles ; passez "
             "une ligne pour changer de paragraphe.", limit=format_number(POST_MAX_LENGTH))


class NewThreadForm(Form):
    title = StringField(_l("Titre du sujet"), render_kw={"autocomplete": "off"})
    body = TextAreaField(_l("Votre message"), render_kw={"rows": 10})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title.description = _("En quelques mots, de quoi s'agit-il ? %(limit)s caractères au plus.",
                                   limit=format_number(TITLE_MAX_LENGTH))
        self.body.description = _post_hint()


class ReplyForm(Form):
    body = TextAreaField(_l("Votre réponse"), render_kw={"rows": 6})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.body.description = _post_hint()


class MessageForm(Form):
    body = TextAreaField(_l("Votre message"), render_kw={"rows": 6})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.body.description = _("%(limit)s caractères au plus. Seule la personne à qui vous écrivez le lira (et "
                                  "l'équipe Student Success, si cette personne le lui signale).",
                                  limit=format_number(MESSAGE_MAX_LENGTH))


class ReportForm(Form):
    reason = RadioField(_l("Pourquoi signalez-vous ce message ?"), validate_choice=False)  # checked by the service
    details = TextAreaField(_l("Précisions (facultatif, sauf pour « Autre raison »)"), render_kw={"rows": 4})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [(reason.value, label) for reason, label in REASON_LABELS.items()]
        self.details.description = _(
            "Ce que l'équipe Student Success doit savoir, %(limit)s caractères au plus. L'auteur du message ne "
            "saura pas qui l'a signalé.", limit=format_number(REPORT_DETAILS_MAX_LENGTH))
