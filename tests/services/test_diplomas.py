"""Diplomas (CGS-DEF-3): a Parcours is completed when every course of it has a valid certificate and every
required project of it is validated by the mentor; staff record
the jury's decision at the final defence only for a Premium Plus learner who completed it; a favourable decision
issues the diploma exactly once, an unfavourable one nothing (another defence may follow); the learner is told
by email in their language; a diploma is revoked like a certificate. Digital only (CGS-2.2-A3).

Learners complete a Parcours here by being issued, with `completion.issue`, the certificate of each of its
courses (the course-passed rule itself is proven in tests/services/test_certificates.py), and their projects
recorded as validated (the evaluation itself is proven in tests/services/test_projects.py)."""

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Certificate, CertificateKind, DefenceDecision, OutboxMessage, User
from app.models.commerce import OfferKind
from app.services import DomainError
from app.services.commerce import subscriptions
from app.services.common import clock
from app.services.learning import certificates, completion, diplomas
from tests.conftest import make_user
from tests.diploma_candidates import (
    COMMENTS,
    COMPLETED_AT,
    DECIDED_AT,
    DEFENCE,
    complete,
    learner_with,
    parcours_named,
    staff_member,
)

DEF3 = pytest.mark.clause("CGS-DEF-3")
A3 = pytest.mark.clause("CGS-2.2-A3")
OTHER_PARCOURS = "data-scientist"


@pytest.fixture
def candidate(app):
    """Léa Martin, Premium Plus on the Python Parcours, passed all its courses on 1 December 2026; it is now
    15 December 2026."""
    clock.freeze(COMPLETED_AT)
    learner = learner_with(OfferKind.PLUS)
    complete(learner, parcours_named())
    clock.freeze(DECIDED_AT)
    return learner


def diplomas_of(user: User) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user.id,
                                                             Certificate.kind == CertificateKind.DIPLOMA)))


def mails_to(user: User) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email)
                                   .order_by(OutboxMessage.id)))


def errors_of(call) -> dict:
    with pytest.raises(DomainError) as refused:
        call()
    return dict(refused.value.errors)


# --- Completing a Parcours -----------------------------------------------------------------------------------

@DEF3
def test_the_jury_decides_only_once_every_required_project_is_validated(app):
    parcours = parcours_named()
    clock.freeze(COMPLETED_AT)
    learner = learner_with(OfferKind.PLUS)
    complete(learner, parcours, projects_left=1)  # every course passed, one required project not validated
    clock.freeze(DECIDED_AT)
    assert diplomas.completed_on(learner.id, parcours.id) is None
    assert learner.id not in {candidate.user.id for candidate in diplomas.awaiting_decision()}
    errors = errors_of(lambda: diplomas.record_decision(learner, parcours, staff_member(), DEFENCE, True, COMMENTS))
    assert errors == {None: "Léa Martin n'a pas encore réussi tous les cours du Parcours Développeur d'application "
                            "- Python ni fait valider tous ses projets obligatoires : le jury ne se prononce qu'après."}
    assert diplomas_of(learner) == []
    complete(learner, parcours)  # the last project validated on the day of the decision: completed that day
    assert diplomas.completed_on(learner.id, parcours.id) == date(2026, 12, 15)
    assert [candidate.user.id for candidate in diplomas.awaiting_decision()] == [learner.id]


@DEF3
def test_a_parcours_is_completed_when_every_course_of_it_has_a_valid_certificate(app):
    parcours = parcours_named()
    clock.freeze(COMPLETED_AT)
    learner = learner_with(OfferKind.PLUS)
    assert diplomas.completed_on(learner.id, parcours.id) is None
    issued = complete(learner, parcours, skip=1)
    assert len(issued) == len(parcours.courses) - 1 and not diplomas.has_completed(learner.id, parcours.id)
    complete(learner, parcours)
    assert diplomas.completed_on(learner.id, parcours.id) == date(2026, 12, 1)
    # Certificates of another Parcours's courses do not count, and a revoked certificate no longer does.
    assert not diplomas.has_completed(learner.id, parcours_named(OTHER_PARCOURS).id)
    certificates.revoke(issued[0].public_id, "Fraude au quiz constatée")
    assert not diplomas.has_completed(learner.id, parcours.id)


def test_whether_a_parcours_is_completed_is_three_queries(app, candidate, statements):
    """The courses, the Parcours' required projects, the learner's validated ones."""
    learner_id, parcours_id = candidate.id, parcours_named().id
    statements.clear()
    assert diplomas.completed_on(learner_id, parcours_id) == date(2026, 12, 1)
    assert len(statements) == 3, statements


