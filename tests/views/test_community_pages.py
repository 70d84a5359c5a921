"""The forum and private-message pages (CGS-2.1-A3): subscribers post and reply, everyone else is sent to the
offers, text is shown as text, replies go in place with HTMX, private messages reach the other subscriber, a
report reaches Student Success, the pages need a fixed number of queries and exist in English."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from app.extensions import db, limiter
from app.models import AbuseReport, ForumPost, ForumThread, PrivateMessage, Subscription
from app.models.commerce import SubscriptionStatus
from app.services.common import clock
from app.services.community import discussions
from app.views.community import plain_text
from tests.banners import IMPORTANT_MESSAGE
from tests.conftest import make_user, signed_in_client, soup_of, text_of
from tests.factories import make_staff, subscriber
from tests.forum import general

GENERAL = "/forum/general"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(app):
    """Learner ids come back from one test to the next (each rolls back): start every test with a clean count."""
    limiter.reset()
    yield
    limiter.reset()




def thread_url(thread: ForumThread) -> str:
    return f"/forum/{thread.category.slug}/{thread.id}"


def start(user, title="Réviser à plusieurs", body="Qui veut réviser le chapitre sur les routes ?") -> ForumThread:
    thread = discussions.start_thread(user, general(), title, body)
    db.session.commit()
    return thread


@pytest.fixture
def lea(app):
    return subscriber("lea@example.org")


@pytest.fixture
def omar(app):
    return subscriber("omar@example.org", "Omar", "Benali")


@pytest.mark.clause("CGS-2.1-A3")
def test_a_subscriber_opens_a_thread_and_another_replies(app, lea, omar):
    as_lea = signed_in_client(app, lea)
    forum = soup_of(as_lea.get("/forum"))
    assert text_of(forum.h1) == "Forum des abonnés"
    rows = forum.select("table.forum-table tbody tr")
    assert text_of(rows[0].th.a) == "Discussions générales" and len(rows) > 1
    form = soup_of(as_lea.get(f"{GENERAL}/nouveau-sujet")).select_one("form[action='/forum/general/nouveau-sujet']")
    assert form.select_one("label[for=title]") and form.select_one("textarea#body")
    response = as_lea.post(f"{GENERAL}/nouveau-sujet", data={"title": "Réviser à plusieurs",
                                                                "body": "Qui veut réviser ?\nJe propose jeudi."})
    thread = db.session.query(ForumThread).one()
    assert response.headers["Location"] == thread_url(thread)
    as_omar = signed_in_client(app, omar)
    response = as_omar.post(thread_url(thread), data={"body": "Moi ! Jeudi 18 h ?"})
    reply = db.session.query(ForumPost).filter_by(author_id=omar.id).one()
    assert response.headers["Location"] == f"{thread_url(thread)}?page=1#post-{reply.id}"
    page = soup_of(as_omar.get(thread_url(thread)))
    assert text_of(page.h1) == "Réviser à plusieurs"
    posts = page.select("#posts > li > article")
    assert [text_of(p.h2) for p in posts] == ["Léa M.", "Omar B. (vous)"]
    assert [text_of(p.select_one(".post-body")) for p in posts] == ["Qui veut réviser ? Je propose jeudi.",
                                                                    "Moi ! Jeudi 18 h ?"]
    assert len(posts[0].select(".post-body br")) == 1  # the line break is kept
    assert "lea@example.org" not in page.get_text()
    listing = soup_of(as_omar.get(GENERAL)).select("table.thread-table tbody tr")
    assert [text_of(row.th.a) for row in listing] == ["Réviser à plusieurs"]
    assert text_of(listing[0].select("td")[0]) == "2" and "par Omar B." in text_of(listing[0].select("td")[1])


@pytest.mark.clause("CGS-2.1-A3")
def test_visitors_and_non_subscribers_are_sent_to_the_offers_with_an_explanation(app, client, lea):
    thread = start(lea)
    urls = ["/forum", GENERAL, f"{GENERAL}/nouveau-sujet", thread_url(thread),
            f"/messages/ecrire/{thread.id}"]
    for url in urls[:-1]:
        assert client.get(url).headers["Location"] == "/premium", url
    offers = soup_of(client.get("/premium"))
    assert "Connectez-vous pour y accéder" in text_of(offers.select_one(IMPORTANT_MESSAGE))
    outsider = signed_in_client(app, make_user("sans-abonnement@example.org"))
    for url in urls:
        assert outsider.get(url).headers["Location"] == "/premium", url
    assert outsider.get("/messages").headers["Location"] == "/premium"  # and no conversation to read either
    notice = text_of(soup_of(outsider.get("/premium")).select_one(IMPORTANT_MESSAGE))
    assert "échanges entre abonnés Premium" in notice


@pytest.mark.clause("CGS-2.1-A3")
def test_a_forged_post_from_a_non_subscriber_publishes_nothing(app, lea):
    thread = start(lea)
    post = db.session.query(ForumPost).one()
    former = subscriber("ancienne@example.org", "Ana", "Ancienne", status=SubscriptionStatus.ENDED)
    for client in (app.test_client(), signed_in_client(app, former)):
        for url, data in [(f"{GENERAL}/nouveau-sujet", {"title": "Spam spam", "body": "Achetez !"}),
                          (thread_url(thread), {"body": "Achetez !"}),
                          (f"/messages/ecrire/{post.id}", {"body": "Achetez !"}),
                          (f"{thread_url(thread)}/signaler/{post.id}", {"reason": "spam"})]:
            response = client.post(url, data=data)
            assert response.status_code == 302, url
            assert response.headers["Location"] in ("/premium", f"/connexion?next=%2Fmessages%2Fecrire%2F{post.id}")
    assert db.session.query(ForumThread).count() == 1 and db.session.query(ForumPost).count() == 1
    assert db.session.query(PrivateMessage).count() == 0 and db.session.query(AbuseReport).count() == 0


@pytest.mark.clause("CGS-2.1-A3")
def test_html_in_a_post_is_shown_as_text(app, lea):
    start(lea, title="<i>Titre</i> en HTML", body='<script>alert("x")</script>\n<a href="https://x">lien</a>')
    page = soup_of(signed_in_client(app, lea).get(thread_url(db.session.query(ForumThread).one())))
    body = page.select_one("#posts .post-body")
    assert body.select("script, a") == [] and page.h1.select("i") == []
    assert text_of(body) == '<script>alert("x")</script> <a href="https://x">lien</a>'
    assert text_of(page.h1) == "<i>Titre</i> en HTML"


@pytest.mark.clause("CGS-2.1-A3")
def test_with_htmx_a_reply_is_added_in_place_focused_and_announced(app, lea, omar):
    thread = start(lea)
    as_omar = signed_in_client(app, omar)
    form = soup_of(as_omar.get(thread_url(thread))).select_one("#reply-form")
    assert form["hx-post"] == thread_url(thread) and form["hx-target"] == "#posts"
    assert form["hx-swap"] == "beforeend" and form["method"] == "post"  # a plain form without JavaScript
    response = as_omar.post(thread_url(thread), data={"body": "Avec plaisir."}, headers={"HX-Request": "true"})
    assert response.status_code == 201
    fragment = soup_of(response)
    reply = db.session.query(ForumPost).filter_by(author_id=omar.id).one()
    article = fragment.select_one(f"li > article#post-{reply.id}")
    assert article.has_attr("autofocus") and article["tabindex"] == "-1"
    assert text_of(article.select_one(".post-body")) == "Avec plaisir."
    emptied = fragment.select_one("form#reply-form[hx-swap-oob=true]")
    assert emptied.select_one("textarea#body").get_text().strip() == ""
    assert text_of(fragment.select_one("#post-count[hx-swap-oob=true]")) == "2 messages."
    status = fragment.select_one("#status[hx-swap-oob=innerHTML]")
    assert text_of(status) == "Votre réponse est publiée à la fin du sujet."


@pytest.mark.clause("CGS-2.1-A3")
def test_a_refused_reply_keeps_the_text_and_shows_the_error_next_to_the_field(app, lea, omar):
    thread = start(lea)
    as_omar = signed_in_client(app, omar)
    too_long = "a" * 10_001
    page = soup_of(as_omar.post(thread_url(thread), data={"body": too_long}))
    assert page.title.get_text().startswith("Erreur : ")
    assert "10 000 caractères (il en compte 10 001)" in text_of(page.select_one("#body-error"))
    assert page.select_one("textarea#body")["aria-describedby"] == "body-hint body-error"
    assert page.select_one("textarea#body").get_text().strip() == too_long
    assert page.select_one("#error-summary a")["href"] == "#body"
    response = as_omar.post(thread_url(thread), data={"body": "  "}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#reply-form" and response.headers["HX-Reswap"] == "outerHTML"
    fragment = soup_of(response)
    assert fragment.select_one("#error-summary").has_attr("autofocus")
    assert text_of(fragment.select_one("#body-error")) == "Erreur : Écrivez votre message."
    assert db.session.query(ForumPost).count() == 1


@pytest.mark.clause("CGS-2.1-A3")
def test_posting_is_rate_limited_per_learner_and_the_text_is_kept(app, lea, omar):
    thread = start(lea)
    as_omar = signed_in_client(app, omar)
    app.config["COMMUNITY_POST_RATE_LIMIT"] = "2 per minute"
    try:
        assert as_omar.post(thread_url(thread), data={"body": "Un"}).status_code == 302
        refused = soup_of(as_omar.post(thread_url(thread), data={"body": ""}))  # refused: not counted
        assert "Écrivez votre message." in text_of(refused.select_one("#body-error"))
        assert as_omar.post(thread_url(thread), data={"body": "Deux"}).status_code == 302
        page = soup_of(as_omar.post(thread_url(thread), data={"body": "Trois"}))
        assert "patientez quelques minutes" in text_of(page.select_one("#body-error"))
        assert page.select_one("textarea#body").get_text().strip() == "Trois"
        as_lea = signed_in_client(app, lea)  # another learner is not affected
        assert as_lea.post(thread_url(thread), data={"body": "Moi aussi"}).status_code == 302
    finally:
        app.config["COMMUNITY_POST_RATE_LIMIT"] = "10 per minute; 200 per day"
    assert [p.body for p in db.session.query(ForumPost).order_by(ForumPost.id)][1:] == ["Un", "Deux", "Moi aussi"]


@pytest.mark.clause("CGS-2.1-A3")
def test_a_private_message_from_a_post_reaches_the_author_who_reads_it(app, lea, omar):
    start(lea)
    post = db.session.query(ForumPost).one()
    as_omar = signed_in_client(app, omar)
    link = soup_of(as_omar.get(thread_url(post.thread))).select_one(f"#post-{post.id} .post-actions a")
    assert link["href"] == f"/messages/ecrire/{post.id}"  # names the post, never the person
    assert text_of(link) == "Écrire un message privé à Léa M."
    page = soup_of(as_omar.get(link["href"]))
    assert text_of(page.h1) == "Écrire à Léa M."
    response = as_omar.post(link["href"], data={"body": "Bonjour Léa,\n\nJeudi me va."})
    message = db.session.query(PrivateMessage).one()
    assert message.recipient == lea and message.read_at is None
    assert response.headers["Location"] == f"/messages/{message.conversation_id}#message-{message.id}"
    as_lea = signed_in_client(app, lea)
    nav = soup_of(as_lea.get("/forum")).select_one("#nav-messages")
    assert text_of(nav) == "Messages (1 non lu)"
    inbox = soup_of(as_lea.get("/messages"))
    row = inbox.select_one("table.conversation-table tbody tr")
    assert text_of(row.th) == "Omar B." and text_of(row.select("td")[0]) == "1 non lu"
    conversation = soup_of(as_lea.get(row.th.a["href"]))
    assert text_of(conversation.h1) == "Conversation avec Omar B."
    shown = conversation.select_one(f"#message-{message.id}")
    assert [text_of(p) for p in shown.select(".post-body p")] == ["Bonjour Léa,", "Jeudi me va."]
    assert "nouveau" in text_of(shown.select_one(".meta"))
    assert text_of(conversation.select_one("#nav-messages")) == "Messages"  # read now
    assert db.session.get(PrivateMessage, message.id).read_at is not None
    # Writing again from the forum opens the same conversation.
    assert as_omar.get(link["href"]).headers["Location"] == f"/messages/{message.conversation_id}#message-form-title"


@pytest.mark.clause("CGS-2.1-A3")
def test_a_learner_cannot_write_to_themself_from_their_own_post(app, lea):
    start(lea)
    post = db.session.query(ForumPost).one()
    as_lea = signed_in_client(app, lea)
    page = soup_of(as_lea.get(thread_url(post.thread)))
    assert page.select_one(f"#post-{post.id} .post-actions") is None
    assert as_lea.post(f"/messages/ecrire/{post.id}", data={"body": "moi"}).status_code == 302
    assert db.session.query(PrivateMessage).count() == 0


@pytest.mark.clause("CGS-2.1-A3")
def test_ones_own_post_offers_no_report_and_anothers_does(app, lea, omar):
    """The thread asks the forum's rules (discussions.can_report, can_message) whether to offer each action."""
    thread = start(lea)
    with app.test_request_context():
        discussions.reply(omar, thread, "Moi aussi.")
    db.session.commit()
    mine, theirs = db.session.query(ForumPost).order_by(ForumPost.id).all()
    for lang, report, write in (("fr", "Signaler", "Écrire un message privé"),
                                ("en", "Report", "Write a private message")):
        page = soup_of(signed_in_client(app, lea).get(thread_url(thread), headers={"Accept-Language": lang}))
        own = [text_of(a) for a in page.select(f"#post-{mine.id} .post-actions a")]
        other = [text_of(a) for a in page.select(f"#post-{theirs.id} .post-actions a")]
        assert own == []
        assert len(other) == 2
        assert any(label.startswith(report) for label in other) and any(label.startswith(write) for label in other)


