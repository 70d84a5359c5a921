"""The Premium tab as a browser reaches it: a subscription bought through the checkout steps, then the tab."""

from datetime import timedelta

from playwright.sync_api import expect

from app.services.common import clock
from tests.banners import CONTENT, FOCUSED_SUCCESS
from tests.browser.checkout_steps import (
    PARCOURS,
    PLUS_CONSENTS,
    PLUS_PRICE,
    SOLO_PRICE,
    SOLO_VAT,
    arrive,
    check_confirmation,
    check_review,
    click_and_load,
    fill_account,
    fill_details,
    fill_payment_step,
    pay_on_provider_page,
    submit,
    text_of,
    unique_email,
)

TAB = r"/compte/parametres/premium$"
CANCELLED = "Votre abonnement est résilié. Il prendra fin le %(date)s ; aucun autre prélèvement ne sera fait."


def buy_solo(page, lang: str, live_app, open_page=None) -> None:
    """A new account buys Premium Solo by card and stays signed in; `open_page` for a page without JavaScript."""
    page.goto("/commande/solo")
    fill_account(page, lang, unique_email("onglet"), live_app, open_page=open_page)
    fill_details(page, lang, open_page)
    fill_payment_step(page, lang, open_page=open_page)
    check_review(page, lang, SOLO_PRICE[lang], SOLO_VAT[lang], open_page)
    pay_on_provider_page(page, lang, SOLO_PRICE[lang], open_page=open_page)
    check_confirmation(page, lang, SOLO_PRICE[lang], open_page)


def buy_plus(page, lang: str, live_app, ordered_at) -> None:
    """Premium Plus ordered now, signed and paid once the clock is 8 days on (after the reflection period)."""
    page.goto(f"/parcours/{PARCOURS}/demarrer")
    fill_account(page, lang, unique_email("anticipee"), live_app, step=rf"/parcours/{PARCOURS}/demarrer$")
    fill_details(page, lang)
    fill_payment_step(page, lang, consents=PLUS_CONSENTS)
    arrive(page, lang, "review")
    submit(page)  # Valider: nothing charged before the signature
    arrive(page, lang, "confirmation")
    clock.freeze(ordered_at + timedelta(days=8))
    click_and_load(page, page.locator("#order-outcome a[href*='/contrat']"))  # "Voir mon contrat"
    arrive(page, lang, r"/abonnements/[0-9]+/contrat$")
    click_and_load(page, page.locator("form[action$='/signer'] button[type=submit]"))
    pay_on_provider_page(page, lang, PLUS_PRICE[lang])
    check_confirmation(page, lang, PLUS_PRICE[lang])


def open_tab(page, lang: str, open_page=None) -> None:
    page.goto("/compte/parametres/premium")
    arrive(page, lang, TAB, open_page)
    expect(page.locator(".tabs-nav a[aria-current=page]")).to_have_attribute("href", "/compte/parametres/premium")


def status_of(page) -> str:
    return text_of(page.locator("#subscription-status"))


def invoice_numbers(page) -> list[str]:
    return [" ".join(text.split()) for text in page.locator("#invoices tbody th[scope=row]").all_inner_texts()]


def check_outcome_announced(page, message: str) -> None:
    """An outcome told after a redirect, as a screen reader meets it: its first sentence begins the page's title,
    it is a success banner, and focus is on the banner (or inside it), so that it is read first."""
    first_sentence = message.split(". ")[0].rstrip(".")
    assert page.title().startswith(f"{first_sentence} — "), page.title()
    banner = page.locator(FOCUSED_SUCCESS)
    expect(banner.locator(CONTENT)).to_have_text(message)
    expect(banner).to_have_attribute("role", "alert")
    assert page.evaluate(
        "() => document.activeElement.closest('.govuk-notification-banner') === "
        "document.querySelector('.govuk-notification-banner--success[data-focus-on-load]')"), page.evaluate(
        "() => document.activeElement.outerHTML.slice(0, 200)")
