"""The benchmark's own learners, made the way the portal makes them, in the throwaway instance `make bench` prepares.

Run in the instance's environment, after `flask db upgrade` and `flask demo load`, as
`python -m bench.learner <folder>`: it prints, as JSON, what the benchmark needs to sign in and which pages to load.

Léa goes through the services a real learner's requests go through: she signs up, orders Premium Plus on the Python
Parcours (details, consents, "Valider"), signs after the seven-day reflection period, pays on the simulated
provider's page (its notification fulfils the order and issues the first invoice), then two monthly billing runs
renew her subscription (two more invoices). She reads the first chapters of a course and opens a forum thread that
another subscriber answers. The clock is set back for her history, so that "now" finds her mid-way through her third
month, as a learner who has been around a while.

The anonymous search pages need queries the page cache has never seen: the queries file holds substrings of the
courses' own searchable text (and then pairs of them from one course), so every query finds at least one course.
"""

import json
import sys
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path
from urllib.parse import quote_plus

from flask import url_for
from sqlalchemy import select

from app import create_app, jobs
from app.extensions import db
from app.models import Chapter, Course, ForumThread, Invoice, Order, Parcours, Subscription, User
from app.models.commerce import OfferKind, SubscriptionStatus
from app.services.accounts import users
from app.services.commerce import checkout, contracts, subscriptions
from app.services.common import clock
from app.services.community import discussions
from app.services.learning import reader
from app.services.legal import documents
from app.services.payments import gateway
from app.services.payments.simulated import CardEntry, SimulatedGateway

PASSWORD = "une phrase de passe pour le banc d'essai"
LEARNER_EMAIL = "lea.banc@example.org"
OTHER_EMAIL = "hugo.banc@example.org"
PARCOURS = "developpeur-application-python"
COURSE = "developpement-web-flask"  # a course of that Parcours, with chapters written out in the demo content
CHAPTERS_DONE = 2  # chapters read and marked done; the next one is opened but not finished
RENEWALS = 2
FORUM_REPLIES = 9
CARD = CardEntry(number="4111 1111 1111 1111", holder="Léa Banc", expiry="12/30", cvc="737")
REQUESTER = checkout.Requester(ip_address="127.0.0.1", language="fr")
# Enough distinct queries for several minutes of uncached searches at a few hundred requests a second.
QUERY_POOL_SIZE = 100_000
MIN_SUBSTRING = 3


@dataclass(frozen=True)
class Scenario:
    """What the benchmark reads from this set-up (printed as JSON)."""

    email: str
    password: str
    premium_path: str
    chapter_path: str
    chapter_title: str
    thread_path: str
    thread_title: str
    course_path: str
    course_title: str
    invoice_numbers: list[str]
    queries_file: str
    query_count: int


def _consents(offer: OfferKind) -> tuple[checkout.ConsentAnswer, ...]:
    return tuple(checkout.ConsentAnswer(kind, True, f"Case « {kind.value} » cochée")
                 for kind in checkout.required_consents(offer))


def _ordered(user: User, offer: OfferKind, parcours: Parcours | None) -> Order:
    """The checkout's steps up to the review: billing details, then payment method and consents."""
    order = checkout.open_order(user, offer, parcours)
    checkout.save_details(order, checkout.BillingDetails(
        name=user.full_name, address="12 rue des Écoles", postal_code="75005", city="Paris", country="FR"))
    checkout.save_payment_step(order, checkout.PaymentStep("card", "", _consents(offer)), REQUESTER)
    return order


def _return_url(order: Order) -> str:
    """Where the provider's page sends the learner back, as the checkout's views give it."""
    return url_for("checkout.payment_return", reference=order.reference)


def _pay_on_provider_page(provider: SimulatedGateway, session_id: str) -> None:
    """The learner pays on the simulated hosted page; its signed notification fulfils the order."""
    session = provider.session(session_id)
    assert session is not None, session_id
    provider.pay_by_card(session, CARD)


def _commit() -> None:
    """As a request does: commit, then hand the committed work (mail, invoice PDFs) to the job queue."""
    db.session.commit()
    jobs.enqueue_committed_jobs()


def _signed_up(email: str, first_name: str, last_name: str) -> User:
    user = users.register(users.SignupData(
        first_name=first_name, last_name=last_name, email=email, password=PASSWORD,
        date_of_birth=date(1994, 5, 17), country="FR", under_legal_protection=False, locale="fr"))
    _commit()
    return user


def premium_plus_learner(provider: SimulatedGateway) -> tuple[User, Subscription]:
    """Léa: Premium Plus on the Python Parcours, accepted, signed after seven days, paid, renewed RENEWALS times."""
    parcours = db.session.scalar(select(Parcours).where(Parcours.slug == PARCOURS))
    assert parcours is not None, PARCOURS
    user = _signed_up(LEARNER_EMAIL, "Léa", "Banc")
    order = _ordered(user, OfferKind.PLUS, parcours)
    checkout.validate(order, order.first_charge_cents, provider, REQUESTER, _return_url(order))
    _commit()
    subscription = subscriptions.for_order(order)
    assert subscription is not None and subscription.reflection_ends_at is not None
    clock.advance(subscription.reflection_ends_at - clock.now() + timedelta(hours=1))
    hosted = contracts.sign(subscription, provider, _return_url(order), "fr")
    _commit()
    _pay_on_provider_page(provider, hosted.session_id)
    _commit()
    for _ in range(RENEWALS):
        assert subscription.current_period_end is not None
        clock.advance(subscription.current_period_end - clock.now() + timedelta(hours=1))
        jobs.run_billing()
        db.session.refresh(subscription)
    assert subscription.status == SubscriptionStatus.ACTIVE, subscription.status
    return user, subscription


