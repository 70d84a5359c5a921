"""The subscription checkout in a real browser, in French and in English: Premium Solo by keyboard alone, the
payment step's errors, a refused card, Premium Plus through its reflection period, a minor with a guardian's
approval, and the whole Solo checkout without JavaScript. axe finds nothing on any page reached.

Amounts and structure are asserted rather than sentences; the few texts checked are msgstr of
app/translations/en/LC_MESSAGES/messages.po.
"""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from app.extensions import db
from app.services.common import clock
from tests.browser.checkout_steps import (
    ADDRESS,
    ADULT,
    GOOD_CARD,
    HALF_PRICE,
    HALF_VAT,
    LANGUAGES,
    NOTHING_CHARGED,
    PARCOURS,
    PLUS_CONSENTS,
    PLUS_PRICE,
    REFUSED_CARD,
    SOLO_CONSENTS,
    SOLO_PRICE,
    SOLO_VAT,
    VAT,
    ZERO,
    arrive,
    check_confirmation,
    check_review,
    check_your_mail,
    click_and_load,
    fill_account,
    fill_details,
    fill_payment_step,
    give_account_details,
    mailed_link,
    mails_to,
    pay_on_provider_page,
    reach_payment_step,
    submit,
    text_of,
    unique_email,
)
from tests.browser.keyboard import focused_matches, tab_to, type_date
from tests.conftest import make_user

# --- 1. keyboard alone -------------------------------------------------------------------------------------


@LANGUAGES
def test_a_visitor_buys_premium_solo_with_the_keyboard_alone(page, live_app, lang):
    """Tab and Shift+Tab, typing, Space on checkboxes and radios, Enter: no click, no fill. The address is
    confirmed on the way, by the link mailed to it."""
    keyboard = page.keyboard
    address = unique_email("clavier")
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
    type_date(page, "date_of_birth", ADULT)
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
    table = text_of(page.locator("#order-summary"))
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
    reach_payment_step(page, lang, live_app, "consent")
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
    assert "BIENVENUE" in text_of(page.locator("#order-summary"))
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
    expect(page.locator("#payment-refused")).to_be_focused()  # read first
    assert page.title().startswith({"fr": "Paiement refusé — ", "en": "Payment declined — "}[lang]), page.title()
    assert "Refused" not in text_of(page.locator("#payment-refused"))
    for consent in SOLO_CONSENTS:
        expect(page.locator(consent)).to_be_checked()  # what the learner ticked stays ticked
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
    summary_start = page.locator(f"#parcours-summary a[href='/parcours/{PARCOURS}/demarrer']")
    click_and_load(page, summary_start)  # "Démarrer", in the essentials at the top of the page
    fill_account(page, lang, unique_email("plus"), live_app, step=rf"/parcours/{PARCOURS}/demarrer$")
    fill_details(page, lang)
    fill_payment_step(page, lang, consents=PLUS_CONSENTS)  # the Student Rules box instead of immediate access

    arrive(page, lang, "review")
    assert text_of(page.locator("#amount-today")) == ZERO[lang]  # nothing charged today
    table = text_of(page.locator("#order-summary"))
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
