"""Mes paramètres > Premium in a real browser, in French and in English, by keyboard alone: a Premium Solo
subscriber whose stored card started declining is suspended, then pays the overdue month with "Régler" and a
new card on the provider's page; and a subscriber replaces the payment method on its own, nothing charged,
after a refused card left the old one in place. axe finds nothing on any page or state reached.

The subscriptions are bought with the Premium tab tests' helpers, the live server's clock frozen; the renewal
runs happen in this process, on the live server's own database, as the scheduled job would run them. Texts are
asserted as the live server's catalogue renders them (`Catalogue`), with ids, amounts and dates.
"""

import re
from datetime import timedelta

import pytest
from flask_babel import format_decimal
from playwright.sync_api import expect
from sqlalchemy import select, update

from app.extensions import db
from app.models import Order, SimulatedStoredMethod, Subscription
from app.models.commerce import SubscriptionStatus
from app.services.billing import late_payment, renewals
from app.services.common import clock
from app.services.common.periods import add_months
from tests.banners import CONTENT, PROBLEM, SUCCESS_MESSAGE
from tests.browser.catalogue import Catalogue
from tests.browser.checkout_steps import LANGUAGES, SOLO_PRICE, arrive, text_of
from tests.browser.keyboard import focused_matches, tab_to
from tests.browser.premium_tab import TAB, buy_solo, open_tab, status_of

OLD_CARD = "Visa •••• 1111"  # the card buy_solo pays with
MASTERCARD = "5555 5555 5555 4444"
NEW_CARD = "Mastercard •••• 4444"
REFUSED_CARD = "4000 0000 0000 0002"
SOLO_CENTS = 2000
PROVIDER_SUBMIT = "main form:not([action$='/annuler']) button[type=submit]"
REPLACE_SUBMIT = "#replace-payment-method button[type=submit]"
TRANSACTIONS = "section[aria-labelledby=transactions-title] table tbody tr"


class Figures(Catalogue):
    """The catalogue, and numbers written as the reader's locale writes them (6,65 in French)."""

    def number(self, value) -> str:
        return self._render(format_decimal, value)


def order_reference(page) -> str:
    """The order just paid, read from the URL of its confirmation page."""
    return re.search(r"/commande/(CMD-[0-9]+-[0-9]+)/confirmation$", page.url)[1]


def card_declines_until_suspended(live_app, reference: str):
    """The subscriber's stored cards start declining; the renewal run at the end of the period is refused, and
    the run 11 days later (its retry refused too) suspends the subscription. Returns the renewal's due date."""
    with live_app.app_context():
        subscription = db.session.scalar(select(Subscription).join(Order).where(Order.reference == reference))
        db.session.execute(update(SimulatedStoredMethod)
                           .where(SimulatedStoredMethod.shopper_reference == subscription.shopper_reference)
                           .values(refuses=True))
        db.session.commit()
        due = subscription.current_period_end
        policy = renewals.DunningPolicy.from_config(live_app.config)
        clock.freeze(due + timedelta(minutes=1))
        renewals.run(live_app.extensions["payment_gateway"], policy, db.session.commit)
        clock.advance(timedelta(days=11))
        renewals.run(live_app.extensions["payment_gateway"], policy, db.session.commit)
        db.session.refresh(subscription)
        assert subscription.status == SubscriptionStatus.SUSPENDED
        return due


def transaction_rows(page) -> list[list[str]]:
    return [[" ".join(cell.split()) for cell in row.locator("td").all_inner_texts()]
            for row in page.locator(TRANSACTIONS).all()]