@pytest.mark.clause("CGS-2.1-A3")
def test_a_conversation_is_read_only_by_its_two_participants(app, lea, omar):
    message = discussions.write_to(lea, omar, "Entre nous")
    db.session.commit()
    url = f"/messages/{message.conversation_id}"
    curious = signed_in_client(app, subscriber("curieux@example.org", "Chloé", "Curieuse"))
    assert curious.get(url).status_code == 404
    assert curious.post(url, data={"body": "Je m'invite"}).status_code == 404
    assert app.test_client().get(url).headers["Location"].startswith("/connexion")
    assert db.session.query(PrivateMessage).count() == 1


@pytest.mark.clause("CGS-2.1-A3")
def test_with_htmx_a_private_message_is_added_in_place_and_announced(app, lea, omar):
    first = discussions.write_to(lea, omar, "Bonjour")
    db.session.commit()
    as_omar = signed_in_client(app, omar)
    url = f"/messages/{first.conversation_id}"
    form = soup_of(as_omar.get(url)).select_one("#message-form")
    assert form["action"] == url and form["hx-target"] == "#messages"
    response = as_omar.post(url, data={"body": "Bonjour Léa"}, headers={"HX-Request": "true"})
    assert response.status_code == 201
    fragment = soup_of(response)
    answer = db.session.query(PrivateMessage).filter_by(sender_id=omar.id).one()
    assert fragment.select_one(f"article#message-{answer.id}").has_attr("autofocus")
    assert text_of(fragment.select_one("#status")) == "Votre message est envoyé à Léa M."
    assert answer.recipient == lea and db.session.get(type(lea), lea.id).unread_messages == 1


