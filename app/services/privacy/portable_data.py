"""What the export's `data.json` holds, section by section, and the JSON Schema that describes it.

Each section names the rows of one table that are the person's and the fields given of each; a field taken from
a column gets its JSON type and its nullability from the column, so that the schema (`docs/data-export.schema.json`,
kept equal to `schema()` by a test) cannot drift from the data. Left out on purpose: secrets (password hash,
session tokens, payment idempotency keys, provider redirect addresses), internal ids, and the identity of other
learners (the learner whose work one reviewed, the reviewer of one's work, one's correspondents in private
messages). Files are given by their path in the archive (`files`).
"""

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.type_api import TypeEngine

from app.extensions import db
from app.models import (
    AbuseReport,
    AssignmentSubmission,
    Certificate,
    ChapterProgress,
    Consent,
    ContactRequest,
    Course,
    CriterionScore,
    DefenceDecision,
    ForceMajeureRequest,
    ForumPost,
    ForumThread,
    GuardianApproval,
    Invoice,
    LegalDocumentVersion,
    MentorAssignment,
    Order,
    ParcoursChangeRequest,
    PaymentTransaction,
    PeerReview,
    PrivateMessage,
    QuizAttempt,
    ReferralReward,
    Subscription,
    TermsChangeNotice,
    User,
    UserSession,
)
from app.models._types import UTCDateTime
from app.services.common import clock

FORMAT = "learner-portal-data-export/1"
SCHEMA_ID = "https://portail.example.org/docs/data-export.schema.json"

# Paths in the archive, by kind of file, for the `files` fields: {key: path}.
Files = dict[tuple[str, int], list[str]]


@dataclass(frozen=True)
class Context:
    """What some fields need besides their row: whose export it is, where the files are in the archive, the
    courses' addresses."""
    user: User
    files: Files
    course_slugs: dict[int, str]


@dataclass(frozen=True)
class Field:
    name: str
    schema: dict[str, Any]  # the JSON Schema of the value
    read: Callable[[Any, Context], Any]


def field_of(name: str, schema: dict[str, Any], read: Callable[[Any], Any]) -> Field:
    """A field read from its row alone."""
    return Field(name, schema, lambda row, _context: read(row))


