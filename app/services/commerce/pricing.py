"""Prices, VAT, promo codes and the advance-payment cap. Money is integer cents, VAT included (TTC)."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from app.extensions import db
from app.models import Order, Parcours, PriceSetting, PromoCode
from app.models.commerce import DiscountKind, OfferKind, OrderStatus
from app.services import DomainError
from app.services.common import clock, rows

VAT_RATE_PERCENT = 20
SOLO_PRICE_KEY = "premium_solo_monthly"
ADVANCE_CAP_PERCENT = 30  # Code de l'éducation L444-8


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def vat_included(amount_ttc_cents: int, rate_percent: int = VAT_RATE_PERCENT) -> int:
    """The VAT inside a VAT-inclusive amount: TTC × rate / (100 + rate), rounded half up."""
    return round_half_up(amount_ttc_cents * rate_percent, 100 + rate_percent)


def solo_monthly_price() -> int:
    setting = db.session.scalar(select(PriceSetting).where(PriceSetting.key == SOLO_PRICE_KEY))
    if setting is None:
        raise LookupError("the Premium Solo price is not set (flask demo load sets it)")
    return setting.amount_cents


def set_solo_monthly_price(amount_cents: int) -> None:
    setting = db.session.scalar(select(PriceSetting).where(PriceSetting.key == SOLO_PRICE_KEY))
    if setting is None:
        setting = PriceSetting(key=SOLO_PRICE_KEY)
        db.session.add(setting)
    if setting.amount_cents != amount_cents:
        setting.amount_cents = amount_cents
        setting.updated_at = clock.now()
    db.session.flush()


def current_monthly_price(offer: OfferKind, parcours: Parcours | None) -> int:
    """Today's public price: what a new subscriber (or one coming back) pays (art. 2.2 f)."""
    if offer == OfferKind.PLUS:
        assert parcours is not None  # a Premium Plus offer is always for a Parcours
        return parcours.monthly_price_cents
    return solo_monthly_price()


@dataclass(frozen=True)
class Quote:
    """What the review step shows and what is then charged."""

    monthly_price_cents: int
    discount_cents: int  # off each of the first `discounted_months`
    discounted_months: int

    @property
    def first_charge_cents(self) -> int:
        return self.monthly_price_cents - (self.discount_cents if self.discounted_months else 0)

    @property
    def renewal_cents(self) -> int:
        """The amount of renewals once the discounted months are over."""
        return self.monthly_price_cents

    @property
    def first_charge_vat_cents(self) -> int:
        return vat_included(self.first_charge_cents)


def discount_for(promo: PromoCode, monthly_price_cents: int) -> int:
    if promo.kind == DiscountKind.PERCENT:
        return round_half_up(monthly_price_cents * promo.value, 100)
    return min(promo.value, monthly_price_cents)


def quote(monthly_price_cents: int, promo: PromoCode | None) -> Quote:
    if promo is None:
        return Quote(monthly_price_cents, 0, 0)
    return Quote(monthly_price_cents, discount_for(promo, monthly_price_cents), promo.months)


def find_promo_code(code: str, offer: OfferKind, on: date) -> PromoCode:
    """The promo code, or a DomainError on the `promo_code` field saying why it cannot be used."""
    promo = db.session.scalar(select(PromoCode).where(PromoCode.code == code.strip().upper()))
    if promo is None or not promo.active:
        raise DomainError([("promo_code", str(_l("Ce code promo n'existe pas. Vérifiez son orthographe.")))])
    if on < promo.valid_from:
        raise DomainError([("promo_code", str(_l("Ce code promo ne sera valable qu'à partir du %(date)s.",
                                                  date=promo.valid_from.strftime("%d/%m/%Y"))))])
    if on > promo.valid_until:
        raise DomainError([("promo_code", str(_l("Ce code promo a expiré le %(date)s.",
                                                  date=promo.valid_until.strftime("%d/%m/%Y"))))])
    if promo.offer is not None and promo.offer != offer:
        raise DomainError([("promo_code", str(_l("Ce code promo n'est pas valable pour cette offre.")))])
    if promo.max_uses is not None and promo_uses(promo) >= promo.max_uses:
        raise DomainError([("promo_code", str(_l("Ce code promo a déjà été utilisé autant de fois que prévu.")))])
    return promo


# Between "Valider" and the payment, an order holds its use of a limited code for as long as the provider's
# payment page stays open (Adyen's sessions expire after one hour by default).
PROMO_HOLD = timedelta(hours=1)


def promo_uses(promo: PromoCode, besides: Order | None = None) -> int:
    """Orders that went through (paid or accepted) with this code, or are being paid (validated within the
    hold), other than `besides`."""
    held = and_(Order.status == OrderStatus.PAYING, Order.validated_at >= clock.now() - PROMO_HOLD)
    statement = select(func.count()).select_from(Order).where(
        Order.promo_code_id == promo.id, or_(Order.status.in_([OrderStatus.PAID, OrderStatus.ACCEPTED]), held))
    if besides is not None:
        statement = statement.where(Order.id != besides.id)
    return db.session.execute(statement).scalar_one()


def promo_available(promo: PromoCode, order: Order) -> bool:
    """The code still has a use for this order ("Valider", then the payment). Decided under a lock on the code,
    so that two learners validating at the same moment cannot both take its last use."""
    if promo.max_uses is None:
        return True
    rows.locked(PromoCode, promo.id)
    return promo_uses(promo, besides=order) < promo.max_uses


def contract_price_cents(monthly_price_cents: int, duration_months: int) -> int:
    return monthly_price_cents * duration_months


def advance_payment_cap_cents(monthly_price_cents: int, duration_months: int) -> int:
    """30 % of the contract price; of the first year's price when the Parcours lasts more than 12 months."""
    months = min(duration_months, 12)
    return monthly_price_cents * months * ADVANCE_CAP_PERCENT // 100


def check_advance_payment(amount_in_advance_cents: int, monthly_price_cents: int, duration_months: int) -> None:
    """Refuse any schedule that would take more in advance than L444-8 allows (CGS-6.2-04)."""
    cap = advance_payment_cap_cents(monthly_price_cents, duration_months)
    if amount_in_advance_cents > cap:
        raise DomainError([(None, str(_l(
            "Ce paiement dépasserait le plafond légal : pas plus de 30 pour cent du prix ne peut être payé "
            "d'avance (article L444-8 du Code de l'éducation).")))])