def solo_subscriber(provider: SimulatedGateway) -> User:
    """Hugo, a Premium Solo subscriber, who answers in the forum."""
    user = _signed_up(OTHER_EMAIL, "Hugo", "Banc")
    order = _ordered(user, OfferKind.SOLO, None)
    hosted = checkout.validate(order, order.first_charge_cents, provider, REQUESTER, _return_url(order))
    assert hosted is not None
    _commit()
    _pay_on_provider_page(provider, hosted.session_id)
    _commit()
    return user


def reading_progress(user: User, course: Course) -> Chapter:
    """Léa opens and finishes the first readable chapters, then opens the next one: the chapter she reads now."""
    readable = [chapter for chapter in course.chapters if chapter.has_content]
    for chapter in readable[:CHAPTERS_DONE]:
        assert reader.open_chapter(user, chapter).allowed
        reader.complete_chapter(user, chapter)
        _commit()
        clock.advance(timedelta(hours=2))
    current = readable[CHAPTERS_DONE]
    assert reader.open_chapter(user, current).allowed
    _commit()
    return current


def forum_thread(author: User, other: User, course: Course) -> ForumThread:
    """A thread in the course's forum: Léa asks, Hugo and she answer in turn."""
    category = discussions.category_by_slug(course.slug)
    assert category is not None, course.slug
    thread = discussions.start_thread(
        author, category, "Où placer les gabarits Jinja dans un projet Flask ?",
        "Bonjour, je suis au chapitre sur Jinja et je me demande comment organiser les gabarits quand "
        "l'application grandit : un dossier par blueprint, ou tout dans templates/ ?")
    _commit()
    for number in range(1, FORUM_REPLIES + 1):
        clock.advance(timedelta(minutes=37))
        writer = other if number % 2 else author
        discussions.reply(writer, thread, f"Réponse {number} : un dossier par blueprint sous templates/ garde les "
                                          "noms uniques, et les macros communes vont dans components/.\n\n"
                                          "C'est ce que fait le cours au chapitre suivant.")
        _commit()
    return thread


def query_pool(texts: list[str], size: int = QUERY_POOL_SIZE) -> list[str]:
    """`size` distinct search queries (fewer if the texts do not have that many), each found in at least one of
    `texts` (searchable text, already folded): every substring of at least MIN_SUBSTRING letters of their words,
    shuffled, then pairs of substrings of one text, taken from each text in turn. The same input always gives the
    same list."""
    per_text: list[list[str]] = []
    for text in texts:
        found: set[str] = set()
        for word in text.split():
            word = "".join(ch for ch in word if ch.isalnum())
            found.update(word[start:end] for start in range(len(word))
                         for end in range(start + MIN_SUBSTRING, len(word) + 1))
        per_text.append(sorted(found, key=lambda query: (hash_of(query), query)))
    pool = sorted({query for found in per_text for query in found}, key=lambda query: (hash_of(query), query))[:size]
    seen = set(pool)
    pairs = [combinations(found, 2) for found in per_text]
    while len(pool) < size and pairs:
        for source in list(pairs):
            pair = next(source, None)
            if pair is None:
                pairs.remove(source)
            elif (query := " ".join(pair)) not in seen and len(pool) < size:
                seen.add(query)
                pool.append(query)
    return pool


def hash_of(text: str) -> int:
    """A stable shuffle key (Python's own hash() changes from one process to the next)."""
    return zlib.crc32(text.encode())


def prepare(folder: Path) -> Scenario:
    provider = gateway()
    assert isinstance(provider, SimulatedGateway), "the benchmark pays with the simulated provider"
    real_now = clock.now()
    # Léa's history, about 80 days long, ends a couple of days before the real "now".
    clock.advance(-timedelta(days=80))
    # The demo's terms and Student Rules came into force after the day her history starts: she accepted the
    # versions in force then, published here with the same text (a consent always names its version).
    documents.publish_terms_from_files("banc-d-essai", clock.today_in_paris())
    documents.publish_rules_from_files("banc-d-essai", clock.today_in_paris())
    try:
        user, subscription = premium_plus_learner(provider)
        course = db.session.scalar(select(Course).where(Course.slug == COURSE))
        assert course is not None, COURSE
        chapter = reading_progress(user, course)
        other = solo_subscriber(provider)
        thread = forum_thread(user, other, course)
        assert clock.now() < real_now, "the set-up's history must end before the real now"
    finally:
        clock.reset()
    numbers = list(db.session.scalars(select(Invoice.number).where(Invoice.user_id == user.id)
                                      .order_by(Invoice.id)))
    assert len(numbers) == RENEWALS + 1, numbers
    texts = list(db.session.scalars(select(Course.search_fr).order_by(Course.id)))
    queries = query_pool(texts)
    queries_file = folder / "search-queries.txt"
    queries_file.write_text("".join(quote_plus(query) + "\n" for query in queries))
    return Scenario(
        email=user.email, password=PASSWORD, premium_path=url_for("account.premium"),
        chapter_path=url_for("reader.chapter", slug=course.slug, position=chapter.position),
        chapter_title=chapter.title_fr,
        thread_path=url_for("community.thread", slug=course.slug, thread_id=thread.id), thread_title=thread.title,
        course_path=url_for("catalog.course", slug=course.slug), course_title=course.title_fr,
        invoice_numbers=numbers,
        queries_file=str(queries_file), query_count=len(queries))


def main() -> int:
    folder = Path(sys.argv[1])
    app = create_app()
    # A request context: the simulated provider's page address is built with url_for.
    with app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]):
        scenario = prepare(folder)
    print(json.dumps(scenario.__dict__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
