"""The checkout as a browser goes through it: the steps, the amounts shown, the mails read from the live
server's outbox; shared by the browser tests that buy a subscription first."""

import email
import email.policy
import re
import uuid
import weakref
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check

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
    for part in ("day", "month", "year"):
        page.locator(f"#date_of_birth-{part}").fill(str(getattr(born, part)))
    page.locator("#country").select_option("FR")
    page.locator("#legal_protection-0").check()
    submit(page)
    check_your_mail(page, lang, email_address, open_page)


def fill_account(page, lang: str, email_address: str, live_app, born: date = ADULT, step: str = "account",
                 open_page=None):
    """The account step, then the mail: the visitor reads it and follows its link back to the order."""
    give_account_details(page, lang, email_address, born, step, open_page)
    follow_mailed_link(page, lang, live_app, email_address, open_page)


def reach_payment_step(page, lang: str, live_app, prefix: str) -> None:
    """A new visitor's Premium Solo order, from the account step to the payment step (consents not ticked)."""
    page.goto("/commande/solo")
    fill_account(page, lang, unique_email(prefix), live_app)
    fill_details(page, lang)
    arrive(page, lang, "payment")


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
