"""Mes paramètres > Premium in a real browser, in French and in English: a new Premium Solo subscriber's tab,
invoice and PDF; cancelling in the HTMX dialog by keyboard alone, then undoing it; cancelling without
JavaScript (either way the outcome begins the page's title, is a success banner and has focus); the Solo
withdrawal and its credit note; the Premium Plus early termination (L444-8). axe finds nothing on any page or
state reached, the open dialog included.

The subscriptions are bought in the browser with the checkout tests' helpers, the live server's clock frozen.
Texts are asserted as the live server's own catalogue renders them (`Catalogue`): the French msgid, and in
English its msgstr, which may still be the French text while the newest strings are being translated; ids,
dates and amounts carry the rest.
"""

import re

from playwright.sync_api import expect

from app.services.common.periods import add_months
from tests.banners import SUCCESS_MESSAGE
from tests.browser.checkout_steps import (
    LANGUAGES,
    PLUS_PRICE,
    SOLO_PRICE,
    arrive,
    click_and_load,
    text_of,
)
from tests.browser.conftest import axe_check
from tests.browser.keyboard import focused_matches, tab_to
from tests.browser.premium_tab import (
    CANCELLED,
    TAB,
    buy_plus,
    buy_solo,
    check_outcome_announced,
    invoice_numbers,
    open_tab,
    status_of,
)

CANCEL_PAGE = r"/compte/parametres/premium/resilier$"
WITHDRAW_PAGE = r"/compte/parametres/premium/retractation$"
EARLY_TERMINATION_PAGE = r"/compte/parametres/premium/resiliation-anticipee$"
INVOICE_PAGE = r"/compte/factures/FA-[0-9]{4}-[0-9]{6}$"
INVOICE_NUMBER = re.compile(r"^FA-[0-9]{4}-[0-9]{6}$")
CREDIT_NOTE_NUMBER = re.compile(r"^AV-[0-9]{4}-[0-9]{6}$")
PLUS_REMAINING_DUE = 78000  # 30 % of 300,00 € × 12 months, less the first month already paid


# --- 1. the tab of a new Premium Solo subscriber -----------------------------------------------------------

@LANGUAGES
def test_a_new_solo_subscriber_sees_the_tab_the_invoice_and_its_pdf(page, live_app, lang, say, frozen_now):
    buy_solo(page, lang, live_app)
    open_tab(page, lang)
    renewal = say.date(add_months(frozen_now, 1))
    assert status_of(page) == say("Actif")
    assert text_of(page.locator("#next-renewal")) == say("le %(date)s : %(amount)s TTC", date=renewal,
                                                         amount=SOLO_PRICE[lang])
    assert text_of(page.locator("#locked-price")) == say(
        "%(price)s TTC, garanti tant que vous restez abonné (prix public actuel : %(public)s TTC)",
        price=SOLO_PRICE[lang], public=SOLO_PRICE[lang])

    invoices = page.locator("table#invoices")
    expect(invoices.locator("caption")).to_have_count(1)
    assert text_of(invoices.locator("caption")) == say(
        "Une facture pour chaque paiement, un avoir pour chaque remboursement, de la plus récente à la plus "
        "ancienne")
    expect(invoices.locator("thead th[scope=col]")).to_have_count(5)
    [number] = invoice_numbers(page)
    assert INVOICE_NUMBER.match(number), number
    row = invoices.locator("tbody tr")
    assert SOLO_PRICE[lang] in text_of(row)
    pdf = row.locator("a[type='application/pdf']")
    expect(pdf).to_have_accessible_name(re.compile(re.escape(number)))
    expect(pdf).to_have_accessible_name(f"{say('PDF')} {say('de la facture %(number)s', number=number)}")

    transactions = page.locator("section[aria-labelledby=transactions-title] table")
    expect(transactions.locator("caption")).to_have_count(1)
    expect(transactions.locator("thead th[scope=col]")).to_have_count(5)
    [payment] = transactions.locator("tbody tr").all()
    cells = [" ".join(text.split()) for text in payment.locator("td").all_inner_texts()]
    assert cells[:3] == [say.date(frozen_now), say("Paiement"), SOLO_PRICE[lang]], cells
    assert SOLO_PRICE[lang] in text_of(page.locator("#paid-12-months"))

    # The invoice's accessible HTML page, then its PDF.
    click_and_load(page, invoices.locator(f"tbody th a:text-is('{number}')"))
    arrive(page, lang, INVOICE_PAGE)
    assert page.url.endswith(f"/compte/factures/{number}")
    assert text_of(page.locator("h1")) == say("Facture %(number)s", number=number)
    download_link = page.locator(f"main a[download][href$='/{number}.pdf']")
    expect(download_link).to_have_accessible_name(say("Télécharger la facture %(number)s (PDF)", number=number))
    with page.expect_download() as downloading:
        download_link.click()
    download = downloading.value
    assert download.suggested_filename == f"{number}.pdf"
    with open(download.path(), "rb") as pdf_file:
        assert pdf_file.read(5) == b"%PDF-"
    response = page.context.request.get(download_link.get_attribute("href"))  # the context's cookies
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