def press_enter_and_load(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def enter_card_by_keyboard(page, number: str) -> None:
    """On the provider's page: Tab to each field, type it, Tab to the main button, Enter."""
    for selector, value in (("#card-number", number), ("#card-holder", "Ana Lopez"), ("#card-expiry", "03/30"),
                            ("#card-cvc", "737")):
        tab_to(page, selector)
        page.keyboard.type(value)
    tab_to(page, PROVIDER_SUBMIT)
    press_enter_and_load(page)


def replace_method_by_keyboard(page, lang: str, say) -> str:
    """On the Premium tab: the card in the radio group, then "Remplacer le moyen de paiement"; lands on the
    provider's page, which charges nothing. Returns the update's reference shown there."""
    form = page.locator("form#replace-payment-method")
    assert text_of(form.locator("fieldset legend")) == say("Nouveau moyen de paiement")
    assert [" ".join(label.split()) for label in form.locator("label").all_inner_texts()] == [
        say("Carte bancaire"), say("PayPal")]
    # The radio group is one tab stop, on its checked radio: the card, chosen by default.
    tab_to(page, "input[name=method]")
    assert focused_matches(page, "#method-0")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#method-1")).to_be_checked()  # PayPal
    page.keyboard.press("ArrowUp")
    expect(page.locator("#method-0")).to_be_checked()  # back to "Carte bancaire"
    expect(page.locator("#method-1")).not_to_be_checked()
    tab_to(page, REPLACE_SUBMIT)
    assert text_of(page.locator(REPLACE_SUBMIT)) == say("Remplacer le moyen de paiement")
    press_enter_and_load(page)

    arrive(page, lang, "provider")
    main = text_of(page.locator("main"))
    reference = re.search(r"PMU-[0-9]+", main)[0]
    assert say("Enregistrement d'un moyen de paiement (%(ref)s) : rien n'est prélevé.", ref=reference) in main
    assert text_of(page.locator(PROVIDER_SUBMIT)) == say("Enregistrer cette carte")
    assert "€" not in main  # no amount anywhere
    return reference


# --- 1. a refused renewal, the suspension, and "Régler" with a new card ------------------------------------

@pytest.mark.clause("CGS-3.2-01")
@LANGUAGES
def test_a_suspended_subscriber_pays_the_refused_renewal_with_a_new_card_by_keyboard(page, live_app, lang, say,
                                                                                    frozen_now):
    buy_solo(page, lang, live_app)
    due = card_declines_until_suspended(live_app, order_reference(page))
    due_on = due.astimezone(clock.PARIS).date()
    assert due_on == add_months(frozen_now, 1).astimezone(clock.PARIS).date()
    price = say.euros(SOLO_CENTS)
    assert price == SOLO_PRICE[lang]
    statement = late_payment.statement(SOLO_CENTS, due_on, clock.today_in_paris())
    assert statement.interest_cents > 0 and statement.recovery_fee_cents == 4000

    open_tab(page, lang)  # axe: the overdue state
    assert status_of(page) == say("Suspendu pour défaut de paiement")
    overdue = page.locator("#overdue")
    assert text_of(overdue.locator("h3")) == say("Paiement en retard")
    notice = text_of(overdue)
    assert say("Le renouvellement du %(date)s (%(amount)s TTC) n'a pas pu être prélevé. Nous réessayons "
               "automatiquement ; vérifiez votre moyen de paiement.", date=say.date(due_on), amount=price) in notice
    figures = Figures(say.app, lang)
    assert say("Comme le prévoient les conditions générales (article 3.2), une somme impayée porte intérêt au taux "
               "légal (%(rate)s %% par an) : %(interest)s à ce jour, et une indemnité forfaitaire de recouvrement "
               "de %(fee)s est due. Ces sommes ne sont jamais prélevées sans votre accord exprès.",
               rate=figures.number(statement.rate_percent), interest=say.euros(statement.interest_cents),
               fee=say.euros(statement.recovery_fee_cents)) in notice, notice
    settle = overdue.locator("form[action$='/regler'] button[type=submit]")
    assert text_of(settle) == say("Régler %(amount)s maintenant", amount=price)
    assert [row[:3] for row in transaction_rows(page)] == [
        [say.date(clock.now()), f"{say('Paiement refusé')} (Insufficient Funds)", price],  # the retry
        [say.date(due + timedelta(minutes=1)), f"{say('Paiement refusé')} (Insufficient Funds)", price],
        [say.date(frozen_now), say("Paiement"), price],  # the order
    ]

    tab_to(page, "#overdue form[action$='/regler'] button[type=submit]")
    press_enter_and_load(page)

    arrive(page, lang, "provider")  # axe: the provider's page
    main = text_of(page.locator("main"))
    reference = re.search(r"REG-[0-9]+-1", main)[0]
    assert say("Commande %(ref)s — montant : %(amount)s TTC", ref=reference, amount=price) in main
    assert text_of(page.locator(PROVIDER_SUBMIT)) == say("Payer %(amount)s", amount=price)
    enter_card_by_keyboard(page, MASTERCARD)

    arrive(page, lang, TAB)  # axe: the tab after paying
    assert text_of(page.locator(SUCCESS_MESSAGE)) == say("Merci, votre paiement est reçu : votre accès est rétabli.")
    assert status_of(page) == say("Actif")
    expect(page.locator("#overdue")).to_have_count(0)
    assert text_of(page.locator("#payment-method")) == NEW_CARD
    assert text_of(page.locator("#next-renewal")) == say("le %(date)s : %(amount)s TTC",
                                                         date=say.date(add_months(due, 1)), amount=price)
    rows = transaction_rows(page)
    assert len(rows) == 4, rows
    assert rows[0][:4] == [say.date(clock.now()), say("Paiement"), price, NEW_CARD]  # the overdue month, paid
    assert [row[1] for row in rows[1:3]] == [f"{say('Paiement refusé')} (Insufficient Funds)"] * 2
    assert [row[3] for row in rows[1:]] == [OLD_CARD] * 3
    assert rows[0][4] == rows[1][4] == rows[2][4]  # the same renewal: REN-<subscription>-<period start>
    assert len(page.locator("#invoices tbody tr").all()) == 2  # the order's invoice and the overdue month's


# --- 2. replacing the payment method on its own ------------------------------------------------------------

@pytest.mark.clause("CGS-2.1-D2")
@LANGUAGES
def test_a_subscriber_replaces_the_payment_method_by_keyboard_without_being_charged(page, live_app, lang, say,
                                                                                     frozen_now):
    buy_solo(page, lang, live_app)
    open_tab(page, lang)
    assert text_of(page.locator("#payment-method")) == OLD_CARD
    [order_payment] = transaction_rows(page)

    # A refused card: the old one stays.
    replace_method_by_keyboard(page, lang, say)
    enter_card_by_keyboard(page, REFUSED_CARD)
    arrive(page, lang, TAB)  # axe: the refusal
    refusal = page.locator(f"{PROBLEM}[role=alert] {CONTENT}")
    assert text_of(refusal) == say("Le nouveau moyen de paiement n'a pas été enregistré ; les renouvellements "
                                   "restent prélevés sur %(method)s.", method=OLD_CARD)
    assert text_of(page.locator("#payment-method")) == OLD_CARD
    assert status_of(page) == say("Actif")

    # The Mastercard: stored, nothing charged.
    replace_method_by_keyboard(page, lang, say)
    enter_card_by_keyboard(page, MASTERCARD)
    arrive(page, lang, TAB)  # axe: the confirmation
    assert text_of(page.locator(SUCCESS_MESSAGE)) == say(
        "Votre nouveau moyen de paiement est enregistré : les prochains renouvellements seront prélevés sur "
        "%(method)s.", method=NEW_CARD)
    assert text_of(page.locator("#payment-method")) == NEW_CARD
    assert status_of(page) == say("Actif")
    assert transaction_rows(page) == [order_payment]  # no new transaction
    assert text_of(page.locator("#next-renewal")) == say("le %(date)s : %(amount)s TTC",
                                                         date=say.date(add_months(frozen_now, 1)),
                                                         amount=SOLO_PRICE[lang])
