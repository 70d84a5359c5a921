"""The one home of the interface's labels for enumeration values: every member of a labelled enum maps to its
French msgid, translated when shown. Templates use the `label` filter (`{{ course.level | label }}`); services
that put a label in a mail or a PDF call `label(member)` inside the reader's language.

The dicts keep their members in the order the forms list them.
"""

import enum
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from jinja2.runtime import Context

from app.models.catalog import CourseFormat, Level
from app.models.commerce import ConsentKind, GuardianActKind, OfferKind, SubscriptionStatus
from app.models.community import ReportReason
from app.models.discipline import RuleBreached, Sanction
from app.models.mentoring import Attendance
from app.models.payment import TransactionKind
from app.models.project import ProjectStatus
from app.models.support import ContactQuestion
from app.services.exits.kinds import ExitKind
from app.services.mentoring.projects import ProjectState
from app.services.payments.gateway import PaymentMethod
from app.services.payments.refusals import RefusalKind

LEVEL_LABELS: dict[Level, LazyString] = {
    Level.BEGINNER: _l("Débutant"),
    Level.INTERMEDIATE: _l("Intermédiaire"),
    Level.ADVANCED: _l("Avancé"),
}

FORMAT_LABELS: dict[CourseFormat, LazyString] = {
    CourseFormat.TEXT: _l("Texte"),
    CourseFormat.VIDEO: _l("Vidéo"),
    CourseFormat.MIXED: _l("Texte et vidéo"),
}

SUBSCRIPTION_STATUS_LABELS: dict[SubscriptionStatus, LazyString] = {
    SubscriptionStatus.REFLECTION: _l("Délai de réflexion en cours"),
    SubscriptionStatus.AWAITING_PAYMENT: _l("Paiement du premier mois en cours"),
    SubscriptionStatus.ACTIVE: _l("Actif"),
    SubscriptionStatus.CANCELLING: _l("Résilié"),
    SubscriptionStatus.PAST_DUE: _l("Paiement en retard"),
    SubscriptionStatus.SUSPENDED: _l("Suspendu pour défaut de paiement"),
    SubscriptionStatus.ENDED: _l("Terminé"),
    SubscriptionStatus.WITHDRAWN: _l("Rétractation exercée"),
    SubscriptionStatus.ABANDONED: _l("Abandonné pendant le délai de réflexion"),
}

TRANSACTION_KIND_LABELS: dict[TransactionKind, LazyString] = {
    TransactionKind.CHARGE: _l("Paiement"),
    TransactionKind.FAILURE: _l("Paiement refusé"),
    TransactionKind.REFUND: _l("Remboursement"),
    TransactionKind.CHARGEBACK: _l("Contestation bancaire"),
}

# The reasons of the report form (Student Rules art. 3 and 5).
REASON_LABELS: dict[ReportReason, LazyString] = {
    ReportReason.ABUSE: _l("Propos injurieux, menaçants ou discriminatoires, harcèlement"),
    ReportReason.ILLEGAL: _l("Contenu illicite ou choquant"),
    ReportReason.PERSONAL_DATA: _l("Informations personnelles sur une autre personne"),
    ReportReason.SPAM: _l("Publicité ou spam"),
    ReportReason.OTHER: _l("Autre raison"),
}

# The subjects of the contact form's drop-down.
QUESTION_LABELS: dict[ContactQuestion, LazyString] = {
    ContactQuestion.PARCOURS: _l("Une question sur le contenu d'un Parcours"),
    ContactQuestion.ADMISSION: _l("Les prérequis et l'admission"),
    ContactQuestion.FINANCING: _l("Le financement et le prix"),
    ContactQuestion.PREMIUM: _l("Mon abonnement Premium ou un paiement"),
    ContactQuestion.MENTOR_CHANGE: _l("Changer de mentor (Premium Plus)"),
    ContactQuestion.ATTENDANCE: _l("Contester une présence enregistrée (Premium Plus)"),
    ContactQuestion.TECHNICAL: _l("Un problème technique ou un service indisponible"),
    ContactQuestion.COMPLAINT: _l("Une réclamation : un litige avec nous"),
    ContactQuestion.OTHER: _l("Autre chose"),
}