@pytest.mark.clause("CGS-2.1-A3")
def test_a_former_subscriber_rereads_their_conversations_but_sends_nothing(app, lea, omar):
    message = discussions.write_to(lea, omar, "Bonjour Omar")
    db.session.query(Subscription).filter_by(user_id=omar.id).one().status = SubscriptionStatus.ENDED
    db.session.commit()
    as_omar = signed_in_client(app, omar)
    inbox = soup_of(as_omar.get("/messages"))
    assert "ne donne plus accès à la messagerie" in text_of(inbox.select_one(IMPORTANT_MESSAGE))
    page = soup_of(as_omar.get(f"/messages/{message.conversation_id}"))
    assert page.select_one("#message-form") is None and "Bonjour Omar" in text_of(page.select_one("#messages"))
    response = as_omar.post(f"/messages/{message.conversation_id}", data={"body": "Réponse"})
    assert response.headers["Location"] == "/premium"
    page = soup_of(signed_in_client(app, lea).get(f"/messages/{message.conversation_id}"))
    assert "Omar B. ne peut pas recevoir de messages privés" in text_of(page.select_one("main"))
    assert page.select_one("#message-form") is None
    assert db.session.query(PrivateMessage).count() == 1


@pytest.mark.clause("CGS-2.1-A3")
def test_a_reported_post_reaches_student_success_who_hide_it(app, lea, omar):
    thread = start(omar, title="Sujet houleux", body="Des propos blessants.")
    post = db.session.query(ForumPost).one()
    as_lea = signed_in_client(app, lea)
    report_url = f"{thread_url(thread)}/signaler/{post.id}"
    form = soup_of(as_lea.get(report_url))
    assert text_of(form.select_one("fieldset legend")) == "Pourquoi signalez-vous ce message ?"
    assert text_of(form.select_one("blockquote")) == "Des propos blessants."
    refused = soup_of(as_lea.post(report_url, data={"reason": "other", "details": ""}))
    assert text_of(refused.select_one("#details-error")) == "Erreur : Précisez la raison du signalement."
    response = as_lea.post(report_url, data={"reason": "abuse", "details": "Il vise un autre abonné."})
    assert response.headers["Location"] == f"{thread_url(thread)}?page=1#post-{post.id}"
    staff = make_staff("equipe@example.org")
    db.session.commit()
    as_lea_page = as_lea.get("/equipe/signalements")
    assert as_lea_page.status_code == 404  # the back office does not exist for learners
    as_staff = signed_in_client(app, staff)
    reports = soup_of(as_staff.get("/equipe/signalements"))
    report = db.session.query(AbuseReport).one()
    section = reports.select_one(f"#report-{report.id}")
    assert "Propos injurieux" in text_of(section.h3)
    assert "Léa Martin (lea@example.org)" in text_of(section) and "Des propos blessants." in text_of(section)
    assert "Il vise un autre abonné." in text_of(section)
    response = as_staff.post(f"/equipe/signalements/{report.id}", data={"decision": "hide"})
    assert response.headers["Location"] == "/equipe/signalements"
    assert "Aucun signalement n'attend d'examen." in text_of(soup_of(as_staff.get("/equipe/signalements")))
    page = soup_of(as_lea.get(thread_url(thread)))
    assert text_of(page.h1) == "Sujet masqué par l'équipe Student Success"
    assert "Des propos blessants" not in page.get_text()
    assert text_of(page.select_one(".post-masked")) == "Ce message a été masqué par l'équipe Student Success."
    assert page.select_one("#reply-form") is None