@DEF3
def test_staff_see_the_premium_plus_learners_who_completed_a_parcours_and_await_a_decision(app, candidate):
    parcours = parcours_named()
    solo = learner_with(OfferKind.SOLO, "sam.solo@example.org", first_name="Sam", last_name="Solo")
    complete(solo, parcours)
    halfway = learner_with(OfferKind.PLUS, "hugo.halfway@example.org", first_name="Hugo", last_name="Moitié")
    complete(halfway, parcours, skip=2)
    elsewhere = learner_with(OfferKind.PLUS, "eva.else@example.org", parcours_slug=OTHER_PARCOURS,
                             first_name="Eva", last_name="Ailleurs")
    complete(elsewhere, parcours)  # Plus, but on another Parcours than the one completed
    waiting = diplomas.awaiting_decision()
    assert [(c.user.id, c.parcours.id, c.completed_on) for c in waiting] == \
        [(candidate.id, parcours.id, date(2026, 12, 1))]
    assert waiting[0].earlier_decisions == []


# --- Who may be given a decision -----------------------------------------------------------------------------

@DEF3
def test_no_decision_is_recorded_for_a_learner_who_has_not_completed_the_parcours(app):
    parcours = parcours_named()
    clock.freeze(COMPLETED_AT)
    learner = learner_with(OfferKind.PLUS)
    complete(learner, parcours, skip=1)
    clock.freeze(DECIDED_AT)
    errors = errors_of(lambda: diplomas.record_decision(learner, parcours, staff_member(), DEFENCE, True, COMMENTS))
    assert errors == {None: "Léa Martin n'a pas encore réussi tous les cours du Parcours Développeur d'application "
                            "- Python ni fait valider tous ses projets obligatoires : le jury ne se prononce qu'après."}
    assert db.session.scalar(select(func.count()).select_from(DefenceDecision)) == 0
    assert diplomas_of(learner) == [] and mails_to(learner) == []


@DEF3
def test_the_diploma_is_for_learners_who_hold_or_held_premium_plus_on_the_parcours(app):
    parcours = parcours_named()
    staff = staff_member()
    clock.freeze(COMPLETED_AT)
    solo = learner_with(OfferKind.SOLO, "sam.solo@example.org", first_name="Sam", last_name="Solo")
    elsewhere = learner_with(OfferKind.PLUS, "eva.else@example.org", parcours_slug=OTHER_PARCOURS,
                             first_name="Eva", last_name="Ailleurs")
    former = learner_with(OfferKind.PLUS, "fred.former@example.org", first_name="Fred", last_name="Ancien")
    for learner in (solo, elsewhere, former):
        complete(learner, parcours)
    subscription = subscriptions.current_subscription(former.id)
    subscriptions.cancel(subscription)
    subscriptions.transition(subscription, subscriptions.S.ENDED)  # held Premium Plus, no longer holds it
    db.session.commit()
    clock.freeze(DECIDED_AT)
    for learner in (solo, elsewhere):
        errors = errors_of(lambda learner=learner: diplomas.record_decision(learner, parcours, staff, DEFENCE, True,
                                                                            COMMENTS))
        assert "est réservé aux abonnés Premium Plus de ce Parcours" in errors[None]
    decision = diplomas.record_decision(former, parcours, staff, DEFENCE, True, COMMENTS)
    assert decision.diploma is not None and decision.diploma.user_id == former.id


def test_only_staff_record_a_jury_decision(app, candidate):
    someone = make_user("noah.bernard@example.org")
    errors = errors_of(lambda: diplomas.record_decision(candidate, parcours_named(), someone, DEFENCE, True, ""))
    assert errors == {None: "Seule l'équipe Student Success peut enregistrer la décision d'un jury."}


def test_the_defence_date_and_the_decision_are_checked(app, candidate):
    parcours, staff = parcours_named(), staff_member()

    def record(defended_on, favourable, comments=""):
        return errors_of(lambda: diplomas.record_decision(candidate, parcours, staff, defended_on, favourable,
                                                          comments))

    assert record(None, None) == {"defended_on": "Indiquez la date de la soutenance.",
                                  "decision": "Indiquez la décision du jury."}
    assert record(date(2026, 12, 16), True) == {
        "defended_on": "La date de la soutenance ne peut pas être dans le futur."}
    assert record(date(2026, 11, 30), True) == {
        "defended_on": "La soutenance finale a lieu une fois le Parcours achevé (dernier cours réussi et projet "
                       "validé), le 1 décembre 2026 : vérifiez la date."}
    assert record(DEFENCE, False, "   ") == {
        "comments": "Indiquez les observations du jury : elles expliquent à l'apprenant la décision défavorable."}
    assert record(DEFENCE, True, "x" * 5001) == {
        "comments": "Les observations doivent contenir au plus 5000 caractères."}
    assert diplomas_of(candidate) == [] and mails_to(candidate) == []


