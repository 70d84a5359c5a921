"""The subscribers' forum and private messages in a real browser, in French and in English, by keyboard alone
(CGS-2.1-A3): a subscriber opens a thread; another replies in place (the reply appears, is announced, and takes
the focus), then writes a private message to the thread's author, who sees it counted in the navigation and
reads it. axe finds nothing on the forum list, a thread, the messages list and a conversation. Without
JavaScript the same reply is a plain form that lands on the new post.

The two subscribers are set up in the live server's database; everything else happens in the browser.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.banners import SUCCESS_MESSAGE
from tests.browser.conftest import axe_check
from tests.browser.keyboard import tab_to
from tests.browser.learners import arrive, sign_in, subscribed

TITLE = {"fr": "Réviser les routes Flask à plusieurs", "en": "Revising Flask routes together"}
OPENING = {"fr": "Qui veut réviser le chapitre sur les routes ?\nJe propose jeudi soir.",
           "en": "Who wants to revise the chapter on routes?\nI suggest Thursday evening."}
REPLY = {"fr": "Avec plaisir, jeudi 18 h me va.", "en": "Happy to, Thursday 6 pm works for me."}
CONVERSATION = r"/messages/\d+"
UNREAD = {"fr": "Messages (1 non lu)", "en": "Messages (1 unread)"}
PRIVATE = {"fr": "Bonjour Nadia, je t'envoie mes notes avant jeudi.",
           "en": "Hello Nadia, I will send you my notes before Thursday."}


def follow(page, selector: str) -> None:
    """Tab to a link or a button and press Enter, waiting for the page it leads to."""
    tab_to(page, selector, max_presses=60)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page, selector: str, text: str) -> None:
    """Tab to a field and type `text`; in a textarea, Enter starts a new line."""
    tab_to(page, selector, max_presses=60)
    for index, line in enumerate(text.split("\n")):
        if index:
            page.keyboard.press("Enter")
        page.keyboard.type(line)


def open_thread(open_page, live_app, lang: str, say) -> tuple[str, str]:
    """Nadia opens a thread in the general forum by keyboard; returns her email and the thread's path."""
    nadia_email, _ = subscribed(live_app, f"forum-nadia-{lang}", "Nadia", "Fournier")
    nadia = open_page(lang)
    sign_in(nadia, nadia_email)
    follow(nadia, "header a[href='/forum']")
    arrive(nadia, lang, "/forum")
    expect(nadia.locator("header a[href='/forum']")).to_have_attribute("aria-current", "page")
    expect(nadia.locator("table.forum-table caption")).to_have_text(
        say("Les forums : le forum général, puis un forum par cours"))
    follow(nadia, "main a[href='/forum/general']")
    arrive(nadia, lang, "/forum/general")
    follow(nadia, "main a[href='/forum/general/nouveau-sujet']")
    arrive(nadia, lang, "/forum/general/nouveau-sujet")
    type_into(nadia, "#title", TITLE[lang])
    type_into(nadia, "#body", OPENING[lang])
    follow(nadia, "main form button[type=submit]")
    expect(nadia.locator("h1")).to_have_text(TITLE[lang])
    expect(nadia.locator(SUCCESS_MESSAGE)).to_have_text(say("Votre sujet est publié."))
    path = nadia.url.removeprefix(nadia.url.split("/forum/")[0])
    arrive(nadia, lang, path)
    expect(nadia.locator("#posts article").first.locator(".post-body p")).to_have_count(1)
    return nadia_email, path