# The boxes the learner ticks at checkout; a guardian's acceptance (GUARDIAN_TERMS) is recorded, never ticked by
# the learner, so it has no box and no label.
CONSENT_LABELS: dict[ConsentKind, LazyString] = {
    ConsentKind.TERMS: _l("J'ai lu et j'accepte les conditions générales de services."),
    ConsentKind.STUDENT_RULES: _l("J'ai lu et j'accepte le Règlement Intérieur Étudiant."),
    ConsentKind.IMMEDIATE_ACCESS: _l(
        "Je demande l'accès immédiat aux contenus Premium et je reconnais que je perds mon droit de rétractation "
        "dès que j'accède à un contenu Premium (article L221-28 du Code de la consommation)."),
    ConsentKind.PAYMENT_HOLDER: _l(
        "Je suis titulaire du moyen de paiement utilisé, ou j'ai l'accord écrit de son titulaire. Un justificatif "
        "peut m'être demandé."),
}

# How the learner pays, as the checkout offers it and an invoice states it when the provider gave no better name.
PAYMENT_METHOD_LABELS: dict[PaymentMethod, LazyString] = {
    PaymentMethod.CARD: _l("Carte bancaire"),
    PaymentMethod.PAYPAL: _l("PayPal"),
}

OFFER_LABELS: dict[OfferKind, LazyString] = {
    OfferKind.SOLO: _l("Premium Solo"),
    OfferKind.PLUS: _l("Premium Plus"),
}

# A sentence that follows "Votre banque a refusé le paiement." and says what to do.
REFUSAL_LABELS: dict[RefusalKind, LazyString] = {
    RefusalKind.FUNDS: _l("Le solde ou le plafond de paiement de votre carte ne permet pas ce montant."),
    RefusalKind.EXPIRED: _l("Votre carte est expirée : utilisez-en une autre."),
    RefusalKind.SECURITY_CODE: _l("Le cryptogramme visuel (les 3 chiffres au dos de la carte) n'est pas le bon."),
    RefusalKind.CARD_NUMBER: _l("Le numéro de carte n'est pas valide : vérifiez-le."),
    RefusalKind.AUTHENTICATION: _l("La vérification auprès de votre banque (3-D Secure) n'a pas abouti : "
                                   "réessayez en confirmant le paiement dans l'application ou par le code de "
                                   "votre banque."),
    RefusalKind.CARD_BLOCKED: _l("Votre carte ne permet pas ce paiement : votre banque peut vous dire pourquoi."),
    RefusalKind.BANK_UNAVAILABLE: _l("Votre banque n'a pas pu être jointe : réessayez dans quelques minutes."),
    RefusalKind.OTHER: _l("Elle n'en a pas donné la raison : votre banque peut vous la dire."),
}

# Keyed by the enum class: members of two StrEnums with the same value ("video") are equal as strings, so one
# dict of every member would mix them up.
EXIT_LABELS: dict[ExitKind, LazyString] = {
    ExitKind.CANCEL: _l("Résilier"),
    ExitKind.WITHDRAW: _l("Se rétracter"),
    ExitKind.TERMINATE: _l("Résilier pendant les trois premiers mois (article L444-8)"),
    ExitKind.FORCE_MAJEURE: _l("Résilier pour force majeure"),
}

GUARDIAN_ACT_LABELS: dict[GuardianActKind, LazyString] = {
    GuardianActKind.CANCELLATION: _l("Résiliation à la fin de la période en cours"),
    GuardianActKind.CANCELLATION_UNDONE: _l("Annulation de la résiliation : l'abonnement continue"),
    GuardianActKind.EARLY_TERMINATION: _l("Résiliation anticipée du contrat Premium Plus (article L444-8)"),
    GuardianActKind.FORCE_MAJEURE: _l("Demande de résiliation pour force majeure"),
}