# --- The decision and the diploma ----------------------------------------------------------------------------

@DEF3
@A3
def test_a_favourable_decision_issues_exactly_one_diploma(app, candidate):
    parcours, staff = parcours_named(), staff_member()
    decision = diplomas.record_decision(candidate, parcours, staff, DEFENCE, True, COMMENTS)
    db.session.commit()
    [diploma] = diplomas_of(candidate)
    assert decision.diploma_id == diploma.id and decision.favourable and decision.comments == COMMENTS
    assert decision.recorded_by_id == staff.id and decision.recorded_at == clock.now()
    assert decision.defended_on == DEFENCE and decision.parcours_id == parcours.id
    assert diploma.kind == CertificateKind.DIPLOMA and diploma.is_diploma and diploma.is_valid
    assert (diploma.parcours_id, diploma.course_id, diploma.grade_percent) == (parcours.id, None, None)
    assert diploma.defended_on == DEFENCE and diploma.issued_on == date(2026, 12, 15)
    assert diploma.learner_name == "Léa Martin" and diploma.issuer == "OpenClassrooms"
    assert (diploma.title_fr, diploma.title_en) == (parcours.title_fr, parcours.title_en)
    # The same identifier as a certificate, and the same look-up: verification page, PDF, LinkedIn.
    assert certificates.PUBLIC_ID_PATTERN.match(diploma.public_id)
    assert certificates.by_public_id(diploma.public_id).id == diploma.id
    assert diplomas.awaiting_decision() == []
    assert diplomas.diploma_for(candidate.id, parcours.id).id == diploma.id


@DEF3
def test_a_second_favourable_decision_does_not_issue_a_second_diploma(app, candidate):
    parcours, staff = parcours_named(), staff_member()
    first = diplomas.record_decision(candidate, parcours, staff, DEFENCE, True, COMMENTS).diploma
    db.session.commit()
    errors = errors_of(lambda: diplomas.record_decision(candidate, parcours, staff, DEFENCE, True, COMMENTS))
    assert errors == {None: "Léa Martin a déjà le diplôme du Parcours Développeur d'application - Python."}
    # Two decisions racing past that check: the insert "if absent" keeps the first diploma.
    assert diplomas.issue(candidate, parcours, date(2026, 12, 15)).id == first.id
    assert [d.id for d in diplomas_of(candidate)] == [first.id] and first.defended_on == DEFENCE
    assert db.session.scalar(select(func.count()).select_from(DefenceDecision)) == 1
    duplicate = Certificate(public_id=completion.new_public_id(), kind=CertificateKind.DIPLOMA,
                            user_id=candidate.id, parcours_id=parcours.id, learner_name="Léa Martin", title_fr="x",
                            title_en="x", issuer="x", issued_at=clock.now(), defended_on=DEFENCE)
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(duplicate)


@DEF3
def test_an_unfavourable_decision_issues_nothing_and_another_defence_may_follow(app, candidate):
    parcours, staff = parcours_named(), staff_member()
    refused = diplomas.record_decision(candidate, parcours, staff, date(2026, 12, 2), False, COMMENTS)
    db.session.commit()
    assert refused.diploma_id is None and not refused.favourable and diplomas_of(candidate) == []
    [waiting] = diplomas.awaiting_decision()
    assert waiting.user.id == candidate.id and [d.id for d in waiting.earlier_decisions] == [refused.id]
    passed = diplomas.record_decision(candidate, parcours, staff, DEFENCE, True, "")
    db.session.commit()
    assert [d.id for d in diplomas_of(candidate)] == [passed.diploma_id]
    decisions = db.session.scalars(select(DefenceDecision).where(DefenceDecision.user_id == candidate.id)
                                   .order_by(DefenceDecision.id)).all()
    assert [(d.id, d.favourable, d.diploma_id) for d in decisions] == [(refused.id, False, None),
                                                                      (passed.id, True, passed.diploma_id)]