@pytest.mark.clause("CGS-2.1-A3")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_subscribers_talk_in_the_forum_and_in_private_by_keyboard(open_page, live_app, lang, say):
    nadia_email, thread_path = open_thread(open_page, live_app, lang, say)

    # Omar replies in place: the reply is added at the end, announced, and takes the focus.
    omar_email, _ = subscribed(live_app, f"forum-omar-{lang}", "Omar", "Benali")
    omar = open_page(lang)
    sign_in(omar, omar_email)
    omar.goto(thread_path)
    arrive(omar, lang, thread_path)
    type_into(omar, "#body", REPLY[lang])
    tab_to(omar, "#reply-form button[type=submit]")
    omar.keyboard.press("Enter")
    reply = omar.locator("#posts > li > article").nth(1)
    expect(reply.locator(".post-body")).to_have_text(REPLY[lang])
    expect(reply).to_be_focused()
    expect(reply.locator("h2")).to_have_text(re.compile(r"^Omar B\."))
    expect(omar.locator("#status")).to_have_text(say("Votre réponse est publiée à la fin du sujet."))
    expect(omar.locator("#body")).to_have_value("")
    expect(omar).to_have_url(re.compile(re.escape(thread_path) + "$"))  # no page load
    axe_check(omar)

    # Omar writes privately to Nadia, from her post.
    follow(omar, "#posts > li:first-child a[href^='/messages/ecrire/']")
    expect(omar.locator("h1")).to_have_text(say("Écrire à %(name)s", name="Nadia F."))
    type_into(omar, "#body", PRIVATE[lang])
    follow(omar, "main form button[type=submit]")
    expect(omar.locator("h1")).to_have_text(say("Conversation avec %(name)s", name="Nadia F."))
    arrive(omar, lang, CONVERSATION)
    expect(omar.locator("#messages article").last.locator(".post-body")).to_have_text(PRIVATE[lang])

    # Nadia sees the unread message counted, in words, in the navigation, and reads it.
    nadia = open_page(lang)
    sign_in(nadia, nadia_email)
    unread = nadia.locator("#nav-messages")
    expect(unread).to_have_text(UNREAD[lang])
    follow(nadia, "#nav-messages")
    arrive(nadia, lang, "/messages")
    row = nadia.locator("table.conversation-table tbody tr").first
    expect(row.locator("th")).to_have_text("Omar B.")
    follow(nadia, "table.conversation-table tbody th a")
    arrive(nadia, lang, CONVERSATION)
    message = nadia.locator("#messages article").last
    expect(message.locator(".post-body")).to_have_text(PRIVATE[lang])
    expect(message.locator(".meta")).to_contain_text(say("nouveau"))
    expect(unread).to_have_text(say("Messages"))

    # She answers in place too.
    type_into(nadia, "#body", "Merci !" if lang == "fr" else "Thanks!")
    tab_to(nadia, "#message-form button[type=submit]")
    nadia.keyboard.press("Enter")
    answer = nadia.locator("#messages > li > article").last
    expect(answer.locator(".post-body")).to_have_text("Merci !" if lang == "fr" else "Thanks!")
    expect(answer).to_be_focused()
    expect(nadia.locator("#status")).to_have_text(say("Votre message est envoyé à %(name)s", name="Omar B."))
    axe_check(nadia)


@pytest.mark.clause("CGS-2.1-A3")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_without_javascript_a_reply_is_a_plain_form_that_lands_on_the_new_post(open_page, live_app, lang, say):
    _, thread_path = open_thread(open_page, live_app, lang, say)
    reader = open_page(lang, javascript=False)
    reader_email, _ = subscribed(live_app, f"forum-sansjs-{lang}", "Inès", "Sansjs")
    sign_in(reader, reader_email)
    reader.goto(thread_path)
    arrive(reader, lang, thread_path)
    follow(reader, "#reply-form button[type=submit]")  # empty: refused, explained next to the field
    expect(reader.locator("#body-error")).to_contain_text(say("Écrivez votre message."))
    expect(reader).to_have_title(re.compile("^" + re.escape(say("Erreur : "))))
    arrive(reader, lang, thread_path)
    type_into(reader, "#body", REPLY[lang])
    follow(reader, "#reply-form button[type=submit]")
    expect(reader).to_have_url(re.compile(r"#post-\d+$"))
    post_id = reader.url.rsplit("#", 1)[1]
    expect(reader.locator(f"#{post_id} .post-body")).to_have_text(REPLY[lang])
    expect(reader.locator(SUCCESS_MESSAGE)).to_have_text(say("Votre réponse est publiée."))