@pytest.mark.clause("CGS-2.1-A3")
def test_a_private_message_received_can_be_reported(app, lea, omar):
    message = discussions.write_to(omar, lea, "Message insistant")
    db.session.commit()
    as_lea = signed_in_client(app, lea)
    page = soup_of(as_lea.get(f"/messages/{message.conversation_id}"))
    link = page.select_one(f"#message-{message.id} .post-actions a")
    assert link["href"] == f"/messages/{message.conversation_id}/signaler/{message.id}"
    as_lea.post(link["href"], data={"reason": "abuse"})
    assert db.session.query(AbuseReport).one().message_id == message.id
    as_omar = signed_in_client(app, omar)  # the sender cannot report their own message
    assert as_omar.get(link["href"]).status_code == 404


@pytest.mark.clause("CGS-2.1-A3")
def test_a_hidden_post_shows_a_notice_and_can_be_neither_reported_nor_answered_privately(app, lea, omar):
    thread = start(omar, title="Un sujet", body="Le premier message.")
    elsewhere = start(omar, title="Un autre sujet", body="Ailleurs.")
    answer = discussions.reply(omar, thread, "Des propos blessants.")
    db.session.commit()
    as_lea = signed_in_client(app, lea)
    report_url, write_url = f"{thread_url(thread)}/signaler/{answer.id}", f"/messages/ecrire/{answer.id}"
    assert as_lea.get(report_url).status_code == 200 and as_lea.get(write_url).status_code == 200
    assert as_lea.get(f"{thread_url(elsewhere)}/signaler/{answer.id}").status_code == 404  # not that thread's
    answer.hidden_at = clock.now()
    db.session.commit()
    page = soup_of(as_lea.get(thread_url(thread)))
    shown = page.select_one(f"#post-{answer.id}")
    assert text_of(shown.select_one(".post-masked")) == "Ce message a été masqué par l'équipe Student Success."
    assert "Des propos blessants" not in page.get_text() and shown.select_one(".post-actions") is None
    assert text_of(page.h1) == "Un sujet"  # only an opening post hides its thread's title
    assert as_lea.get(report_url).status_code == 404 and as_lea.get(write_url).status_code == 404


