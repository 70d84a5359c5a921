"""Sanctions under the Student Rules (art. 6 and 7; CGS-2.2-E1), never without their procedure: a written
notification of the facts, the rule and the sanction considered; 8 days for the learner's answer, in writing or by
asking for an interview; a reasoned decision no heavier than announced, notified with its date of effect and how to
contest it. A suspension stops the booking of sessions for a month at most; a termination ends the Premium Plus
subscription with its paid period, with nothing more to pay and no way for the learner to undo it."""

from datetime import date, datetime, timedelta

import pytest

from app.extensions import db
from app.models import GuardianApproval, RuleBreached, Sanction
from app.models.commerce import GuardianStatus, OfferKind, SubscriptionStatus
from app.services.commerce import subscriptions
from app.services.common import clock
from app.services.mentoring import availability, discipline, sessions
from tests.factories import make_staff
from tests.outcomes import errors_of, mails_to
from tests.plus_learners import IN_THE_PERIOD, mentored_in_march

E1 = pytest.mark.clause("CGS-2.2-E1")
FACTS = "Absent sans excuse aux séances du 14 et du 21 mars 2027."


@pytest.fixture
def pair():
    return mentored_in_march()




def notified(subscription, considered=Sanction.WARNING):
    case = discipline.open_case(subscription, make_staff(), RuleBreached.ATTENDANCE, FACTS, considered)
    db.session.commit()
    return case


@E1
def test_the_learner_is_notified_in_writing_of_the_facts_the_rule_and_the_sanction_considered(pair):
    _coach, subscription = pair
    case = notified(subscription, Sanction.TERMINATION)
    assert case.answer_by == IN_THE_PERIOD + timedelta(days=8)
    [notice] = mails_to(subscription.user.email)[-1:]
    assert notice.subject.startswith("Règlement intérieur : notification des faits, réponse attendue avant le 17 mars")
    for text in (FACTS, "Article 2 : assiduité aux séances de mentorat",
                 "Résiliation de l'abonnement Premium Plus à notre initiative", f"/mon-parcours/procedures/{case.id}"):
        assert text in notice.body_text
    assert errors_of(lambda: discipline.open_case(subscription, make_staff("autre@example.org"), RuleBreached.CONDUCT,
                                                  FACTS, Sanction.WARNING)) == {
        None: "Cette procédure concerne un abonnement Premium Plus en cours, et une seule procédure à la fois."}


@E1
def test_no_decision_before_the_eight_days_unless_the_learner_answered(pair):
    _coach, subscription = pair
    case = notified(subscription)
    staff = make_staff("decideur@example.org")
    decide = lambda: discipline.decide(case, staff, Sanction.WARNING, "Deux absences sans excuse.", None)  # noqa: E731
    assert errors_of(decide) == {None: "Pas de décision avant le 17 mars 2027, fin du délai de réponse de l'apprenant, "
                                       "sauf s'il a déjà répondu."}
    clock.advance(timedelta(days=8))
    assert discipline.can_decide(case)
    clock.freeze(IN_THE_PERIOD + timedelta(days=1))
    assert not discipline.can_decide(case)
    discipline.answer(case, "J'étais malade ; j'ai un certificat.", interview=True)
    assert discipline.can_decide(case) and case.interview_requested
    decide()
    assert case.outcome == Sanction.WARNING and case.effective_on == date(2027, 3, 10)
    decided = mails_to(subscription.user.email)[-1]
    assert "Deux absences sans excuse." in decided.body_text and "« Une réclamation »" in decided.body_text
    assert errors_of(lambda: discipline.answer(case, "Encore", False)) == {
        None: "La décision est déjà prise : vous pouvez la contester par écrit auprès de Student Success."}