def _json_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _type_schema(column_type: TypeEngine[Any]) -> dict[str, Any]:
    if isinstance(column_type, UTCDateTime):
        return {"type": "string", "format": "date-time"}
    if isinstance(column_type, Date):
        return {"type": "string", "format": "date"}
    if isinstance(column_type, Boolean):
        return {"type": "boolean"}
    if isinstance(column_type, Integer):
        return {"type": "integer"}
    if isinstance(column_type, JSON):
        return {}  # as the portal stored it (a quiz's answers and results)
    return {"type": "string"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "type" not in schema:
        return schema
    return {**schema, "type": [schema["type"], "null"]}


def _attribute(name: str) -> Callable[[Any], Any]:
    return lambda row: _json_value(getattr(row, name))


def columns(model: type[Any], *names: str) -> list[Field]:
    """Fields read from the model's columns of these names, typed as the columns are."""
    table_columns = model.__table__.columns
    fields = []
    for name in names:
        column = table_columns[name]
        schema = _type_schema(column.type)
        fields.append(field_of(name, _nullable(schema) if column.nullable else schema, _attribute(name)))
    return fields


def text(name: str, read: Callable[[Any], Any], nullable: bool = False) -> Field:
    schema: dict[str, Any] = {"type": "string"}
    return field_of(name, _nullable(schema) if nullable else schema, read)


def items(name: str, item_fields: Sequence[Field], read: Callable[[Any], Iterable[Any]]) -> Field:
    """A list of objects inside a row (a review's scores, a request's additions)."""
    return Field(name, {"type": "array", "items": _object_schema(item_fields)},
                 lambda row, context: [_object(item, item_fields, context) for item in read(row)])


def _object_schema(fields: Sequence[Field]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": [f.name for f in fields],
            "properties": {f.name: f.schema for f in fields}}


def _object(row: Any, fields: Sequence[Field], context: Context) -> dict[str, Any]:
    return {f.name: f.read(row, context) for f in fields}


def _course_field(course_id: Callable[[Any], int]) -> Field:
    return Field("course", {"type": "string"}, lambda row, context: context.course_slugs.get(course_id(row), ""))


def _slug(thing: Any) -> str | None:
    return thing.slug if thing is not None else None


@dataclass(frozen=True)
class Section:
    name: str
    description: str
    rows: Callable[[User], Iterable[Any]]
    fields: Sequence[Field] = field(default_factory=list)
    files_of: str | None = None  # the kind of file in `Files` this section's rows have

    def all_fields(self) -> list[Field]:
        return [*self.fields, files_field(self.files_of)] if self.files_of else list(self.fields)


def files_field(kind: str) -> Field:
    """The paths in the archive of the files of a row (the archive lays them out before the data is written)."""
    return Field("files", {"type": "array", "items": {"type": "string"}},
                 lambda row, context: context.files.get((kind, row.id), []))


def _owned(model: Any, owner: Any, *options: Any, order: Any = None) -> Callable[[User], Iterable[Any]]:
    def rows(user: User) -> Iterable[Any]:
        return db.session.scalars(select(model).where(owner == user.id).options(*options)
                                  .order_by(order if order is not None else model.id))
    return rows


def _mentorings(user: User) -> Iterable[MentorAssignment]:
    return db.session.scalars(select(MentorAssignment).join(Subscription)
                              .where(Subscription.user_id == user.id)
                              .options(joinedload(MentorAssignment.mentor)).order_by(MentorAssignment.id))


def _force_majeure(user: User) -> Iterable[ForceMajeureRequest]:
    return db.session.scalars(select(ForceMajeureRequest).join(Subscription)
                              .where(Subscription.user_id == user.id).order_by(ForceMajeureRequest.id))


# A review is given with its assignment's title and each criterion's label: read with it, not one query each.
_REVIEW_DETAILS = (selectinload(PeerReview.scores).joinedload(CriterionScore.criterion),
                   joinedload(PeerReview.submission).joinedload(AssignmentSubmission.assignment))


def _reviews_given(user: User) -> Iterable[PeerReview]:
    return db.session.scalars(select(PeerReview).where(PeerReview.reviewer_id == user.id)
                              .options(*_REVIEW_DETAILS).order_by(PeerReview.id))


def _reviews_received(user: User) -> Iterable[PeerReview]:
    return db.session.scalars(select(PeerReview).join(AssignmentSubmission)
                              .where(AssignmentSubmission.user_id == user.id)
                              .options(*_REVIEW_DETAILS).order_by(PeerReview.id))


def _messages(user: User) -> Iterable[PrivateMessage]:
    return db.session.scalars(select(PrivateMessage)
                              .where((PrivateMessage.sender_id == user.id) | (PrivateMessage.recipient_id == user.id))
                              .order_by(PrivateMessage.id))


def _consents(user: User) -> Iterable[tuple[Consent, LegalDocumentVersion | None]]:
    return db.session.execute(select(Consent, LegalDocumentVersion)
                              .outerjoin(LegalDocumentVersion, LegalDocumentVersion.id == Consent.document_version_id)
                              .where(Consent.user_id == user.id).order_by(Consent.id)).all()


def _version_label(version: LegalDocumentVersion | None) -> str | None:
    return f"{version.document} {version.version}" if version is not None else None


def _bilingual(name: str, nullable: bool = False) -> list[Field]:
    return [text(f"{name}_fr", lambda row: getattr(row, f"{name}_fr"), nullable),
            text(f"{name}_en", lambda row: getattr(row, f"{name}_en"), nullable)]


_SCORES = [text("criterion_fr", lambda score: score.criterion.label_fr),
           text("criterion_en", lambda score: score.criterion.label_en),
           field_of("points", {"type": "integer"}, lambda score: score.points)]

_REVIEW = [text("assignment_fr", lambda review: review.submission.assignment.title_fr),
           text("assignment_en", lambda review: review.submission.assignment.title_en),
           *columns(PeerReview, "comments", "submitted_at"),
           items("scores", _SCORES, lambda review: review.scores)]

SECTIONS: list[Section] = [
    Section("sessions", "The browsers signed in to the account.",
            _owned(UserSession, UserSession.user_id),
            columns(UserSession, "user_agent", "created_at", "last_seen_at", "remember")),
    Section("orders", "Orders (checkouts), with the billing details and the prices of their review.",
            _owned(Order, Order.user_id, joinedload(Order.parcours), joinedload(Order.promo_code)),
            [*columns(Order, "reference", "offer", "status", "billing_name", "billing_address",
                      "billing_postal_code", "billing_city", "billing_country", "payment_method",
                      "monthly_price_cents", "discount_cents", "discounted_months", "last_refusal", "created_at",
                      "validated_at", "paid_at"),
             text("parcours", lambda order: _slug(order.parcours), nullable=True),
             text("promo_code", lambda order: order.promo_code.code if order.promo_code else None, nullable=True)]),
    Section("subscriptions", "Subscriptions, with their dates and state; `files` is the signed Premium Plus "
            "contract, as it was rendered at its signature.",
            _owned(Subscription, Subscription.user_id, joinedload(Subscription.parcours),
                   joinedload(Subscription.order)),
            [text("order_reference", lambda subscription: subscription.order.reference),
             text("parcours", lambda subscription: _slug(subscription.parcours), nullable=True),
             *columns(Subscription, "offer", "status", "monthly_price_cents", "discount_cents",
                      "discounted_periods_left", "accepted_at", "reflection_ends_at", "signed_at", "started_at",
                      "current_period_start", "current_period_end", "ended_at", "cancel_requested_at",
                      "past_due_since", "first_premium_access_at", "method_label")],
            files_of="contract"),
    Section("mentors", "The mentors who accompanied a Premium Plus subscription.", _mentorings,
            [text("mentor", lambda assignment: assignment.mentor.full_name),
             *columns(MentorAssignment, "assigned_at", "ended_at")]),
    Section("transactions", "Payments, refunds and refusals, as the payment provider reported them.",
            _owned(PaymentTransaction, PaymentTransaction.user_id),
            columns(PaymentTransaction, "kind", "amount_cents", "currency", "provider", "psp_reference",
                    "merchant_reference", "method_label", "reason", "created_at")),
    Section("invoices", "Invoices and credit notes; `files` is the PDF as it was issued.",
            _owned(Invoice, Invoice.user_id),
            columns(Invoice, "number", "kind", "issued_at", "description_fr", "description_en", "period_start",
                    "period_end", "amount_ttc_cents", "vat_rate_percent", "vat_cents", "amount_ht_cents",
                    "discount_cents", "referral_credit_cents", "payment_method_label", "paid_at", "customer_name",
                    "customer_address", "language"),
            files_of="invoice"),
    Section("consents", "Each box ticked: which document and version, the wording, when and from where.",
            _consents,
            [text("kind", lambda pair: pair[0].kind.value),
             text("document", lambda pair: _version_label(pair[1]), nullable=True),
             text("wording", lambda pair: pair[0].wording),
             text("given_by", lambda pair: pair[0].given_by),
             text("ip_address", lambda pair: pair[0].ip_address),
             field_of("given_at", {"type": "string", "format": "date-time"},
                      lambda pair: pair[0].given_at.isoformat())]),
    Section("terms_decisions", "Material changes of the terms notified, and what was decided.",
            _owned(TermsChangeNotice, TermsChangeNotice.user_id, joinedload(TermsChangeNotice.version)),
            [text("document", lambda notice: _version_label(notice.version)),
             *columns(TermsChangeNotice, "notified_at", "window_ends_at", "decision", "decided_at", "decided_ip")]),
    Section("guardian_approvals", "The approvals asked of a parent, legal representative or curator.",
            _owned(GuardianApproval, GuardianApproval.learner_id, joinedload(GuardianApproval.parcours)),
            [*columns(GuardianApproval, "offer", "guardian_name", "guardian_email", "relationship_kind", "status",
                      "requested_at", "decided_at", "decided_ip"),
             text("parcours", lambda approval: _slug(approval.parcours), nullable=True)]),
    Section("referral_rewards", "Rewards earned by referring someone (art. 4).",
            _owned(ReferralReward, ReferralReward.referrer_id),
            columns(ReferralReward, "amount_cents", "created_at", "earned_at", "taken_back_at", "used_at")),
    Section("force_majeure_requests", "Requests to end a Premium Plus contract for force majeure; `files` is the "
            "supporting document sent.", _force_majeure,
            columns(ForceMajeureRequest, "reason", "document_name", "status", "created_at", "decided_at"),
            files_of="force_majeure"),
    Section("parcours_change_requests", "Requests to change Parcours.",
            _owned(ParcoursChangeRequest, ParcoursChangeRequest.user_id,
                   joinedload(ParcoursChangeRequest.target_parcours)),
            [text("target_parcours", lambda change: change.target_parcours.slug),
             *columns(ParcoursChangeRequest, "reason", "status", "created_at", "decision_message", "decided_at")]),
    Section("reading_progress", "Chapters opened and finished.",
            _owned(ChapterProgress, ChapterProgress.user_id),
            [_course_field(lambda progress: progress.course_id),
             field_of("chapter_id", {"type": "integer"}, lambda progress: progress.chapter_id),
             *columns(ChapterProgress, "last_opened_at", "completed_at")]),
    Section("quiz_attempts", "Quiz attempts: the answers given and how each was marked.",
            _owned(QuizAttempt, QuizAttempt.user_id, joinedload(QuizAttempt.quiz)),
            [_course_field(lambda attempt: attempt.quiz.course_id),
             *columns(QuizAttempt, "submitted_at", "answers", "results", "right_count", "question_count",
                      "score_percent", "pass_mark_percent", "passed")]),
    Section("submissions", "Assignments handed in; `files` is the file attached, as sent.",
            _owned(AssignmentSubmission, AssignmentSubmission.user_id,
                   joinedload(AssignmentSubmission.assignment)),
            [text("assignment_fr", lambda submission: submission.assignment.title_fr),
             text("assignment_en", lambda submission: submission.assignment.title_en),
             *columns(AssignmentSubmission, "attempt", "text", "file_name", "file_type", "file_size",
                      "submitted_at", "status", "grade_percent", "passed", "reviewed_at")],
            files_of="submission"),
    Section("reviews_given", "Peer reviews written, without the identity of the learner reviewed.",
            _reviews_given, _REVIEW),
    Section("reviews_received", "Peer reviews of one's work, without the identity of the reviewer.",
            _reviews_received, _REVIEW),
    Section("certificates", "Certificates of achievement and diplomas; `files` is the PDF.",
            _owned(Certificate, Certificate.user_id),
            [*columns(Certificate, "public_id", "kind", "learner_name", "issuer", "issued_at", "grade_percent",
                      "defended_on", "revoked_at", "revocation_reason"), *_bilingual("title")],
            files_of="certificate"),
    Section("defence_decisions", "Decisions of the jury after a final defence.",
            _owned(DefenceDecision, DefenceDecision.user_id, joinedload(DefenceDecision.parcours)),
            [text("parcours", lambda decision: decision.parcours.slug),
             *columns(DefenceDecision, "defended_on", "favourable", "comments", "recorded_at")]),
    Section("forum_threads", "Forum threads opened.",
            _owned(ForumThread, ForumThread.author_id),
            columns(ForumThread, "title", "created_at", "hidden_at")),
    Section("forum_posts", "Forum posts written.",
            _owned(ForumPost, ForumPost.author_id, joinedload(ForumPost.thread)),
            [text("thread", lambda post: post.thread.title),
             *columns(ForumPost, "body", "is_opening", "created_at", "hidden_at")]),
    Section("private_messages", "Private messages sent and received, without the correspondents' identity.",
            _messages,
            [field_of("conversation", {"type": "integer"}, lambda message: message.conversation_id),
             Field("sent", {"type": "boolean"}, lambda message, context: message.sender_id == context.user.id),
             *columns(PrivateMessage, "body", "created_at", "read_at", "hidden_at")]),
    Section("abuse_reports", "Reports of a post or message made to the moderators.",
            _owned(AbuseReport, AbuseReport.reporter_id),
            columns(AbuseReport, "reason", "details", "created_at", "resolved_at", "outcome")),
    Section("requests", "Questions and complaints sent to Student Success, with what was added and answered.",
            _owned(ContactRequest, ContactRequest.user_id, selectinload(ContactRequest.additions)),
            [text("reference", lambda contact: contact.reference),
             *columns(ContactRequest, "question", "name", "email", "phone", "message", "language", "created_at",
                      "answer", "answered_at"),
             items("additions", [text("message", lambda addition: addition.message),
                                 field_of("created_at", {"type": "string", "format": "date-time"},
                                          lambda addition: addition.created_at.isoformat())],
                   lambda contact: contact.additions)]),
]

ACCOUNT = columns(User, "email", "first_name", "last_name", "date_of_birth", "country", "under_legal_protection",
                  "locale", "created_at", "is_staff", "is_mentor", "referral_code", "public_profile",
                  "public_profile_id")

DOCUMENTS = [text("document", lambda version: version.document), text("version", lambda version: version.version),
             field_of("effective_on", {"type": "string", "format": "date"},
                      lambda version: version.effective_on.isoformat()),
             files_field("legal")]



def accepted_versions(user: User) -> list[LegalDocumentVersion]:
    """The versions of the terms and of the Student Rules the person (or their guardian for them) accepted, at
    a checkout or by a decision on a change of the terms."""
    by_consent = select(Consent.document_version_id).where(Consent.user_id == user.id)
    by_decision = select(TermsChangeNotice.version_id).where(TermsChangeNotice.user_id == user.id,
                                                             TermsChangeNotice.decided_at.is_not(None))
    return list(db.session.scalars(select(LegalDocumentVersion)
                                   .where(LegalDocumentVersion.id.in_(by_consent.union(by_decision)))
                                   .order_by(LegalDocumentVersion.document, LegalDocumentVersion.effective_on)))


def document(user: User, files: Files) -> dict[str, Any]:
    """Everything the portal holds about `user`, as `data.json` gives it."""
    slugs = {course_id: slug for course_id, slug in db.session.execute(select(Course.id, Course.slug))}
    context = Context(user, files, slugs)
    data: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": clock.now().isoformat(),
        "account": _object(user, ACCOUNT, context),
        "documents_accepted": [_object(version, DOCUMENTS, context) for version in accepted_versions(user)],
    }
    for section in SECTIONS:
        fields = section.all_fields()
        data[section.name] = [_object(row, fields, context) for row in section.rows(user)]
    return data


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `document`'s result: `docs/data-export.schema.json`."""
    properties: dict[str, Any] = {
        "format": {"const": FORMAT, "description": "The name and version of this format."},
        "generated_at": {"type": "string", "format": "date-time"},
        "account": {**_object_schema(ACCOUNT), "description": "The account's identity and settings."},
        "documents_accepted": {"type": "array", "items": _object_schema(DOCUMENTS),
                               "description": "The versions of the terms and of the Student Rules accepted; "
                                              "`files` is each as it was."},
    }
    for section in SECTIONS:
        properties[section.name] = {"type": "array", "items": _object_schema(section.all_fields()),
                                    "description": section.description}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "Learner portal: export of a person's data", "type": "object",
            "additionalProperties": False, "required": list(properties), "properties": properties}