def test_forum_and_messages_keep_the_solo_withdrawal_right(app, lea, omar):
    """Exchanging with other subscribers is not an access to premium content (art. 6.1)."""
    thread = start(omar)
    as_lea = signed_in_client(app, lea)
    as_lea.get("/forum")
    as_lea.post(thread_url(thread), data={"body": "Bonjour"})
    as_lea.post(f"/messages/ecrire/{db.session.query(ForumPost).first().id}", data={"body": "Salut"})
    assert db.session.query(Subscription).filter_by(user_id=lea.id).one().first_premium_access_at is None


def test_threads_are_paginated_with_the_latest_activity_first(app, lea):
    for number in range(discussions.THREADS_PER_PAGE + 2):
        start(lea, title=f"Sujet numéro {number:02}")
        clock.advance(timedelta(minutes=1))
    as_lea = signed_in_client(app, lea)
    first = soup_of(as_lea.get(GENERAL))
    titles = [text_of(a) for a in first.select("table.thread-table tbody th a")]
    assert titles[0] == "Sujet numéro 21" and len(titles) == discussions.THREADS_PER_PAGE
    assert "page 1 sur 2" in text_of(first.select_one("table.thread-table caption"))
    second = soup_of(as_lea.get(first.select_one("nav.pagination a[rel=next]")["href"]))
    assert [text_of(a) for a in second.select("table.thread-table tbody th a")] == ["Sujet numéro 01",
                                                                                     "Sujet numéro 00"]


