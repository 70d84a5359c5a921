"""Typed SQLAlchemy models, one module per aggregate."""

from app.models.assignment import (
    Assignment,
    AssignmentSubmission,
    CriterionScore,
    PeerReview,
    RubricCriterion,
)
from app.models.catalog import Category, Chapter, Course, Parcours, parcours_courses
from app.models.certificate import Certificate, CertificateKind, CertificatePdf, DefenceDecision
from app.models.commerce import (
    Consent,
    ContractPdf,
    ForceMajeureRequest,
    GuardianAct,
    GuardianApproval,
    MentorAssignment,
    Order,
    ParcoursChangeRequest,
    PriceSetting,
    PromoCode,
    ReferralReward,
    Subscription,
)
from app.models.community import (
    AbuseReport,
    Conversation,
    ForumCategory,
    ForumPost,
    ForumThread,
    PrivateMessage,
)
from app.models.defence import DefenceRequest
from app.models.discipline import DisciplinaryCase, RuleBreached, Sanction
from app.models.invoice import Invoice, InvoiceCounter
from app.models.learning import ChapterProgress
from app.models.mail import OutboxAttachment, OutboxMessage
from app.models.mentoring import Attendance, MentoringSession, MentorParcours, MentorSlot, SessionStatus
from app.models.payment import (
    PaymentMethodUpdate,
    PaymentTransaction,
    ProcessedNotification,
    Renewal,
    SimulatedCharge,
    SimulatedPaymentSession,
    SimulatedStoredMethod,
)
from app.models.privacy import DataExport
from app.models.project import (
    CriterionEvaluation,
    Project,
    ProjectCriterion,
    ProjectStatus,
    ProjectSubmission,
)
from app.models.quiz import QuestionKind, Quiz, QuizAttempt, QuizChoice, QuizQuestion
from app.models.support import ContactAddition, ContactQuestion, ContactRequest
from app.models.terms import LegalDocumentVersion, RenderedAudio, RenderedPdf, TermsChangeNotice
from app.models.user import User, UserSession

__all__ = [
    "Assignment", "AssignmentSubmission", "CriterionScore", "PeerReview", "RubricCriterion",
    "Certificate", "CertificateKind", "CertificatePdf", "DefenceDecision", "DefenceRequest",
    "AbuseReport", "Conversation", "ForumCategory", "ForumPost", "ForumThread", "PrivateMessage",
    "ChapterProgress",
    "DataExport",
    "DisciplinaryCase", "RuleBreached", "Sanction",
    "CriterionEvaluation", "Project", "ProjectCriterion", "ProjectStatus", "ProjectSubmission",
    "Consent", "ContractPdf", "ForceMajeureRequest",
    "GuardianAct", "GuardianApproval", "Order", "ParcoursChangeRequest", "PriceSetting", "PromoCode", "ReferralReward",
    "Subscription",
    "PaymentMethodUpdate", "PaymentTransaction", "ProcessedNotification", "Renewal", "SimulatedCharge",
    "SimulatedPaymentSession", "SimulatedStoredMethod",
    "Category", "Chapter", "Course", "Parcours", "parcours_courses", "OutboxMessage", "OutboxAttachment",
    "Attendance", "MentorAssignment", "MentorParcours", "MentorSlot", "MentoringSession", "SessionStatus",
    "LegalDocumentVersion", "RenderedAudio", "RenderedPdf", "TermsChangeNotice", "User", "UserSession",
    "ContactAddition", "ContactQuestion", "ContactRequest",
    "QuestionKind", "Quiz", "QuizAttempt", "QuizChoice", "QuizQuestion",
    "Invoice", "InvoiceCounter",
]
