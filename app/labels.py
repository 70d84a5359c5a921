"""Translated labels for enumerations shown in the interface."""

from flask_babel import lazy_gettext as _l

from app.models.catalog import CourseFormat, Level
from app.models.commerce import SubscriptionStatus
from app.models.payment import TransactionKind

LEVEL_LABELS = {
    Level.BEGINNER: _l("Débutant"),
    Level.INTERMEDIATE: _l("Intermédiaire"),
    Level.ADVANCED: _l("Avancé"),
}

FORMAT_LABELS = {
    CourseFormat.TEXT: _l("Texte"),
    CourseFormat.VIDEO: _l("Vidéo"),
    CourseFormat.MIXED: _l("Texte et vidéo"),
}

SUBSCRIPTION_STATUS_LABELS = {
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

TRANSACTION_KIND_LABELS = {
    TransactionKind.CHARGE: _l("Paiement"),
    TransactionKind.FAILURE: _l("Paiement refusé"),
    TransactionKind.REFUND: _l("Remboursement"),
    TransactionKind.CHARGEBACK: _l("Contestation bancaire"),
}