@pytest.mark.clause("CGS-2.1-A3")
def test_the_forum_and_messages_speak_english(app, lea, omar):
    thread = start(lea)
    message = discussions.write_to(lea, omar, "Hello Omar")
    db.session.commit()
    as_omar = signed_in_client(app, omar)
    english = {"Accept-Language": "en"}
    forum_page = soup_of(as_omar.get("/forum", headers=english))
    assert forum_page.html["lang"] == "en" and text_of(forum_page.h1) == "Subscribers' forum"
    assert text_of(forum_page.select_one("table.forum-table tbody th a")) == "General discussion"
    assert text_of(forum_page.select_one("#nav-messages")) == "Messages (1 unread)"
    general = soup_of(as_omar.get(GENERAL, headers=english))
    assert text_of(general.select_one("main .govuk-button")) == "Start a new thread"
    page = soup_of(as_omar.get(thread_url(thread), headers=english))
    assert text_of(page.select_one("#reply-title")) == "Reply"
    assert text_of(page.select_one("#posts .post-actions a")) == "Write a private message to Léa M."
    assert text_of(page.select_one("label[for=body]")) == "Your answer"
    assert text_of(soup_of(as_omar.get("/messages", headers=english)).h1) == "Private messages"
    conversation = soup_of(as_omar.get(f"/messages/{message.conversation_id}", headers=english))
    assert text_of(conversation.h1) == "Conversation with Léa M."
    refused = soup_of(as_omar.post(thread_url(thread), data={"body": ""}, headers=english))
    assert text_of(refused.select_one("#body-error")) == "Error: Write your message."


def test_the_thread_page_of_20_posts_by_10_authors_needs_a_fixed_number_of_queries(app, lea, statements):
    authors = [lea] + [subscriber(f"auteur{n}@example.org", f"Auteur{n}", "Test") for n in range(9)]
    thread = start(lea)
    for number in range(19):
        discussions.reply(authors[(number + 1) % 10], thread, f"Réponse {number}")
    db.session.commit()
    url = thread_url(thread)
    as_lea = signed_in_client(app, lea)
    statements.clear()
    page = soup_of(as_lea.get(url))
    assert len(page.select("#posts > li")) == 20
    assert len({text_of(h) for h in page.select("#posts h2")}) == 10
    assert len(statements) <= 5, "\n\n".join(statements)  # whatever the number of posts
    for url in ("/forum", GENERAL, "/messages"):
        statements.clear()
        assert as_lea.get(url).status_code == 200
        assert len(statements) <= 6, (url, statements)


def test_the_conversation_page_needs_a_fixed_number_of_queries(app, lea, omar, statements):
    for number in range(20):
        discussions.write_to(lea if number % 2 else omar, omar if number % 2 else lea, f"Message {number}")
    db.session.commit()
    conversation_id = db.session.query(PrivateMessage).first().conversation_id
    as_lea = signed_in_client(app, lea)
    statements.clear()
    page = soup_of(as_lea.get(f"/messages/{conversation_id}"))
    assert len(page.select("#messages > li")) == 20
    assert len(statements) <= 9, "\n\n".join(statements)  # reading marks them read: two updates
    statements.clear()
    assert as_lea.get("/messages").status_code == 200
    assert len(statements) <= 6, "\n\n".join(statements)


def test_a_post_is_shown_as_written_in_paragraphs_and_lines_with_any_html_as_text(app):
    html = plain_text('Bonjour & <b>merci</b>\n\n  \n\nLigne 1\nLigne "2"\n\n')
    paragraphs = BeautifulSoup(html, "html.parser").select("p")
    assert [text_of(p) for p in paragraphs] == ["Bonjour & <b>merci</b>", 'Ligne 1 Ligne "2"']
    assert len(paragraphs[1].select("br")) == 1 and not paragraphs[0].select("b")
    assert plain_text("") == "" and plain_text("\n \n") == ""
