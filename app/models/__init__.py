"""Typed SQLAlchemy models, one module per aggregate."""

from app.models.catalog import Category, Chapter, Course, Parcours, parcours_courses
from app.models.commerce import (
    Consent,
    ForceMajeureRequest,
    GuardianApproval,
    Order,
    PriceSetting,
    PromoCode,
    ReferralReward,
    Subscription,
)
from app.models.invoice import Invoice, InvoiceCounter
from app.models.learning import ChapterProgress
from app.models.mail import OutboxMessage
from app.models.payment import (
    PaymentMethodUpdate,
    PaymentTransaction,
    ProcessedNotification,
    Renewal,
    SimulatedCharge,
    SimulatedPaymentSession,
    SimulatedStoredMethod,
)
from app.models.support import ContactQuestion, ContactRequest
from app.models.terms import LegalDocumentVersion, RenderedPdf
from app.models.user import User, UserSession

__all__ = [
    "ChapterProgress",
    "Consent", "ForceMajeureRequest",
    "GuardianApproval", "Order", "PriceSetting", "PromoCode", "ReferralReward", "Subscription",
    "PaymentMethodUpdate", "PaymentTransaction", "ProcessedNotification", "Renewal", "SimulatedCharge", "SimulatedPaymentSession",
    "SimulatedStoredMethod",
    "Category", "Chapter", "Course", "Parcours", "parcours_courses", "OutboxMessage",
    "LegalDocumentVersion", "RenderedPdf", "User", "UserSession",
    "ContactQuestion", "ContactRequest",
    "Invoice", "InvoiceCounter",
]