@DEF3
def test_the_database_keeps_each_certificate_to_one_subject(app, candidate):
    """A course certificate has a course and a grade, a diploma a Parcours and a defence date: never both."""
    parcours = parcours_named()
    common = {"user_id": candidate.id, "learner_name": "Léa Martin", "title_fr": "x", "title_en": "x",
              "issuer": "x", "issued_at": clock.now()}
    for wrong in ({"kind": CertificateKind.DIPLOMA, "parcours_id": parcours.id, "defended_on": None},
                  {"kind": CertificateKind.DIPLOMA, "parcours_id": parcours.id, "defended_on": DEFENCE,
                   "course_id": parcours.courses[0].id},
                  {"kind": CertificateKind.COURSE, "parcours_id": parcours.id, "grade_percent": 80,
                   "defended_on": DEFENCE}):
        with pytest.raises(IntegrityError):
            with db.session.begin_nested():
                db.session.add(Certificate(public_id=completion.new_public_id(), **common, **wrong))


def test_a_recorded_decision_and_an_issued_diploma_never_change(app, candidate):
    decision = diplomas.record_decision(candidate, parcours_named(), staff_member(), DEFENCE, True, COMMENTS)
    db.session.commit()
    decision.comments = "Autre chose"
    with pytest.raises(ValueError, match="never changes"):
        db.session.flush()
    db.session.rollback()
    decision.diploma.defended_on = date(2026, 12, 13)
    with pytest.raises(ValueError, match="never changes"):
        db.session.flush()
    db.session.rollback()


# --- Mail ----------------------------------------------------------------------------------------------------

@DEF3
@A3
def test_the_learner_is_emailed_the_favourable_decision_in_their_language(app):
    parcours = parcours_named()
    clock.freeze(COMPLETED_AT)
    learner = learner_with(OfferKind.PLUS, "olivia.smith@example.org", first_name="Olivia", last_name="Smith",
                           locale="en")
    complete(learner, parcours)
    clock.freeze(DECIDED_AT)
    with app.test_request_context():
        diploma = diplomas.record_decision(learner, parcours, staff_member(), DEFENCE, True, COMMENTS).diploma
    [message] = mails_to(learner)
    assert message.language == "en"
    assert message.subject == f"Your diploma of the Parcours {parcours.title_en}"
    assert "The jury of your final defence on December 14, 2026 gave a favourable opinion" in message.body_text
    assert diploma.public_id in message.body_text and COMMENTS in message.body_text
    assert f"/certificats/{diploma.public_id}" in message.body_text and "digital form only" in message.body_text


@DEF3
def test_the_learner_is_emailed_the_unfavourable_decision_with_the_jurys_comments(app, candidate):
    parcours = parcours_named()
    with app.test_request_context():
        diplomas.record_decision(candidate, parcours, staff_member(), DEFENCE, False, COMMENTS)
    [message] = mails_to(candidate)
    assert message.language == "fr"
    assert message.subject == f"Décision du jury de votre soutenance (Parcours {parcours.title_fr})"
    assert "a rendu un avis défavorable" in message.body_text and COMMENTS in message.body_text
    assert "une nouvelle soutenance reste possible" in message.body_text
    assert "/certificats/" not in message.body_text


# --- Revocation ----------------------------------------------------------------------------------------------

@DEF3
def test_staff_revoke_a_diploma_like_a_certificate(app, candidate):
    parcours = parcours_named()
    diploma = diplomas.record_decision(candidate, parcours, staff_member(), DEFENCE, True, COMMENTS).diploma
    revoked = certificates.revoke(diploma.public_id, "Plagiat du projet final constaté")
    assert revoked.id == diploma.id and not revoked.is_valid and revoked.revoked_at == clock.now()
    errors = errors_of(lambda: certificates.revoke(diploma.public_id, "Encore"))
    assert errors == {"identifier": "Ce diplôme est déjà révoqué."}
    # A revoked diploma is not issued again: the learner does not come back to the jury's list.
    assert diplomas.awaiting_decision() == []
    assert None in errors_of(lambda: diplomas.record_decision(candidate, parcours, staff_member("x@example.org"),
                                                              DEFENCE, True, ""))
    certificates.set_public_profile(candidate, True)
    learner, listed = certificates.public_profile(candidate.public_profile_id)
    assert learner.id == candidate.id and listed and diploma.id not in [c.id for c in listed]


def test_the_revoke_command_names_a_diploma(app, candidate):
    diploma = diplomas.record_decision(candidate, parcours_named(), staff_member(), DEFENCE, True, "").diploma
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["certificates", "revoke", diploma.public_id, "--reason", "Doublon"])
    assert result.exit_code == 0, result.output
    assert f"Diploma {diploma.public_id} (Léa Martin, Développeur d'application - Python)" in result.output
