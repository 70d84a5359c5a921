""""Mes paramètres > Parrainage": the learner's referral link, ready to copy, and what it earned, spent, and will
earn once the referred subscriptions are past their withdrawal period."""

from datetime import timedelta

from app.extensions import db
from app.models import ReferralReward
from app.services.common import clock
from tests.billing_runs import run, subscribe
from tests.conftest import signed_in_client, soup_of, text_of
from tests.factories import OrderFactory, make_user

PAGE = "/compte/parametres/parrainage"


def reward(referrer_id: int, earned_in: timedelta = timedelta(0)) -> None:
    referred = make_user(f"ami{db.session.query(ReferralReward).count()}@example.org")
    order = OrderFactory(user=referred, reference=f"CMD-R-{referred.id}", idempotency_key=f"r-{referred.id}",
                         referrer_id=referrer_id)
    db.session.add(ReferralReward(referrer_id=referrer_id, order_id=order.id, amount_cents=1000,
                                  created_at=clock.now(), earned_at=clock.now() + earned_in))
    db.session.commit()


def figures(page) -> dict[str, str]:
    return {text_of(row.dt): text_of(row.dd).replace("\u202f", " ").replace("\xa0", " ")
            for row in page.select("#referral-figures > div")}


def test_the_referral_tab_gives_the_link_and_what_it_earned_spent_and_will_earn(app):
    subscription = subscribe()
    user = subscription.user
    reward(user.id)
    clock.freeze(subscription.current_period_end + timedelta(minutes=1))
    run(app.extensions["payment_gateway"])  # the renewal spends the reward that counts
    reward(user.id, earned_in=timedelta(days=10))  # a new referred learner, who may still withdraw
    page = soup_of(signed_in_client(app, user).get(PAGE))
    assert text_of(page.select_one(".tabs-nav a[aria-current=page]")) == "Parrainage"
    field = page.select_one("input#referral-link[readonly]")
    assert field["value"] == f"http://127.0.0.1:5000/parrainage/{user.referral_code}"
    assert text_of(page.select_one("label[for=referral-link]")) == "Votre lien de parrainage"
    assert figures(page) == {
        "Réductions gagnées": "10,00 €",
        "Déjà utilisées sur vos renouvellements": "10,00 €",
        "Restant pour vos prochains renouvellements": "0,00 €",
        "En attente (délai de rétractation de la personne parrainée)": "10,00 €",
    }
    clock.freeze(clock.now() + timedelta(days=11))  # now past the second referred learner's withdrawal period
    later = figures(soup_of(signed_in_client(app, user).get(PAGE)))
    assert later["Restant pour vos prochains renouvellements"] == "10,00 €"
    assert later["En attente (délai de rétractation de la personne parrainée)"] == "0,00 €"
