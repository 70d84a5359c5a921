"""The predicates that templates call instead of comparing statuses: each one answers for its status only, and a
mail chooses its wording from them."""

import enum
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, render_template

from app.i18n import force_language
from app.models import Order, SimulatedPaymentSession
from app.models.assignment import AssignmentSubmission, SubmissionStatus
from app.models.catalog import Chapter, ChapterKind, Parcours, Registry
from app.models.commerce import (
    ForceMajeureRequest,
    ForceMajeureStatus,
    GuardianApproval,
    GuardianStatus,
    OfferKind,
    OrderStatus,
    ParcoursChangeRequest,
    ParcoursChangeStatus,
)
from app.models.community import AbuseReport, ReportOutcome
from app.models.quiz import QuestionKind, QuizQuestion
from app.models.terms import TermsChangeNotice, TermsDecision


@pytest.mark.parametrize("row, predicate, true_for", [
    (lambda value: Chapter(kind=value), "is_video", {ChapterKind.VIDEO}),
    (lambda value: Parcours(certification_registry=value), "is_rncp_title", {Registry.RNCP}),
    (lambda value: QuizQuestion(kind=value), "is_single", {QuestionKind.SINGLE}),
    (lambda value: QuizQuestion(kind=value), "is_multiple", {QuestionKind.MULTIPLE}),
    (lambda value: QuizQuestion(kind=value), "is_numeric", {QuestionKind.NUMERIC}),
    (lambda value: AssignmentSubmission(status=value), "awaits_review", {SubmissionStatus.AWAITING_REVIEW}),
    (lambda value: AbuseReport(outcome=value), "hid_content", {ReportOutcome.HIDDEN}),
    (lambda value: GuardianApproval(status=value), "is_pending", {GuardianStatus.PENDING}),
    (lambda value: GuardianApproval(status=value), "is_approved", {GuardianStatus.APPROVED}),
    (lambda value: GuardianApproval(status=value), "is_refused", {GuardianStatus.REFUSED}),
    (lambda value: GuardianApproval(status=value), "is_revoked", {GuardianStatus.REVOKED}),
    (lambda value: ForceMajeureRequest(status=value), "is_accepted", {ForceMajeureStatus.ACCEPTED}),
    (lambda value: ParcoursChangeRequest(status=value), "is_approved", {ParcoursChangeStatus.APPROVED}),
    (lambda value: TermsChangeNotice(decision=value), "is_refused", {TermsDecision.REFUSED}),
    (lambda value: TermsChangeNotice(decision=value), "is_accepted_explicitly", {TermsDecision.ACCEPTED}),
])
def test_a_predicate_is_true_for_its_values_only(row: Callable[[Any], object], predicate: str,
                                                  true_for: set[enum.Enum]) -> None:
    enum_class = type(next(iter(true_for)))
    for value in [*enum_class, None]:
        if value is None and predicate in ("is_video", "is_single", "is_multiple", "is_numeric", "awaits_review"):
            continue  # a column that is never empty
        assert getattr(row(value), predicate) is (value in true_for), (predicate, value)


def test_the_simulated_page_asks_paypal_for_paypal_only() -> None:
    assert SimulatedPaymentSession(payment_method="paypal").pays_with_paypal
    assert not SimulatedPaymentSession(payment_method="card").pays_with_paypal


def _subject(app: Flask, template: str, **context: object) -> str:
    with app.test_request_context(), force_language("fr"):
        return render_template(f"email/{template}.subject.txt", **context).strip()


@pytest.mark.parametrize("offer, status, subject", [
    (OfferKind.PLUS, OrderStatus.PAID, "Votre contrat Premium Plus est signé — ORD-000001"),
    (OfferKind.PLUS, OrderStatus.ACCEPTED, "Confirmation de votre abonnement Premium — ORD-000001"),
    (OfferKind.SOLO, OrderStatus.PAID, "Confirmation de votre abonnement Premium — ORD-000001"),
])
def test_the_order_mail_names_a_signed_contract_only_for_a_paid_premium_plus(app: Flask, offer: OfferKind,
                                                                             status: OrderStatus, subject: str) -> None:
    assert _subject(app, "order_confirmation", order=Order(offer=offer, status=status,
                                                           reference="ORD-000001")) == subject


@pytest.mark.parametrize("status, subject", [
    (GuardianStatus.APPROVED, "Votre représentant a approuvé votre abonnement"),
    (GuardianStatus.REFUSED, "Votre représentant a refusé votre abonnement"),
    (GuardianStatus.REVOKED, "Votre représentant a retiré son accord"),
])
def test_the_guardians_answer_mail_follows_the_answer(app: Flask, status: GuardianStatus, subject: str) -> None:
    assert _subject(app, "guardian_outcome", approval=GuardianApproval(status=status)) == subject


@pytest.mark.parametrize("status, subject", [
    (ForceMajeureStatus.ACCEPTED, "Votre contrat Premium Plus est résilié sans indemnité"),
    (ForceMajeureStatus.REFUSED, "Votre demande de résiliation pour force majeure"),
])
def test_the_force_majeure_mail_follows_the_decision(app: Flask, status: ForceMajeureStatus, subject: str) -> None:
    assert _subject(app, "force_majeure_decision", request=ForceMajeureRequest(status=status)) == subject


@pytest.mark.parametrize("status, subject", [
    (ParcoursChangeStatus.APPROVED, "Changement de Parcours accepté (CHP-000007)"),
    (ParcoursChangeStatus.REFUSED, "Changement de Parcours refusé (CHP-000007)"),
])
def test_the_parcours_change_mail_follows_the_decision(app: Flask, status: ParcoursChangeStatus, subject: str) -> None:
    assert _subject(app, "parcours_change_decision", change=ParcoursChangeRequest(id=7, status=status)) == subject