# --- 2. cancelling in the dialog, by keyboard alone --------------------------------------------------------

@LANGUAGES
def test_cancelling_in_the_dialog_by_keyboard_then_undoing_it(page, live_app, lang, say, frozen_now):
    keyboard = page.keyboard
    buy_solo(page, lang, live_app)
    open_tab(page, lang)
    end = say.date(add_months(frozen_now, 1))
    trigger = page.locator("a#cancel-trigger")
    assert text_of(trigger) == say("Résilier mon abonnement")
    dialog = page.locator("dialog#cancel-dialog")

    tab_to(page, "#cancel-trigger")
    keyboard.press("Enter")
    expect(dialog).to_be_visible()
    assert page.evaluate("document.getElementById('cancel-dialog').matches(':modal')")
    expect(page.locator("#cancel-dialog-title")).to_be_focused()
    expect(dialog).to_have_accessible_name(say("Résilier mon abonnement ?"))
    assert end in text_of(dialog)
    axe_check(page)  # with the dialog open, the rest of the page inert
    keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(trigger).to_be_focused()
    assert status_of(page) == say("Actif")

    keyboard.press("Enter")  # again, from the link that has focus
    expect(page.locator("#cancel-dialog-title")).to_be_focused()
    keyboard.press("Tab")  # the first Tab: "Garder mon abonnement", never the button that ends the subscription
    assert focused_matches(page, "#cancel-dialog button[data-close-dialog]")
    assert text_of(page.locator("#cancel-dialog button[data-close-dialog]")) == say("Garder mon abonnement")
    keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(trigger).to_be_focused()

    keyboard.press("Enter")
    expect(page.locator("#cancel-dialog-title")).to_be_focused()
    tab_to(page, "#cancel-dialog form button[type=submit]", max_presses=5)
    assert text_of(page.locator("#cancel-dialog form button[type=submit]")) == say("Confirmer la résiliation")
    with page.expect_navigation():
        keyboard.press("Enter")

    arrive(page, lang, TAB)
    check_outcome_announced(page, say(CANCELLED, date=end))  # in the title, a banner, focused
    axe_check(page)
    assert status_of(page) == say("Résilié, fin le %(date)s", date=end)
    expect(page.locator("#next-renewal")).to_have_count(0)
    expect(trigger).to_have_count(0)
    undo = page.locator("form[action$='/annuler-resiliation'] button[type=submit]")
    assert text_of(undo) == say("Annuler la résiliation")
    tab_to(page, "form[action$='/annuler-resiliation'] button[type=submit]")
    with page.expect_navigation():
        keyboard.press("Enter")

    arrive(page, lang, TAB)
    assert status_of(page) == say("Actif")
    assert text_of(page.locator(SUCCESS_MESSAGE)) == say("La résiliation est annulée : votre abonnement continue.")
    expect(trigger).to_be_visible()


# --- 3. cancelling without JavaScript ----------------------------------------------------------------------

@LANGUAGES
def test_cancelling_without_javascript_goes_through_a_confirmation_page(page_nojs, open_page, live_app, lang, say,
                                                                       frozen_now):
    page = page_nojs
    end = say.date(add_months(frozen_now, 1))
    buy_solo(page, lang, live_app, open_page)
    open_tab(page, lang, open_page)
    click_and_load(page, page.locator("a#cancel-trigger"))

    arrive(page, lang, CANCEL_PAGE, open_page)
    assert text_of(page.locator("h1")) == say("Résilier mon abonnement ?")
    assert end in text_of(page.locator("main"))
    expect(page.locator("main a[href='/compte/parametres/premium']")).to_have_count(1)  # "Garder mon abonnement"
    click_and_load(page, page.locator("main form[action$='/resilier'] button[type=submit]"))

    arrive(page, lang, TAB, open_page)
    check_outcome_announced(page, say(CANCELLED, date=end))  # focused without JavaScript too
    axe_check(page)
    assert status_of(page) == say("Résilié, fin le %(date)s", date=end)
    expect(page.locator("a#cancel-trigger")).to_have_count(0)
    expect(page.locator("form[action$='/annuler-resiliation'] button[type=submit]")).to_be_visible()


