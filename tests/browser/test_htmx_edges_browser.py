"""htmx at the edges, in a real browser, in French and in English: Back and Forward after a live search give the
whole page; a session that ended before an htmx request lands on the whole sign-in page (one main, one h1), which
then leads back to the page the learner was on."""

import re

from playwright.sync_api import expect
from sqlalchemy import delete

from app.extensions import db
from app.models import UserSession
from tests.browser.checkout_steps import LANGUAGES, arrive, text_of
from tests.browser.conftest import LOCALES, axe_check
from tests.browser.keyboard import tab_to
from tests.browser.learners import send_sign_in_form, sign_in, subscribed

QUERY = {"fr": "developpement", "en": "flask"}
CATALOGUE_TITLE = {"fr": "Catalogue des cours", "en": "Course catalogue"}


@LANGUAGES
def test_back_and_forward_after_a_live_search_give_the_whole_page(page, lang):
    page.goto("/")
    with page.expect_navigation():
        page.locator("header nav a[href='/cours']").click()
    page.locator("#q").focus()
    with page.expect_response(lambda response: "q=" + QUERY[lang] in response.url and response.ok):
        page.keyboard.type(QUERY[lang], delay=60)  # pauses while typing: each used to add a history entry
    expect(page).to_have_url(re.compile(rf"/cours\?q={QUERY[lang]}"))

    page.go_back()  # one step: the searches replaced the address instead of piling up
    expect(page).to_have_url(re.compile(r"/$"))
    page.go_forward()
    expect(page).to_have_url(re.compile(rf"/cours\?q={QUERY[lang]}"))
    page.wait_for_load_state()
    expect(page.locator("header nav")).to_have_count(1)
    expect(page.locator("a.skip-link")).to_have_count(1)
    expect(page.locator("main h1")).to_have_text(CATALOGUE_TITLE[lang])
    expect(page.locator("#q")).to_have_value(QUERY[lang])
    expect(page.locator("#results .card").first).to_be_visible()
    arrive(page, lang, r"/cours\?q=")


@LANGUAGES
def test_a_session_ended_before_an_htmx_request_opens_the_whole_sign_in_page_then_leads_back(page, live_app, lang):
    email, user_id = subscribed(live_app, "session-perdue")
    sign_in(page, email)
    page.goto("/compte/parametres/premium")
    with live_app.app_context():  # signed out from another device ("Se déconnecter partout")
        db.session.execute(delete(UserSession).where(UserSession.user_id == user_id))
        db.session.commit()

    tab_to(page, "#cancel-trigger")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the cancellation dialog, asked for by htmx
    arrive(page, lang, r"/connexion\?next=(/|%2F)compte(/|%2F)parametres(/|%2F)premium$")
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator("dialog")).to_have_count(0)
    notice = page.locator("main [data-focus-on-load]")
    expect(notice).to_be_focused()  # read first: why the sign-in page, not the dialog
    assert ("Connectez-vous" if lang == "fr" else "Sign in") in text_of(notice)

    send_sign_in_form(page, email)
    arrive(page, lang, r"/compte/parametres/premium$")


FAILURES = {
    "fr": {"offline": "la connexion semble interrompue", "failed": "le serveur n'a pas répondu comme prévu"},
    "en": {"offline": "the connection seems to be down", "failed": "the server did not answer as expected"},
}


@LANGUAGES
def test_a_live_search_that_fails_says_so_instead_of_leaving_the_old_count(browser, live_server, lang):
    # A context of its own: the failures below are wanted, and the browser reports them in its console.
    context = browser.new_context(base_url=live_server, locale=LOCALES[lang],
                                  extra_http_headers={"Accept-Language": lang})
    try:
        page = context.new_page()
        page.goto("/cours")
        notice = page.locator("#request-failed")
        expect(notice).to_be_hidden()
        failure = {"kind": "offline"}

        def fail(route):
            if route.request.headers.get("hx-request") != "true":
                return route.continue_()
            if failure["kind"] == "offline":
                return route.abort("internetdisconnected")
            return route.fulfill(status=500, body="")

        page.route(re.compile(r"/cours\?"), fail)
        page.locator("#q").fill("python")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text(FAILURES[lang]["offline"])
        expect(notice).to_have_attribute("role", "alert")

        failure["kind"] = "failed"
        page.locator("#q").fill("flask")
        expect(notice).to_contain_text(FAILURES[lang]["failed"])

        page.unroute(re.compile(r"/cours\?"))
        page.locator("#q").fill("developpement")
        expect(notice).to_be_hidden()  # the next search that worked takes the message away
        axe_check(page)
    finally:
        context.close()
