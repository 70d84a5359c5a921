"""A learner with a history in every part of the portal, made through its services, and the other learner who
reviewed her work and wrote to her: what an export of her data must hold, and must not name."""

from datetime import datetime

from app import demo_accounts
from app.models import User
from app.models.support import ContactQuestion
from app.services.common import clock
from app.services.common.uploads import Upload
from app.services.community import discussions
from app.services.learning import completion, peer_review
from tests.assignments import COMMENTS, PDF, WORK, course, reviewer
from tests.factories import PASSWORD

BEGINNING = datetime(2026, 12, 1, 9, 0, tzinfo=clock.PARIS)
LEARNER_EMAIL = "lea.exporte@example.org"
REVIEWER_EMAIL = "rita.reviewer@example.org"
REQUEST_TEXT = "Pouvez-vous me dire quand aura lieu ma première séance de mentorat ?"
MESSAGE_RECEIVED = "Bonjour Léa, ton rapport m'a bien aidée pour le mien."
MESSAGE_SENT = "Merci Rita, avec plaisir !"


def learner_with_history(app) -> tuple[User, User]:
    """Léa: Premium Plus on the Python Parcours (terms and Student Rules accepted, contract signed, paid, renewed
    once), the Flask course's assignment handed in with a PDF and reviewed, a certificate, a forum thread, private
    messages, a question to Student Success. Returns her and her reviewer, Rita."""
    clock.freeze(BEGINNING)
    with app.test_request_context():
        provider = demo_accounts.simulated_provider()
        lea = demo_accounts.signed_up(LEARNER_EMAIL, "Léa", "Exporte", PASSWORD)
        subscription = demo_accounts.subscribed_plus(provider, lea)
        demo_accounts.renewed([subscription], times=1)
        rita = reviewer(REVIEWER_EMAIL)
        assignment = peer_review.course_assignment(course().id)
        assert assignment is not None
        submission = peer_review.submit(lea, assignment, WORK, Upload("rapport final.pdf", PDF))
        demo_accounts.commit()
        assert peer_review.next_to_review(rita, course()) == submission
        peer_review.record_review(rita, submission, {criterion.id: criterion.max_points
                                                     for criterion in assignment.criteria}, COMMENTS)
        completion.issue(lea, course(), 88)
        demo_accounts.commit()
        demo_accounts.forum_thread(lea, rita, course(), "Où ranger les gabarits ?",
                                   "Dans templates/ ou à côté de chaque blueprint ?", ["Dans templates/."])
        conversation = discussions.write_to(rita, lea, MESSAGE_RECEIVED).conversation
        discussions.reply_in(lea, conversation, MESSAGE_SENT)
        demo_accounts.commit()
        demo_accounts.wrote_to_student_success(lea, ContactQuestion.PREMIUM, REQUEST_TEXT)
    return lea, rita