ATTENDANCE_LABELS: dict[Attendance, LazyString] = {
    Attendance.PRESENT: _l("Présent"),
    Attendance.LATE: _l("En retard de plus de 15 minutes (compté absent)"),
    Attendance.ABSENT: _l("Absent, sans excuse"),
    Attendance.EXCUSED: _l("Absent, excusé"),
}

PROJECT_STATUS_LABELS: dict[ProjectStatus, LazyString] = {
    ProjectStatus.AWAITING_EVALUATION: _l("En cours d'évaluation"),
    ProjectStatus.VALIDATED: _l("Validé"),
    ProjectStatus.TO_REWORK: _l("À retravailler"),
}

PROJECT_STATE_LABELS: dict[ProjectState, LazyString] = {
    ProjectState.LOCKED: _l("Pas encore ouvert"),
    ProjectState.TO_DO: _l("À rendre"),
    **{ProjectState(status.value): text for status, text in PROJECT_STATUS_LABELS.items()},
}

SANCTION_LABELS: dict[Sanction, LazyString] = {
    Sanction.WARNING: _l("Avertissement écrit"),
    Sanction.MENTORING_SUSPENSION: _l("Suspension du mentorat (un mois au plus)"),
    Sanction.TERMINATION: _l("Résiliation de l'abonnement Premium Plus à notre initiative"),
}

RULE_LABELS: dict[RuleBreached, LazyString] = {
    RuleBreached.ATTENDANCE: _l("Article 2 : assiduité aux séances de mentorat"),
    RuleBreached.CONDUCT: _l("Article 3 : comportement et respect"),
    RuleBreached.ORIGINALITY: _l("Article 4 : originalité des projets et plagiat"),
    RuleBreached.PLATFORM_USE: _l("Article 5 : utilisation de la Plateforme et des données des apprenants"),
}

LABELS: dict[type[enum.Enum], Mapping[Any, LazyString]] = {
    Sanction: SANCTION_LABELS,
    RuleBreached: RULE_LABELS,
    Attendance: ATTENDANCE_LABELS,
    ProjectStatus: PROJECT_STATUS_LABELS,
    ProjectState: PROJECT_STATE_LABELS,
    GuardianActKind: GUARDIAN_ACT_LABELS,
    ExitKind: EXIT_LABELS,
    Level: LEVEL_LABELS,
    CourseFormat: FORMAT_LABELS,
    SubscriptionStatus: SUBSCRIPTION_STATUS_LABELS,
    TransactionKind: TRANSACTION_KIND_LABELS,
    ReportReason: REASON_LABELS,
    ContactQuestion: QUESTION_LABELS,
    ConsentKind: CONSENT_LABELS,
    PaymentMethod: PAYMENT_METHOD_LABELS,
    RefusalKind: REFUSAL_LABELS,
    OfferKind: OFFER_LABELS,
}
# Members that are never shown, so need no label.
UNLABELLED: frozenset[enum.Enum] = frozenset({ConsentKind.GUARDIAN_TERMS})


# The colour of a status's tag (GOV.UK Frontend's modifiers): done is green, waiting on someone else teal, to do
# the brand's purple, to do again orange, not yet possible grey.
TAG_COLOURS: dict[enum.Enum, str] = {
    ProjectState.LOCKED: "grey", ProjectState.TO_DO: "purple", ProjectState.AWAITING_EVALUATION: "teal",
    ProjectState.TO_REWORK: "orange", ProjectState.VALIDATED: "green",
}


def tag_colour(member: enum.Enum) -> str:
    return TAG_COLOURS[member]


def label(member: enum.Enum) -> str:
    """The label of an enum member in the current language (a KeyError for a member that has none)."""
    return str(LABELS[type(member)][member])


def init_app(app: Flask) -> None:
    """`label` as a Jinja filter and global; pass_context so that Jinja never folds a label into the template
    in the first reader's language."""
    app.jinja_env.filters["label"] = _label_filter
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["tag_colour"] = tag_colour


@pass_context
def _label_filter(_context: Context, member: enum.Enum) -> str:
    return label(member)
