"""The subscription checkout in a real browser, in French and in English: Premium Solo by keyboard alone, the
payment step's errors, a refused card, Premium Plus through its reflection period, a minor with a guardian's
approval, and the whole Solo checkout without JavaScript. axe finds nothing on any page reached.

Amounts and structure are asserted rather than sentences; the few texts checked are msgstr of
app/translations/en/LC_MESSAGES/messages.po.
"""

import email
import email.policy
import re
import uuid
import weakref
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.services import clock
from tests.browser.conftest import axe_check
from tests.browser.test_keyboard import date_digits, focused_matches, tab_to
from tests.conftest import make_user

LANGUAGES = pytest.mark.parametrize("lang", ["fr", "en"])
PARCOURS = "developpeur-application-python"
ADULT = date(1990, 2, 3)
ADDRESS = {"billing_address": "12 rue des Écoles", "billing_postal_code": "75005", "billing_city": "Paris"}
GOOD_CARD = "4111 1111 1111 1111"
REFUSED_CARD = "4000 0000 0000 0002"
SOLO_CONSENTS = ("#consent_terms", "#consent_immediate_access", "#consent_payment_holder")
PLUS_CONSENTS = ("#consent_terms", "#consent_student_rules", "#consent_payment_holder")

# Amounts as the euros filter writes them (whitespace folded by text_of).
SOLO_PRICE = {"fr": "20,00 €", "en": "€20.00"}
SOLO_VAT = {"fr": "3,33 €", "en": "€3.33"}
HALF_PRICE = {"fr": "10,00 €", "en": "€10.00"}
HALF_VAT = {"fr": "1,67 €", "en": "€1.67"}
PLUS_PRICE = {"fr": "300,00 €", "en": "€300.00"}
ZERO = {"fr": "0,00 €", "en": "€0.00"}
VAT = {"fr": "TVA", "en": "VAT"}
# msgid and msgstr in messages.po.
THANKS = {"fr": "Merci, vous êtes Premium", "en": "Thank you, you are Premium"}
NOTHING_CHARGED = {"fr": "Rien n'a été débité.", "en": "Nothing has been charged."}

STEP = {
    "account": r"/commande/solo$",
    "link_sent": r"/message-envoye$",
    "link": r"/continuer/[^/]+$",
    "details": r"/commande/CMD-[0-9]+-[0-9]+/coordonnees$",
    "payment": r"/commande/CMD-[0-9]+-[0-9]+/paiement$",
    "review": r"/commande/CMD-[0-9]+-[0-9]+/verification$",
    "provider": r"/paiement-simule/SIMCS[0-9A-F]+$",
    "confirmation": r"/commande/CMD-[0-9]+-[0-9]+/confirmation$",
    "guardian_request": r"/accord-representant/solo$",
}


@pytest.fixture
def frozen_clock():
    """The live server's clock (same process) stopped now; started again after the test whatever happens."""
    clock.freeze(clock.now())
    try:
        yield clock.now()
    finally:
        clock.reset()


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.org"


def text_of(locator) -> str:
    """The visible text with every kind of whitespace (the locales' no-break spaces too) folded."""
    return " ".join(locator.inner_text().split())


_TWINS = weakref.WeakKeyDictionary()


def axe_scriptless(page, open_page) -> None:
    """axe on a page opened without JavaScript, in the same session.

    conftest's axe_check loads the URL again in a fresh context with no cookie: a page behind the sign-in
    would be checked as the sign-in page it redirects to. Here the twin (JavaScript on, the site's scripts
    blocked, one per page) gets the page's cookies before each load.
    """
    twin = _TWINS.get(page)
    if twin is None:
        twin = _TWINS[page] = open_page(page.locator("html").get_attribute("lang"), block_scripts=True)
    twin.context.add_cookies(page.context.cookies())
    response = twin.goto(page.url)
    assert response.ok and twin.url == page.url, f"{page.url} -> {twin.url}"
    axe_check(twin)


def arrive(page, lang: str, step: str, open_page=None) -> None:
    """The page of `step` is loaded, in the reader's language, with one h1 and no axe violation.

    `open_page` is given for a page opened without JavaScript (see axe_scriptless).
    """
    expect(page).to_have_url(re.compile(STEP.get(step, step)))
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)
    if open_page is None:
        axe_check(page)
    else:
        axe_scriptless(page, open_page)


