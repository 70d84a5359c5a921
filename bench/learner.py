"""The benchmark's own learners, made the way the portal makes them, in the throwaway instance `make bench` prepares.

Run in the instance's environment, after `flask db upgrade` and `flask demo load`, as
`python -m bench.learner <folder>`: it prints, as JSON, what the benchmark needs to sign in and which pages to load.

Léa goes through the services a real learner's requests go through: she signs up, orders Premium Plus on the Python
Parcours (details, consents, "Valider"), signs after the seven-day reflection period, pays on the simulated
provider's page (its notification fulfils the order and issues the first invoice), then two monthly billing runs
renew her subscription (two more invoices). Her mentor, Thomas, accompanies the Python Parcours from the start; she
hands in two projects (he validates the first), booked a session in her history and books her next one. She reads
the first chapters of a course and opens a forum thread that another subscriber answers. The clock is set back for
her history, so that "now" finds her mid-way through her third month, as a learner who has been around a while.

The anonymous search pages need queries the page cache has never seen: the queries file holds substrings of the
courses' own searchable text (and then pairs of them from one course), so every query finds at least one course.
"""

import json
import sys
import zlib
from dataclasses import dataclass
from datetime import time, timedelta
from itertools import combinations
from pathlib import Path
from urllib.parse import quote_plus

from flask import url_for
from sqlalchemy import select

from app import create_app
from app import demo_accounts as journeys
from app.extensions import db
from app.models import Course, ForumThread, Invoice, Subscription, User
from app.models.commerce import SubscriptionStatus
from app.services.common import clock
from app.services.legal import documents
from app.services.payments.simulated import SimulatedGateway

PASSWORD = "une phrase de passe pour le banc d'essai"
LEARNER_EMAIL = "lea.banc@example.org"
OTHER_EMAIL = "hugo.banc@example.org"
MENTOR_EMAIL = "thomas.banc@example.org"
PARCOURS = "developpeur-application-python"
COURSE = "developpement-web-flask"  # a course of that Parcours, with chapters written out in the demo content
CHAPTERS_DONE = 2  # chapters read and marked done; the next one is opened but not finished
RENEWALS = 2
PROJECTS_VALIDATED = 1  # then one waiting for her mentor's evaluation
FORUM_REPLIES = 9
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
    mentor_email: str
    learner_name: str  # on the mentor's space


def premium_plus_learner(provider: SimulatedGateway) -> tuple[User, Subscription]:
    """Léa: Premium Plus on the Python Parcours, accepted, signed after seven days, paid, renewed RENEWALS times."""
    user = journeys.signed_up(LEARNER_EMAIL, "Léa", "Banc", PASSWORD)
    subscription = journeys.subscribed_plus(provider, user, PARCOURS)
    journeys.renewed([subscription], times=RENEWALS)
    assert subscription.status == SubscriptionStatus.ACTIVE, subscription.status
    return user, subscription


def her_mentor() -> User:
    """Thomas, who accompanies the Python Parcours (Léa gets him when her contract takes effect), on Tuesdays at
    18:00 and Thursdays at 12:30."""
    return journeys.accompanying_mentor(MENTOR_EMAIL, "Thomas", "Banc", (PARCOURS,),
                                        "https://visio.example.org/thomas-banc", ((1, time(18, 0)), (3, time(12, 30))),
                                        PASSWORD)


def solo_subscriber(provider: SimulatedGateway) -> User:
    """Hugo, a Premium Solo subscriber, who answers in the forum."""
    user = journeys.signed_up(OTHER_EMAIL, "Hugo", "Banc", PASSWORD)
    journeys.subscribed_solo(provider, user)
    return user


def forum_thread(author: User, other: User, course: Course) -> ForumThread:
    """A thread in the course's forum: Léa asks, Hugo and she answer in turn."""
    return journeys.forum_thread(
        author, other, course, "Où placer les gabarits Jinja dans un projet Flask ?",
        "Bonjour, je suis au chapitre sur Jinja et je me demande comment organiser les gabarits quand "
        "l'application grandit : un dossier par blueprint, ou tout dans templates/ ?",
        [f"Réponse {number} : un dossier par blueprint sous templates/ garde les noms uniques, et les macros "
         "communes vont dans components/.\n\nC'est ce que fait le cours au chapitre suivant."
         for number in range(1, FORUM_REPLIES + 1)])


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
    provider = journeys.simulated_provider()
    real_now = clock.now()
    with clock.travelling():
        # Léa's history, about 80 days long, ends a couple of days before the real "now".
        clock.advance(-timedelta(days=80))
        # The demo's terms and Student Rules came into force after the day her history starts: she accepted the
        # versions in force then, published here with the same text (a consent always names its version).
        documents.publish_terms_from_files("banc-d-essai", clock.today_in_paris())
        documents.publish_rules_from_files("banc-d-essai", clock.today_in_paris())
        her_mentor()
        user, subscription = premium_plus_learner(provider)
        journeys.handed_in_projects(subscription, validated=PROJECTS_VALIDATED, awaiting=1)
        journeys.booked_first_free_start(subscription)  # in her history: a session for him to record
        course = journeys.course_by_slug(COURSE)
        chapter = journeys.read_chapters(user, course, CHAPTERS_DONE)
        other = solo_subscriber(provider)
        thread = forum_thread(user, other, course)
        assert clock.now() < real_now, "the set-up's history must end before the real now"
    journeys.booked_first_free_start(subscription)  # and her next one
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
        queries_file=str(queries_file), query_count=len(queries), mentor_email=MENTOR_EMAIL,
        learner_name=user.full_name)


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