@E1
def test_the_decision_is_reasoned_and_never_heavier_than_announced(pair):
    _coach, subscription = pair
    case = notified(subscription, Sanction.MENTORING_SUSPENSION)
    discipline.answer(case, "Je conteste.", interview=False)
    staff = make_staff("decideur@example.org")
    assert errors_of(lambda: discipline.decide(case, staff, Sanction.TERMINATION, " ", None)) == {
        "reasons": "Motivez la décision : les faits retenus, les explications de l'apprenant, et pourquoi cette issue.",
        "outcome": "La sanction ne peut pas être plus lourde que celle annoncée dans la notification."}
    assert errors_of(lambda: discipline.decide(case, staff, Sanction.MENTORING_SUSPENSION, "Absences répétées.",
                                               date(2027, 4, 30))) == {
        "suspended_until": "Une suspension dure un mois au plus : jusqu'au 9 avril 2027."}
    discipline.decide(case, staff, None, "Le certificat médical justifie les absences.", None)
    assert case.is_decided and case.outcome is None


@E1
def test_a_suspension_stops_the_booking_of_sessions_until_its_last_day(pair):
    _coach, subscription = pair
    case = notified(subscription, Sanction.MENTORING_SUSPENSION)
    discipline.answer(case, "Pas d'explication.", interview=False)
    discipline.decide(case, make_staff("decideur@example.org"), Sanction.MENTORING_SUSPENSION, "Absences répétées.",
                      date(2027, 3, 20))
    start = availability.free_starts(subscription)[0]
    assert errors_of(lambda: sessions.book(subscription, start)) == {
        None: "Votre mentorat est suspendu jusqu'au 20 mars 2027 inclus, par décision de Student Success."}
    clock.freeze(datetime(2027, 3, 21, 9, 0, tzinfo=clock.PARIS))
    assert discipline.mentoring_suspended(subscription) is None
    assert sessions.book(subscription, availability.free_starts(subscription)[0]).is_booked


@E1
def test_a_termination_ends_premium_plus_with_its_paid_period_and_cannot_be_undone(pair):
    _coach, subscription = pair
    case = notified(subscription, Sanction.TERMINATION)
    clock.advance(timedelta(days=8))
    discipline.decide(case, make_staff("decideur@example.org"), Sanction.TERMINATION, "Manquement grave et répété.",
                      None)
    assert subscription.status == SubscriptionStatus.CANCELLING
    assert case.effective_on == subscription.current_period_end.astimezone(clock.PARIS).date()
    assert not subscriptions.renews(subscription)  # nothing more is charged
    assert not subscriptions.can_undo_cancel(subscription)
    decided = mails_to(subscription.user.email)[-1]
    assert "rien ne vous sera plus prélevé, et aucune indemnité ne vous est demandée" in decided.body_text


def test_only_staff_open_a_procedure_and_every_part_is_required(pair):
    coach, subscription = pair
    assert errors_of(lambda: discipline.open_case(subscription, coach, None, "  ", None)) == {
        "facts": "Exposez les faits reprochés : dates, séances, ce qui s'est passé.",
        "rule": "Choisissez l'article du règlement concerné.",
        "considered": "Choisissez la sanction envisagée.",
        None: "Seule l'équipe Student Success engage cette procédure."}


def test_the_guardian_of_a_minor_reads_the_notification_and_the_decision(pair):
    _coach, subscription = pair
    db.session.add(GuardianApproval(learner=subscription.user, offer=OfferKind.PLUS, parcours=subscription.parcours,
                                    guardian_name="Marc Bernard", guardian_email="marc.bernard@example.org",
                                    relationship_kind="parent", status=GuardianStatus.APPROVED,
                                    requested_at=clock.now()))
    db.session.commit()
    case = notified(subscription)
    discipline.answer(case, "Je m'excuse.", interview=False)
    discipline.decide(case, make_staff("decideur@example.org"), Sanction.WARNING, "Deux absences.", None)
    notice, decision = mails_to("marc.bernard@example.org")
    assert notice.subject.startswith("Règlement intérieur : notification des faits")
    assert decision.subject == "Règlement intérieur : la décision de Student Success"
    for message in (notice, decision):
        assert message.body_text.startswith("Copie pour Marc Bernard, qui a donné son accord à cet abonnement")