def mails_to(live_app, recipient: str) -> list[str]:
    """The plain text of every email the live server wrote to its outbox folder for `recipient`, in order."""
    texts = []
    for path in sorted(Path(live_app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"), key=lambda p: p.stem.split("-")[-1]):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == recipient:
            texts.append(message.get_body(("plain",)).get_content())
    return texts


# --- steps taken with the mouse and fill(), for the tests where the keyboard is not the point --------------

def click_and_load(page, locator) -> None:
    """Click, and wait for the page that follows (the same URL, for a form sent back with its errors)."""
    with page.expect_navigation():
        locator.click()


def submit(page) -> None:
    """The main form's submit button (on the provider's page, not "Annuler")."""
    click_and_load(page, page.locator("main form:not([action$='/annuler']) [type=submit]").first)


def mailed_link(live_app, recipient: str) -> str:
    """The link of the last "continue your order" mail to `recipient`, as its reader sees it."""
    base = re.escape(live_app.config["PUBLIC_BASE_URL"])
    links = [re.search(base + r"/\S*/continuer/\S+", text) for text in mails_to(live_app, recipient)]
    assert any(links), f"no link mailed to {recipient}"
    return [link for link in links if link][-1][0]


def check_your_mail(page, lang: str, email_address: str, open_page=None) -> None:
    """The same answer whether or not the address has an account: the address, and what to do next."""
    arrive(page, lang, "link_sent", open_page)
    assert email_address in text_of(page.locator("main"))
    expect(page.locator("main a[href*='/connexion?next=']")).to_have_count(1)


def follow_mailed_link(page, lang: str, live_app, email_address: str, open_page=None) -> None:
    """The visitor opens the mail's link, then its button, which signs them in and continues their order."""
    page.goto(mailed_link(live_app, email_address))
    arrive(page, lang, "link", open_page)
    assert email_address in text_of(page.locator("main"))
    submit(page)


def give_account_details(page, lang: str, email_address: str, born: date = ADULT, step: str = "account",
                         open_page=None) -> None:
    arrive(page, lang, step, open_page)
    page.locator("#first_name").fill("Ana")
    page.locator("#last_name").fill("Lopez")
    page.locator("#email").fill(email_address)
    page.locator("#date_of_birth").fill(born.isoformat())
    page.locator("#country").select_option("FR")
    page.locator("#legal_protection-0").check()
    submit(page)
    check_your_mail(page, lang, email_address, open_page)


def fill_account(page, lang: str, email_address: str, live_app, born: date = ADULT, step: str = "account",
                 open_page=None):
    """The account step, then the mail: the visitor reads it and follows its link back to the order."""
    give_account_details(page, lang, email_address, born, step, open_page)
    follow_mailed_link(page, lang, live_app, email_address, open_page)


def fill_details(page, lang: str, open_page=None) -> None:
    arrive(page, lang, "details", open_page)
    expect(page.locator("#billing_name")).to_have_value("Ana Lopez")  # from the account
    for name, value in ADDRESS.items():
        page.locator(f"#{name}").fill(value)
    submit(page)


def fill_payment_step(page, lang: str, consents=SOLO_CONSENTS, promo: str = "", open_page=None) -> None:
    arrive(page, lang, "payment", open_page)
    page.locator("#payment_method-0").check()  # card
    if promo:
        page.locator("#promo_code").fill(promo)
    for consent in consents:
        page.locator(consent).check()
    submit(page)


def check_review(page, lang: str, amount: str, vat: str, open_page=None) -> None:
    """The review shows the amount charged today and its VAT; then Valider."""
    arrive(page, lang, "review", open_page)
    today = text_of(page.locator("#amount-today"))
    assert amount in today and VAT[lang] in today and vat in today, today
    submit(page)  # Valider


def pay_on_provider_page(page, lang: str, amount: str, card: str = GOOD_CARD, open_page=None) -> None:
    arrive(page, lang, "provider", open_page)
    assert amount in text_of(page.locator("main"))
    page.locator("#card-number").fill(card)
    page.locator("#card-holder").fill("Ana Lopez")
    page.locator("#card-expiry").fill("03/30")
    page.locator("#card-cvc").fill("737")
    submit(page)


def check_confirmation(page, lang: str, amount: str, open_page=None) -> None:
    arrive(page, lang, "confirmation", open_page)
    expect(page.locator("h1")).to_have_text(THANKS[lang])
    assert amount in text_of(page.locator("#order-outcome"))


# --- 1. keyboard alone -------------------------------------------------------------------------------------

@LANGUAGES
def test_a_visitor_buys_premium_solo_with_the_keyboard_alone(page, live_app, lang):
    """Tab and Shift+Tab, typing, Space on checkboxes and radios, Enter: no click, no fill. The address is
    confirmed on the way, by the link mailed to it."""
    keyboard = page.keyboard
    address = unique_email("clavier")
    digits = date_digits(page, ADULT)
    page.goto("/premium")
    arrive(page, lang, r"/premium$")
    assert SOLO_PRICE[lang] in text_of(page.locator("section[aria-labelledby=offer-solo]"))
    tab_to(page, "main a[href='/commande/solo']")
    keyboard.press("Enter")

    arrive(page, lang, "account")
    tab_to(page, "#first_name")
    keyboard.type("Ana")
    tab_to(page, "#last_name")
    keyboard.type("Lopez")
    tab_to(page, "#email")
    keyboard.type(address)
    tab_to(page, "#date_of_birth")
    keyboard.type(digits)
    assert page.evaluate("document.getElementById('date_of_birth').value") == ADULT.isoformat()
    tab_to(page, "#country")
    keyboard.type("Fran")  # typeahead in the closed select
    assert page.evaluate("document.getElementById('country').value") == "FR"
    tab_to(page, "input[name=legal_protection]")
    assert focused_matches(page, "#legal_protection-0")
    keyboard.press("Space")
    expect(page.locator("#legal_protection-0")).to_be_checked()
    keyboard.press("Shift+Tab")  # back to the country, then forward again: nothing is lost on the way
    assert focused_matches(page, "#country")
    tab_to(page, "main form button[type=submit]")
    expect(page.locator("#legal_protection-0")).to_be_checked()
    keyboard.press("Enter")

    check_your_mail(page, lang, address)
    for next_step in ("a[href='/commande/solo']", "a[href='/connexion?next=/commande/solo']",
                      "a[href='/aide-connexion']"):
        tab_to(page, f"main {next_step}")  # what to do if nothing arrives: each reachable by keyboard
    page.goto(mailed_link(live_app, address))  # opened from the mail
    arrive(page, lang, "link")
    tab_to(page, "main form button[type=submit]")
    keyboard.press("Enter")

    arrive(page, lang, "details")
    expect(page.locator("#billing_name")).to_have_value("Ana Lopez")
    expect(page.locator("#billing_country")).to_have_value("FR")
    for name, value in ADDRESS.items():
        tab_to(page, f"#{name}")
        keyboard.type(value)
    tab_to(page, "main form button[type=submit]")
    keyboard.press("Enter")

    arrive(page, lang, "payment")
    # The radio group is one tab stop, on its checked radio: the card, chosen by default.
    tab_to(page, "input[name=payment_method]")
    assert focused_matches(page, "#payment_method-0")
    keyboard.press("Space")
    expect(page.locator("#payment_method-0")).to_be_checked()
    for consent in SOLO_CONSENTS:
        tab_to(page, consent)
        keyboard.press("Space")
        expect(page.locator(consent)).to_be_checked()
    tab_to(page, "main form button[type=submit]")
    keyboard.press("Enter")

    arrive(page, lang, "review")
    table = text_of(page.locator("main table"))
    assert "Premium Solo" in table and SOLO_PRICE[lang] in table
    today = text_of(page.locator("#amount-today"))
    assert SOLO_PRICE[lang] in today and VAT[lang] in today and SOLO_VAT[lang] in today, today
    tab_to(page, "form[action$='/valider'] button[type=submit]")
    keyboard.press("Enter")

    arrive(page, lang, "provider")
    assert SOLO_PRICE[lang] in text_of(page.locator("main"))
    for selector, value in (("#card-number", GOOD_CARD), ("#card-holder", "Ana Lopez"), ("#card-expiry", "03/30"),
                            ("#card-cvc", "737")):
        tab_to(page, selector)
        keyboard.type(value)
    tab_to(page, "main form:not([action$='/annuler']) button[type=submit]")
    keyboard.press("Enter")

    check_confirmation(page, lang, SOLO_PRICE[lang])
    tab_to(page, "#order-outcome a[href='/cours']")  # "Commencer à apprendre" is reachable too


@LANGUAGES
def test_an_address_with_an_account_gets_the_same_answer_and_a_used_link_says_what_to_do(page, open_page, live_app,
                                                                                         lang):
    owner = unique_email("titulaire")
    with live_app.app_context():
        make_user(owner)
        db.session.commit()
    page.goto("/commande/solo")
    give_account_details(page, lang, owner)  # "check your mail", as for a new address
    [warning] = mails_to(live_app, owner)
    assert f"{live_app.config['PUBLIC_BASE_URL']}/connexion?next=/commande/solo" in warning
    assert "/continuer/" not in warning

    newcomer = unique_email("nouveau")
    page.goto("/commande/solo")
    fill_account(page, lang, newcomer, live_app)
    arrive(page, lang, "details")
    # The same link, opened again elsewhere; without the site's scripts, as Chromium logs any 410 to the console.
    used = open_page(lang, block_scripts=True)
    response = used.goto(mailed_link(live_app, newcomer))
    assert response.status == 410
    arrive(used, lang, "link")
    for next_step in ("a[href='/connexion?next=/commande/solo']", "a[href='/mot-de-passe-oublie']",
                      "a[href='/commande/solo']"):
        tab_to(used, f"main {next_step}")


# --- 2. the payment step's errors ---------------------------------------------------------------------------

@LANGUAGES
def test_a_payment_step_without_consent_shows_a_focused_error_summary_then_continues(page, live_app, lang):
    page.goto("/commande/solo")
    fill_account(page, lang, unique_email("consent"), live_app)
    fill_details(page, lang)
    arrive(page, lang, "payment")
    page.locator("#promo_code").fill("BIENVENUE")
    submit(page)  # no consent box ticked

    arrive(page, lang, "payment")  # the error state, checked by axe
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    links = summary.locator("a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == list(SOLO_CONSENTS)
    for consent in SOLO_CONSENTS:
        expect(page.locator(consent)).not_to_be_checked()
        expect(page.locator(consent)).to_have_attribute("aria-describedby", re.compile(rf"{consent[1:]}-error"))
        expect(page.locator(f"{consent}-error")).to_be_visible()
    expect(page.locator("#promo_code")).to_have_value("BIENVENUE")
    expect(page.locator("#payment_method-0")).to_be_checked()

    # From the summary, the first link takes focus to the first consent box, where Space ticks it.
    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#consent_terms")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#consent_terms")).to_be_checked()
    for consent in SOLO_CONSENTS[1:]:
        page.locator(consent).check()
    submit(page)

    arrive(page, lang, "review")
    assert "BIENVENUE" in text_of(page.locator("main table"))
    assert HALF_PRICE[lang] in text_of(page.locator("#amount-today"))


# --- 3. a refused card, then a good one ---------------------------------------------------------------------

@LANGUAGES
def test_a_refused_card_returns_to_the_payment_step_keeping_the_promo_then_a_good_card_pays(page, live_app, lang):
    page.goto("/commande/solo")
    fill_account(page, lang, unique_email("refus"), live_app)
    fill_details(page, lang)
    fill_payment_step(page, lang, promo="BIENVENUE")
    check_review(page, lang, HALF_PRICE[lang], HALF_VAT[lang])
    pay_on_provider_page(page, lang, HALF_PRICE[lang], card=REFUSED_CARD)

    arrive(page, lang, "payment")  # back, with the refusal notice
    expect(page.locator("#payment-refused")).to_be_visible()
    expect(page.locator("#payment-refused")).to_have_attribute("role", "alert")
    expect(page.locator("#promo_code")).to_have_value("BIENVENUE")
    expect(page.locator("#payment_method-0")).to_be_checked()
    fill_payment_step(page, lang)  # the promo code left as it was
    check_review(page, lang, HALF_PRICE[lang], HALF_VAT[lang])
    pay_on_provider_page(page, lang, HALF_PRICE[lang])
    check_confirmation(page, lang, HALF_PRICE[lang])


# --- 4. Premium Plus and its reflection period --------------------------------------------------------------

@LANGUAGES
def test_premium_plus_is_signed_and_paid_only_after_the_reflection_period(page, live_app, lang, frozen_clock):
    page.goto(f"/parcours/{PARCOURS}")
    arrive(page, lang, rf"/parcours/{PARCOURS}$")
    click_and_load(page, page.locator(f"main a[href='/parcours/{PARCOURS}/demarrer']"))  # "Démarrer"
    fill_account(page, lang, unique_email("plus"), live_app, step=rf"/parcours/{PARCOURS}/demarrer$")
    fill_details(page, lang)
    fill_payment_step(page, lang, consents=PLUS_CONSENTS)  # the Student Rules box instead of immediate access

    arrive(page, lang, "review")
    assert text_of(page.locator("#amount-today")) == ZERO[lang]  # nothing charged today
    table = text_of(page.locator("main table"))
    assert PLUS_PRICE[lang] in table and VAT[lang] in table, table  # the first month, at the signature
    submit(page)  # Valider

    arrive(page, lang, "confirmation")
    outcome = text_of(page.locator("#order-outcome"))
    assert NOTHING_CHARGED[lang] in outcome and PLUS_PRICE[lang] in outcome, outcome
    click_and_load(page, page.locator("#order-outcome a[href*='/contrat']"))  # "Voir mon contrat"

    arrive(page, lang, r"/abonnements/[0-9]+/contrat$")
    expect(page.locator("#reflection-running")).to_be_visible()
    expect(page.locator("form[action$='/signer']")).to_have_count(0)

    clock.freeze(frozen_clock + timedelta(days=8))
    page.reload()
    arrive(page, lang, r"/abonnements/[0-9]+/contrat$")
    expect(page.locator("#reflection-running")).to_have_count(0)
    click_and_load(page, page.locator("form[action$='/signer'] button[type=submit]"))

    pay_on_provider_page(page, lang, PLUS_PRICE[lang])
    check_confirmation(page, lang, PLUS_PRICE[lang])


# --- 5. a minor and the guardian's approval -----------------------------------------------------------------

@LANGUAGES
def test_a_seventeen_year_old_subscribes_once_the_guardian_approved(page, open_page, live_app, live_server, lang,
                                                                   frozen_clock):
    today = clock.today_in_paris()
    born = date(today.year - 17, 1, 1)  # 17 on any day of this year
    learner_email, guardian_email = unique_email("mineur"), unique_email("parent")
    page.goto("/commande/solo")
    fill_account(page, lang, learner_email, live_app, born=born)

    arrive(page, lang, "guardian_request")
    expect(page.locator("#approval-status")).to_have_count(0)
    page.locator("#guardian_name").fill("Marie Lopez")
    page.locator("#guardian_email").fill(guardian_email)
    page.locator("#relationship").select_option("parent")
    submit(page)
    arrive(page, lang, "guardian_request")
    status = text_of(page.locator("#approval-status"))
    assert "Marie Lopez" in status and guardian_email in status

    [request_mail] = mails_to(live_app, guardian_email)
    link = re.search(re.escape(live_server) + r"/representant/\S+", request_mail)[0]
    guardian = open_page(lang)  # the guardian's own browser
    guardian.goto(link)
    arrive(guardian, lang, re.escape(link) + "$")
    offer = text_of(guardian.locator("main table"))
    assert "Premium Solo" in offer and SOLO_PRICE[lang] in offer, offer
    click_and_load(guardian, guardian.locator("input[type=submit][name=approve]"))  # the terms box left unticked
    arrive(guardian, lang, re.escape(link) + "$")
    expect(guardian.locator("#error-summary")).to_be_focused()
    expect(guardian.locator("#error-summary a").first).to_have_attribute("href", "#terms_accepted")
    guardian.locator("#terms_accepted").check()
    click_and_load(guardian, guardian.locator("input[type=submit][name=approve]"))
    arrive(guardian, lang, re.escape(link) + "$")  # "Réponse enregistrée"
    expect(guardian.locator("main form")).to_have_count(0)
    assert any(f"{live_server}/commande/solo" in text for text in mails_to(live_app, learner_email))

    page.goto("/commande/solo")  # the learner comes back
    fill_details(page, lang)
    fill_payment_step(page, lang)
    check_review(page, lang, SOLO_PRICE[lang], SOLO_VAT[lang])
    pay_on_provider_page(page, lang, SOLO_PRICE[lang])
    check_confirmation(page, lang, SOLO_PRICE[lang])


# --- 6. without JavaScript ----------------------------------------------------------------------------------

@LANGUAGES
def test_the_solo_checkout_works_without_javascript(page_nojs, open_page, live_app, lang):
    page = page_nojs
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    page.goto("/premium")
    arrive(page, lang, r"/premium$", open_page)
    click_and_load(page, page.locator("main a[href='/commande/solo']"))
    fill_account(page, lang, unique_email("sansjs"), live_app, open_page=open_page)
    fill_details(page, lang, open_page)
    fill_payment_step(page, lang, open_page=open_page)
    check_review(page, lang, SOLO_PRICE[lang], SOLO_VAT[lang], open_page)
    pay_on_provider_page(page, lang, SOLO_PRICE[lang], open_page=open_page)
    check_confirmation(page, lang, SOLO_PRICE[lang], open_page)
    # Each step was a plain form POST, the browser following the redirects.
    steps = [re.sub(r"^http://[^/]+|CMD-[0-9-]+|SIMCS[0-9A-F]+|(?<=/continuer/).+", "", url) for url in posts]
    assert steps == ["/commande/solo", "/commande/solo/continuer/", "/commande//coordonnees", "/commande//paiement",
                     "/commande//valider", "/paiement-simule/"], steps
