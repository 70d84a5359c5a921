"""The subscribers' forum and private messages (CGS-2.1-A3, art. 2.1 a): who may read and write, who may write
to whom, unread counts, length limits, authors' names, and the reports Student Success examines."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import AbuseReport, Course, ForumCategory, ForumPost, ForumThread, PrivateMessage, User
from app.models.commerce import SubscriptionStatus
from app.models.community import ReportOutcome
from app.services import DomainError
from app.services.commerce import subscriptions
from app.services.common import clock
from app.services.community import discussions
from tests.conftest import make_user
from tests.factories import make_staff, subscriber
from tests.forum import general


def errors_of(excinfo) -> dict:
    return dict(excinfo.value.errors)


@pytest.mark.clause("CGS-2.1-A3")
def test_subscribers_open_threads_and_reply_and_the_thread_rises_to_the_top(app):
    lea = subscriber("lea@example.org")
    omar = subscriber("omar@example.org", "Omar", "Benali")
    with app.test_request_context():
        older = discussions.start_thread(omar, general(), "Vos conseils pour réviser ?", "Je révise le soir.")
        clock.advance(timedelta(minutes=5))
        thread = discussions.start_thread(lea, general(), "Présentations", "Bonjour, je suis Léa.")
        clock.advance(timedelta(minutes=5))
        answer = discussions.reply(omar, older, "Moi, le matin avant le travail.")
    db.session.commit()
    assert [p.body for p in discussions.posts(older).items] == ["Je révise le soir.", "Moi, le matin avant le travail."]
    assert answer.author == omar and not answer.is_opening
    assert older.post_count == 2 and older.last_author == omar and older.last_activity_at == answer.created_at
    assert discussions.threads(general()).items == [older, thread]  # newest activity first
    summary = next(s for s in discussions.categories() if s.category == general())
    assert summary.thread_count == 2 and summary.last_activity_at == answer.created_at


@pytest.mark.clause("CGS-2.1-A3")
def test_only_a_subscription_that_gives_access_opens_the_forum(app):
    assert not discussions.can_take_part(None)
    learner = make_user("sans-abonnement@example.org")
    assert not discussions.can_take_part(learner)
    for status, allowed in [(SubscriptionStatus.ACTIVE, True), (SubscriptionStatus.CANCELLING, True),
                            (SubscriptionStatus.PAST_DUE, True), (SubscriptionStatus.SUSPENDED, False),
                            (SubscriptionStatus.ENDED, False), (SubscriptionStatus.WITHDRAWN, False)]:
        user = subscriber(f"{status}@example.org", status=status)
        assert discussions.can_take_part(user) is allowed, status
    with app.test_request_context(), pytest.raises(discussions.AccessRefused):
        discussions.start_thread(learner, general(), "Un sujet", "Un message")
    db.session.rollback()
    assert db.session.query(ForumThread).count() == 0


@pytest.mark.clause("CGS-2.1-A3")
def test_a_non_subscriber_can_neither_reply_nor_write_private_messages(app):
    lea = subscriber("lea@example.org")
    outsider = make_user("visiteur@example.org")
    with app.test_request_context():
        thread = discussions.start_thread(lea, general(), "Présentations", "Bonjour à tous.")
        with pytest.raises(discussions.AccessRefused):
            discussions.reply(outsider, thread, "Je ne suis pas abonné.")
        with pytest.raises(discussions.AccessRefused):
            discussions.write_to(outsider, lea, "Bonjour Léa")
    assert db.session.query(ForumPost).count() == 1 and db.session.query(PrivateMessage).count() == 0


@pytest.mark.clause("CGS-2.1-A3")
def test_private_messages_go_only_to_a_subscriber(app):
    lea = subscriber("lea@example.org")
    former = subscriber("ancien@example.org", "Paul", "Durand", status=SubscriptionStatus.ENDED)
    with app.test_request_context(), pytest.raises(DomainError) as refused:
        discussions.write_to(lea, former, "Bonjour Paul")
    assert "Paul D. ne peut pas recevoir de messages privés" in errors_of(refused)["body"]
    assert db.session.query(PrivateMessage).count() == 0


@pytest.mark.clause("CGS-2.1-A3")
def test_a_learner_never_writes_a_private_message_to_themself(app):
    lea = subscriber("lea@example.org")
    with app.test_request_context(), pytest.raises(DomainError) as refused:
        discussions.write_to(lea, lea, "Note pour moi-même")
    assert errors_of(refused)["body"] == "Vous ne pouvez pas vous envoyer un message à vous-même."
    assert db.session.query(PrivateMessage).count() == 0


@pytest.mark.clause("CGS-2.1-A3")
def test_two_subscribers_share_one_conversation_and_unread_counts_follow_reading(app):
    lea = subscriber("lea@example.org")
    omar = subscriber("omar@example.org", "Omar", "Benali")
    with app.test_request_context():
        first = discussions.write_to(lea, omar, "Bonjour Omar, on révise ensemble ?")
        second = discussions.write_to(lea, omar, "Je suis libre jeudi.")
        conversation = first.conversation
        assert second.conversation == conversation  # one conversation per pair, whoever starts
        assert omar.unread_messages == 2 and lea.unread_messages == 0
        summary = discussions.conversations(omar)[0]
        assert summary.other == lea and summary.unread == 2 and summary.last_message == second
        opened = discussions.open_conversation(omar, conversation)
        assert [m.body for m in opened.messages] == [first.body, second.body]
        assert opened.newly_read == {first.id, second.id}
        assert omar.unread_messages == 0
        answer = discussions.reply_in(omar, conversation, "Jeudi, c'est parfait.")
        assert answer.recipient == lea and lea.unread_messages == 1
        assert discussions.open_conversation(lea, conversation).newly_read == {answer.id}
        assert discussions.open_conversation(lea, conversation).newly_read == frozenset()
    db.session.commit()
    assert db.session.get(User, lea.id).unread_messages == 0
    assert discussions.conversation_for(lea, conversation.id) == conversation
    intruder = subscriber("curieux@example.org", "Chloé", "Curieuse")
    assert discussions.conversation_for(intruder, conversation.id) is None
    with app.test_request_context(), pytest.raises(discussions.AccessRefused):
        discussions.reply_in(intruder, conversation, "Je m'invite.")


def test_lengths_are_limited_and_the_error_says_by_how_much(app):
    lea = subscriber("lea@example.org")
    omar = subscriber("omar@example.org", "Omar", "Benali")
    with app.test_request_context():
        with pytest.raises(DomainError) as refused:
            discussions.start_thread(lea, general(), "  Aide ", " \n ")
        assert errors_of(refused) == {
            "title": "Le titre doit compter au moins 5 caractères : dites en quelques mots de quoi il s'agit.",
            "body": "Écrivez votre message."}
        with pytest.raises(DomainError) as refused:
            discussions.start_thread(lea, general(), "T" * 151, "x" * 10_001)
        assert errors_of(refused)["title"] == "Le titre doit compter au plus 150 caractères (il en compte 151)."
        assert "limite de 10\u202f000 caractères (il en compte 10\u202f001)" in errors_of(refused)["body"]
        with pytest.raises(DomainError) as refused:
            discussions.write_to(lea, omar, "y" * 5_001)
        assert "limite de 5\u202f000 caractères" in errors_of(refused)["body"]
        thread = discussions.start_thread(lea, general(), "T" * 150, "x" * 10_000)  # the limits themselves pass
        discussions.write_to(lea, omar, "y" * 5_000)
    assert thread.id and db.session.query(PrivateMessage).count() == 1


def test_text_is_kept_as_written_without_control_characters(app):
    lea = subscriber("lea@example.org")
    with app.test_request_context():
        thread = discussions.start_thread(lea, general(), "  Mon   premier\tsujet ",
                                        "\r\nLigne 1\r\n  <b>Ligne 2</b>\x00\x07\n\nFin\t\n")
    post = discussions.posts(thread).items[0]
    assert thread.title == "Mon premier sujet"
    assert post.body == "Ligne 1\n  <b>Ligne 2</b>\n\nFin"


@pytest.mark.clause("CGS-2.1-A3")
def test_authors_are_named_by_first_name_and_initial_never_by_email():
    user = User(first_name="Marie  Anne", last_name="de la Fontaine", email="marie@example.org")
    assert discussions.public_name(user) == "Marie Anne D."
    assert discussions.public_name(User(first_name="Omar", last_name="", email="o@example.org")) == "Omar"


@pytest.mark.clause("CGS-2.1-A3")
def test_a_report_reaches_student_success_who_hide_the_post_for_everyone(app):
    lea = subscriber("lea@example.org")
    omar = subscriber("omar@example.org", "Omar", "Benali")
    chloe = subscriber("chloe@example.org", "Chloé", "Petit")
    staff = make_staff("equipe@example.org")
    with app.test_request_context():
        thread = discussions.start_thread(omar, general(), "Un sujet déplacé", "Des propos injurieux.")
        opening = discussions.posts(thread).items[0]
        report = discussions.report_post(lea, opening, "abuse", "")
        discussions.report_post(chloe, opening, "other", "Il insulte les débutants.")
        with pytest.raises(DomainError) as again:
            discussions.report_post(lea, opening, "spam", "")
        assert "déjà signalé" in errors_of(again)[None]
        assert [r.reporter for r in discussions.open_reports()] == [lea, chloe]
        with pytest.raises(discussions.AccessRefused):
            discussions.resolve_report(report, lea, hide=True)
        discussions.resolve_report(report, staff, hide=True)
    db.session.commit()
    assert discussions.open_reports() == []
    assert {r.outcome for r in db.session.query(AbuseReport)} == {ReportOutcome.HIDDEN}
    assert opening.hidden_at is not None and thread.hidden_at is not None  # the opening post hides the title
    assert discussions.threads(general()).items == []


@pytest.mark.clause("CGS-2.1-A3")
def test_a_hidden_post_or_message_is_shown_to_nobody_and_can_no_longer_be_acted_on(app):
    lea = subscriber("lea@example.org")
    omar = subscriber("omar@example.org", "Omar", "Benali")
    with app.test_request_context():
        thread = discussions.start_thread(omar, general(), "Un sujet", "Le premier message.")
        other = discussions.start_thread(omar, general(), "Un autre sujet", "Ailleurs.")
        answer = discussions.reply(omar, thread, "Une réponse.")
        message = discussions.write_to(omar, lea, "Bonjour Léa")
    db.session.commit()
    assert discussions.is_shown(thread) and discussions.is_shown(answer) and discussions.is_shown(message)
    assert discussions.shown_post(answer.id) == answer == discussions.shown_post(answer.id, thread)
    assert discussions.shown_post(answer.id, other) is None  # reported from the thread it belongs to only
    assert discussions.shown_post(answer.id + 1000) is None
    assert discussions.received_message(lea, message.conversation, message.id) == message
    assert discussions.received_message(omar, message.conversation, message.id) is None  # the sender's own
    answer.hidden_at = message.hidden_at = thread.hidden_at = clock.now()
    db.session.commit()
    assert not discussions.is_shown(answer) and not discussions.is_shown(message)
    assert not discussions.is_shown(thread)
    assert discussions.shown_post(answer.id) is None and discussions.shown_post(answer.id, thread) is None
    assert discussions.received_message(lea, message.conversation, message.id) is None


def test_a_report_needs_a_reason_and_concerns_someone_elses_post_or_a_message_received(app):
    lea = subscriber("lea@example.org")
    omar = subscriber("omar@example.org", "Omar", "Benali")
    with app.test_request_context():
        thread = discussions.start_thread(lea, general(), "Mon sujet", "Mon message.")
        own = discussions.posts(thread).items[0]
        with pytest.raises(DomainError) as refused:
            discussions.report_post(lea, own, "abuse", "")
        assert errors_of(refused)[None] == "Vous ne pouvez pas signaler votre propre message."
        with pytest.raises(DomainError) as refused:
            discussions.report_post(omar, own, "", "x" * 1_001)
        assert set(errors_of(refused)) == {"reason", "details"}
        with pytest.raises(DomainError) as refused:
            discussions.report_post(omar, own, "other", "")
        assert errors_of(refused)["details"] == "Précisez la raison du signalement."
        sent = discussions.write_to(lea, omar, "Bonjour")
        with pytest.raises(DomainError):
            discussions.report_message(lea, sent, "spam", "")  # her own message
        discussions.report_message(omar, sent, "spam", "")
    assert db.session.query(AbuseReport).one().message == sent


def test_a_former_subscriber_can_still_report_a_message_received(app):
    lea = subscriber("lea@example.org")
    omar = subscriber("omar@example.org", "Omar", "Benali")
    with app.test_request_context():
        message = discussions.write_to(lea, omar, "Message désagréable")
        omar_subscription = subscriptions.latest_for_user(omar.id)
        omar_subscription.status = SubscriptionStatus.ENDED
        assert not discussions.can_take_part(omar)
        report = discussions.report_message(omar, message, "abuse", "")
    assert report.message == message


def test_every_course_has_its_forum_and_the_general_one_comes_first(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        discussions.sync_course_forums()  # again: nothing changes
        summaries = discussions.categories()
    courses = db.session.query(Course).all()
    assert summaries[0].category.slug == discussions.GENERAL_FORUM_SLUG
    by_course = {s.category.course_id: s.category for s in summaries[1:]}
    assert set(by_course) == {course.id for course in courses}
    for course in courses:
        assert by_course[course.id].slug == course.slug and by_course[course.id].name_en == course.title_en
    assert db.session.query(ForumCategory).count() == len(courses) + 1


@pytest.mark.clause("CGS-2.1-A3")
def test_a_learner_may_report_and_write_about_other_peoples_posts_only(app):
    """The rules the thread's template asks: one's own post is marked and offers neither report nor message."""
    lea = subscriber("lea@example.org")
    omar = subscriber("omar@example.org", "Omar", "Benali")
    with app.test_request_context():
        thread = discussions.start_thread(lea, general(), "Présentations", "Bonjour, je suis Léa.")
    post = db.session.query(ForumPost).filter_by(thread_id=thread.id).one()
    assert discussions.is_author(post, lea) and not discussions.is_author(post, omar)
    assert not discussions.can_report(post, lea) and discussions.can_report(post, omar)
    assert not discussions.can_message(post, lea) and discussions.can_message(post, omar)
    assert not discussions.can_report(post, None) and not discussions.can_message(post, None)
    with pytest.raises(DomainError):
        discussions.report_post(lea, post, "spam", "")


@pytest.mark.clause("CGS-2.1-A3")
def test_only_the_recipient_may_report_a_private_message_and_the_sender_sees_it_as_theirs(app):
    lea = subscriber("lea@example.org")
    omar = subscriber("omar@example.org", "Omar", "Benali")
    with app.test_request_context():
        message = discussions.write_to(lea, omar, "Bonjour Omar")
    assert discussions.sent_by(message, lea) and not discussions.sent_by(message, omar)
    assert discussions.can_report_message(message, omar) and not discussions.can_report_message(message, lea)
    assert not discussions.can_report_message(message, None) and not discussions.sent_by(message, None)