# --- 4. the Premium Solo withdrawal ------------------------------------------------------------------------

@LANGUAGES
def test_a_solo_withdrawal_ends_the_subscription_and_adds_a_credit_note(page, live_app, lang, say, frozen_now):
    buy_solo(page, lang, live_app)
    open_tab(page, lang)
    [invoice] = invoice_numbers(page)
    # "Ce que coûte un départ aujourd'hui" refunds what the withdrawal refunds, and names it the cheapest.
    panel_row = page.locator("#departures-table tbody tr").filter(has=page.locator("a[href$='/retractation']"))
    assert SOLO_PRICE[lang] in text_of(panel_row.locator("td").nth(1))
    assert say("Le moins coûteux aujourd'hui :") in text_of(page.locator("#cheapest-departure"))
    # Each exit is offered once, from the panel (no second button repeating it below).
    expect(page.locator("main a[href='/compte/parametres/premium/retractation']")).to_have_count(1)
    click_and_load(page, panel_row.locator("a[href$='/retractation']"))

    arrive(page, lang, WITHDRAW_PAGE)
    assert text_of(page.locator("h1")) == say("Exercer mon droit de rétractation")
    click_and_load(page, page.locator("main form[action$='/retractation'] button[type=submit]"))

    arrive(page, lang, TAB)
    assert status_of(page) == say("Rétractation exercée")
    expect(page.locator("main a[href='/compte/parametres/premium/retractation']")).to_have_count(0)
    expect(page.locator("a#cancel-trigger")).to_have_count(0)
    numbers = invoice_numbers(page)
    assert len(numbers) == 2 and invoice in numbers, numbers
    [credit_note] = [number for number in numbers if CREDIT_NOTE_NUMBER.match(number)]
    row = page.locator("#invoices tbody tr").filter(has=page.locator(f"th a:text-is('{credit_note}')"))
    assert text_of(row.locator("td").nth(1)).startswith(f"{say('Avoir')} — ")
    assert SOLO_PRICE[lang] in text_of(row)
    expect(row.locator("a[type='application/pdf']")).to_have_accessible_name(re.compile(re.escape(credit_note)))


# --- 5. the Premium Plus early termination (L444-8) --------------------------------------------------------

@LANGUAGES
def test_a_plus_subscriber_terminates_early_after_seeing_the_indemnity(page, live_app, lang, say, frozen_now):
    buy_plus(page, lang, live_app, frozen_now)
    open_tab(page, lang)
    assert status_of(page) == say("Actif")
    # The panel's amount to pay is the one the confirmation charges.
    panel_row = page.locator("#departures-table tbody tr").filter(
        has=page.locator("a[href$='/resiliation-anticipee']"))
    assert text_of(panel_row.locator("td").nth(0)) == say.euros(PLUS_REMAINING_DUE)
    expect(page.locator("main a[href='/compte/parametres/premium/resiliation-anticipee']")).to_have_count(1)
    expect(page.locator("main a[href='/compte/parametres/premium/force-majeure']")).to_have_count(1)
    click_and_load(page, panel_row.locator("a[href$='/resiliation-anticipee']"))

    arrive(page, lang, EARLY_TERMINATION_PAGE)
    indemnity = page.locator("table#indemnity")
    assert text_of(indemnity.locator("caption")) == say("Le calcul de l'indemnité, ligne par ligne")
    expect(indemnity.locator("tbody th[scope=row]")).to_have_count(7)
    assert PLUS_PRICE[lang] in text_of(indemnity)  # the monthly price, and the sums already paid
    remaining = say.euros(PLUS_REMAINING_DUE)
    assert text_of(page.locator("#remaining-due")) == remaining
    confirm = page.locator("main form[action$='/resiliation-anticipee'] button[type=submit]")
    assert remaining in text_of(confirm)
    click_and_load(page, confirm)

    arrive(page, lang, TAB)
    assert status_of(page) == say("Terminé")
    expect(page.locator("main a[href$='/resiliation-anticipee']")).to_have_count(0)
    expect(page.locator("a#cancel-trigger")).to_have_count(0)
    expect(page.locator("#next-renewal")).to_have_count(0)
    assert text_of(page.locator(SUCCESS_MESSAGE)) == say(
        "Votre contrat Premium Plus est résilié. Montant débité : %(amount)s.", amount=remaining)
    amounts = [" ".join(text.split()) for text in
               page.locator("section[aria-labelledby=transactions-title] tbody tr td:nth-child(3)").all_inner_texts()]
    assert amounts == [remaining, PLUS_PRICE[lang]], amounts
