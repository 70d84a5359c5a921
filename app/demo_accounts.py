"""The demo's accounts, one for each kind of person the portal serves, made through the services as their own
requests would make them: sign-up, the checkout, the payment on the simulated provider's page (whose signed
notification fulfils the order), the monthly billing runs, reading, the forum, a guardian's approval asked for.
A newcomer who signs in finds a history, not empty pages.

`flask demo load` creates each account once (an address that already has an account is left as it is) and prints
them with their password; never in production, where a published password would open the account to anyone.
The benchmark's learners (bench/learner.py) are made by the same journeys.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from flask import current_app, url_for
from sqlalchemy import func, select

from app import jobs
from app.extensions import db
from app.models import (
    Chapter,
    ContactQuestion,
    ContactRequest,
    Course,
    ForumThread,
    Invoice,
    Order,
    Parcours,
    Subscription,
    User,
)
from app.models.commerce import GuardianStatus, OfferKind
from app.models.mentoring import Attendance
from app.services.accounts import email_verification, guardians, roles, users
from app.services.catalog import browse
from app.services.commerce import checkout, contracts, mentors, subscriptions
from app.services.common import clock, links
from app.services.community import discussions
from app.services.demo import TERMS_EFFECTIVE_ON
from app.services.learning import completion, reader
from app.services.mentoring import attendance, availability, projects, sessions
from app.services.payments import gateway
from app.services.payments.simulated import CardEntry, SimulatedGateway
from app.services.support import requests

PASSWORD = "portail-demo-2026"
PARCOURS = "developpeur-application-python"
COURSE = "developpement-web-flask"  # a course of that Parcours, with chapters written out in the demo content
REQUESTER = checkout.Requester(ip_address="127.0.0.1", language="fr")
ADDRESS = checkout.BillingDetails(name="", address="12 rue des Écoles", postal_code="75005", city="Paris",
                                  country="FR")
# How far back the subscribers' histories start: two or three monthly periods, never before the demo terms
# apply (a consent names the version in force when the box was ticked).
HISTORY_DAYS = 75


# --- Journeys, shared with the benchmark ---------------------------------------------------------------------

def commit() -> None:
    """As a request does: commit, then hand the committed work (mail, invoice PDFs) to the job queue."""
    db.session.commit()
    jobs.enqueue_committed_jobs()


def signed_up(email: str, first_name: str, last_name: str, password: str,
              date_of_birth: date = date(1994, 5, 17)) -> User:
    user = users.register(users.SignupData(
        first_name=first_name, last_name=last_name, email=email, password=password, date_of_birth=date_of_birth,
        country="FR", under_legal_protection=False, locale="fr"))
    email_verification.mark_verified(user)  # the welcome mail's link, opened
    commit()
    return user


def _consents(offer: OfferKind) -> tuple[checkout.ConsentAnswer, ...]:
    return tuple(checkout.ConsentAnswer(kind, True, f"Case « {kind.value} » cochée")
                 for kind in checkout.required_consents(offer))


def ordered(user: User, offer: OfferKind, parcours: Parcours | None) -> Order:
    """The checkout's steps up to the review: billing details, then payment method and consents."""
    order = checkout.open_order(user, offer, parcours)
    checkout.save_details(order, replace(ADDRESS, name=user.full_name))
    checkout.save_payment_step(order, checkout.PaymentStep("card", "", _consents(offer)), REQUESTER)
    return order


def return_url(order: Order) -> str:
    """Where the provider's page sends the learner back, as the checkout's views give it."""
    return url_for("checkout.payment_return", reference=order.reference)


def pay_on_provider_page(provider: SimulatedGateway, session_id: str, holder: str) -> None:
    """The learner pays by card on the simulated hosted page; its signed notification fulfils the order."""
    session = provider.session(session_id)
    assert session is not None, session_id
    provider.pay_by_card(session, CardEntry(number="4111 1111 1111 1111", holder=holder, expiry="12/30",
                                            cvc="737"))


def simulated_provider() -> SimulatedGateway:
    provider = gateway()
    assert isinstance(provider, SimulatedGateway), "the demo and the benchmark pay with the simulated provider"
    return provider


def subscribed_solo(provider: SimulatedGateway, user: User) -> Subscription:
    """Premium Solo ordered, paid on the provider's page, the first invoice issued."""
    order = ordered(user, OfferKind.SOLO, None)
    hosted = checkout.validate(order, order.first_charge_cents, provider, REQUESTER, return_url(order))
    assert hosted is not None
    commit()
    pay_on_provider_page(provider, hosted.session_id, user.full_name)
    commit()
    subscription = subscriptions.for_order(order)
    assert subscription is not None
    return subscription


def accepted_plus(provider: SimulatedGateway, user: User, parcours_slug: str = PARCOURS) -> Subscription:
    """Premium Plus on a Parcours ordered ("Valider"): its seven-day reflection period starts; nothing is paid."""
    parcours = db.session.scalar(select(Parcours).where(Parcours.slug == parcours_slug))
    assert parcours is not None, parcours_slug
    order = ordered(user, OfferKind.PLUS, parcours)
    checkout.validate(order, order.first_charge_cents, provider, REQUESTER, return_url(order))
    commit()
    subscription = subscriptions.for_order(order)
    assert subscription is not None and subscription.reflection_ends_at is not None
    return subscription


def signed_and_paid(provider: SimulatedGateway, subscription: Subscription) -> Subscription:
    """The contract signed an hour after the reflection period (or now, if that is later), and its first month
    paid."""
    assert subscription.reflection_ends_at is not None  # a Premium Plus subscription in its reflection period
    clock.move_to(max(clock.now(), subscription.reflection_ends_at + timedelta(hours=1)))
    hosted = contracts.sign(subscription, provider, return_url(subscription.order), "fr")
    commit()
    pay_on_provider_page(provider, hosted.session_id, subscription.user.full_name)
    commit()
    return subscription


def subscribed_plus(provider: SimulatedGateway, user: User, parcours_slug: str = PARCOURS) -> Subscription:
    """Premium Plus on a Parcours: ordered, signed once the seven-day reflection period is over, paid."""
    return signed_and_paid(provider, accepted_plus(provider, user, parcours_slug))


def renewed(renewing: Sequence[Subscription], times: int | None = None, before: datetime | None = None) -> int:
    """Billing runs, each an hour after the next period's end among `renewing`, in the order they fall due (so
    that invoice numbers follow the dates): `times` of them, or every one due before `before`. Returns how many
    ran."""
    runs = 0
    while renewing and (times is None or runs < times):
        ends = [subscription.current_period_end for subscription in renewing]
        assert all(end is not None for end in ends)  # a paid subscription is in a period
        due = min(end for end in ends if end is not None) + timedelta(hours=1)
        if before is not None and due >= before:
            break
        clock.move_to(due)
        jobs.run_billing()
        for subscription in renewing:
            db.session.refresh(subscription)
        runs += 1
    return runs


def read_chapters(user: User, course: Course, done: int) -> Chapter:
    """The first `done` readable chapters opened and finished, then the next one opened: the one being read."""
    readable = [chapter for chapter in course.chapters if chapter.has_content]
    for chapter in readable[:done]:
        assert reader.open_chapter(user, chapter).allowed
        reader.complete_chapter(user, chapter)
        commit()
        clock.advance(timedelta(hours=2))
    current = readable[done]
    assert reader.open_chapter(user, current).allowed
    commit()
    return current


def forum_thread(author: User, answerer: User, course: Course, title: str, body: str,
                 replies: Sequence[str]) -> ForumThread:
    """A thread in the course's forum: `answerer` replies first, then they take turns."""
    category = discussions.category_by_slug(course.slug)
    assert category is not None, course.slug
    thread = discussions.start_thread(author, category, title, body)
    commit()
    for number, text in enumerate(replies):
        clock.advance(timedelta(minutes=37))
        discussions.reply(answerer if number % 2 == 0 else author, thread, text)
        commit()
    return thread


def wrote_to_student_success(user: User, question: ContactQuestion, message: str) -> ContactRequest:
    """"Nous contacter", signed in: the request is in the learner's Mes paramètres > Mes demandes."""
    contact = requests.submit_contact_request(requests.ContactData(
        name=user.full_name, email=user.email, question=question.value, message=message, user_id=user.id))
    commit()
    return contact


def handed_in_projects(subscription: Subscription, validated: int, awaiting: int) -> None:
    """The learner hands in the first `validated + awaiting` projects of the Parcours, less than a day apart (half a
    day's work each); their mentor validates the first `validated` eight hours later, every criterion met."""
    assignment = mentors.current(subscription)
    for number, standing in enumerate(projects.progress(subscription).standings[:validated + awaiting], start=1):
        clock.advance(timedelta(hours=12))
        project = standing.project
        submission = projects.submit(
            subscription, project.id, f"Voici mon rendu du projet « {project.title_fr} ». Le dépôt contient le code "
            "et un README qui explique comment le lancer ; le rapport y résume mes choix et leurs limites.",
            f"https://git.example.org/{subscription.user.first_name.lower()}/projet-{number}", None)
        commit()
        if number <= validated and assignment is not None:
            clock.advance(timedelta(hours=8))
            projects.evaluate(assignment.mentor, submission, {
                criterion.id: projects.Judgement(True, "Atteint : c'est fait avec soin, et le README le montre.")
                for criterion in project.criteria}, "Un travail solide. Passez au projet suivant.")
            commit()


def course_by_slug(slug: str = COURSE) -> Course:
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    assert course is not None, slug
    return course


# --- The demo's accounts ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DemoAccount:
    email: str
    shows: str  # what signing in with it shows (printed by `make run`, listed in the README)


NEWCOMER = DemoAccount("decouverte@example.org", "a learner with no subscription yet: the catalogue, the offers, "
                                                 "a checkout paid on the simulated provider's page")
SOLO = DemoAccount("solo@example.org", "Premium Solo for two months: Mes paramètres > Premium (invoices, "
                                       "cancellation), a course in progress, a forum thread, Mes demandes (a "
                                       "question answered, a complaint waiting)")
PLUS = DemoAccount("plus@example.org", "Premium Plus on the Python Parcours: the contract signed after the "
                                       "reflection period, invoices, the Parcours change and force majeure requests, "
                                       "\"Mon parcours\": a past mentoring session with her mentor's note and one "
                                       "booked, two projects validated and one waiting for evaluation")
MINOR = DemoAccount("mineur@example.org", "17 years old: subscribing waits for a guardian's approval "
                                          "(the guardian's link is printed below)")
WARD = DemoAccount("mineure@example.org", "17 years old, Premium Solo approved by her father: his guardian's space "
                                         "(its link is printed below) shows it, its invoices and his approvals")
DEFENCE = DemoAccount("soutenance@example.org", "Premium Plus on the Data Analyst Parcours, every course passed "
                                                "and every required project validated, two sessions missed (on "
                                                "/equipe/assiduite, where the Student Rules' procedure starts): "
                                                "\"Mon parcours\" offers to ask for the defence, which Student "
                                                "Success schedules and decides at /equipe/soutenances")
STAFF = DemoAccount("equipe@example.org", "Student Success: the back office at /equipe (requests, attendance and "
                                          "the Student Rules' procedure, reports, "
                                          "the jury's decisions)")
MENTOR = DemoAccount("mentor@example.org", "a mentor of the Python and Data Analyst Parcours: the mentor's space "
                                           "at /mentor, with his Premium Plus learners, the session Léa booked and "
                                           "her project waiting for evaluation; his weekly "
                                           "slots at /mentor/disponibilites")
ACCOUNTS = (NEWCOMER, SOLO, PLUS, DEFENCE, MINOR, WARD, STAFF, MENTOR)
DEFENCE_PARCOURS = "data-analyst"
GUARDIAN = guardians.GuardianRequest(name="Claire Leroy", email="parent@example.org", relationship="parent")
WARD_GUARDIAN = guardians.GuardianRequest(name="Marc Roux", email="pere@example.org", relationship="parent")
GUARDIAN_TERMS_WORDING = ("J'ai lu et j'accepte les conditions générales de services au nom de la personne que je "
                          "représente.")


@dataclass(frozen=True)
class DemoOutcome:
    created: list[str]  # the addresses created now (the others existed already)
    guardian_link: str | None  # where the minor's guardian answers, while the request waits
    guardian_space_link: str | None  # where the approving guardian follows the subscription


def _history_start(now: datetime) -> datetime:
    """Two or three months back, never before the demo terms apply, and never before an invoice already issued:
    invoice numbers follow the dates, in the demo as in the books."""
    first_day = TERMS_EFFECTIVE_ON + timedelta(days=1)
    candidates = [datetime.combine(first_day, time(9, 0), tzinfo=clock.PARIS), now - timedelta(days=HISTORY_DAYS)]
    last_invoice = db.session.scalar(select(func.max(Invoice.issued_at)))
    if last_invoice is not None:
        candidates.append(last_invoice + timedelta(minutes=1))
    return max(candidates)


def _missing() -> set[str]:
    present = set(db.session.scalars(select(User.email).where(User.email.in_([a.email for a in ACCOUNTS]))))
    return {account.email for account in ACCOUNTS} - present


def _subscribers(provider: SimulatedGateway, missing: set[str], now: datetime) -> list[Subscription]:
    """Hugo takes Premium Solo and reads two chapters; Jade takes it with her father's approval; Yanis takes Premium
    Plus on another Parcours, passes all its courses and has its projects validated; Léa orders Premium Plus, signs
    once her seven days of reflection are over (if they are, by now: else she is still in them), reads three
    chapters and hands in three projects."""
    course = course_by_slug()
    renewing = []
    if SOLO.email in missing:
        hugo = signed_up(SOLO.email, "Hugo", "Petit", PASSWORD, date(1997, 10, 2))
        renewing.append(subscribed_solo(provider, hugo))
        read_chapters(hugo, course, done=2)
    if WARD.email in missing:
        renewing.append(_ward(provider, now))
    # Both order Premium Plus the same day; Léa's history comes first, then Yanis's, which is longer.
    lea_plus = accepted_plus(provider, signed_up(PLUS.email, "Léa", "Bernard", PASSWORD, date(1994, 5, 17))) \
        if PLUS.email in missing else None
    yanis_plus = accepted_plus(provider, signed_up(DEFENCE.email, "Yanis", "Haddad", PASSWORD, date(1996, 2, 11)),
                               DEFENCE_PARCOURS) if DEFENCE.email in missing else None
    if lea_plus is not None:
        assert lea_plus.reflection_ends_at is not None  # set by "Valider"
        if lea_plus.reflection_ends_at + timedelta(hours=2) < now:
            renewing.append(signed_and_paid(provider, lea_plus))
            read_chapters(lea_plus.user, course, done=3)
            handed_in_projects(lea_plus, validated=2, awaiting=1)
            booked_first_free_start(lea_plus)
    if yanis_plus is not None and _defence_ready(provider, yanis_plus, now):
        renewing.append(yanis_plus)
    return renewing


def _ward(provider: SimulatedGateway, now: datetime) -> Subscription:
    """Jade, 17, had her father approve Premium Solo (and accept the terms for her) before subscribing."""
    jade = signed_up(WARD.email, "Jade", "Roux", PASSWORD, date(now.year - 17, now.month, 1))
    approval = guardians.request_approval(jade, OfferKind.SOLO, None, WARD_GUARDIAN)
    guardians.decide(approval, True, True, GUARDIAN_TERMS_WORDING, "127.0.0.1")
    commit()
    return subscribed_solo(provider, jade)


def _defence_ready(provider: SimulatedGateway, subscription: Subscription, now: datetime) -> bool:
    """Yanis, who took Premium Plus on the Data Analyst Parcours, signs after the reflection period, then passes each
    of its courses (a certificate each, as passing its quiz issues) and has each of its required projects validated
    by his mentor: his Parcours waits for the jury. When the history is too short for that by now, he stays in his
    reflection period."""
    assert subscription.reflection_ends_at is not None and subscription.parcours is not None  # set by "Valider"
    courses = subscription.parcours.courses
    required = sum(1 for project in projects.of_parcours(subscription.parcours.id) if project.required)
    start = max(clock.now(), subscription.reflection_ends_at)
    if start + timedelta(days=len(courses) + required + 1) >= now:
        return False
    signed_and_paid(provider, subscription)
    booked_first_free_start(subscription)
    booked_first_free_start(subscription)
    for course in courses:
        clock.advance(timedelta(days=1))
        completion.issue(subscription.user, course, 82)
        commit()
    handed_in_projects(subscription, validated=required, awaiting=0)
    return True


def _both_take_part() -> bool:
    """The forum is for subscribers: Hugo and Léa may both post (Léa may still be in her reflection period)."""
    author, answerer = users.find_by_email(SOLO.email), users.find_by_email(PLUS.email)
    return all(user is not None and discussions.can_take_part(user) for user in (author, answerer))


def _forum(now: datetime) -> None:
    """Hugo asks in the course's forum, Léa answers: both are subscribers, who alone may post."""
    author, answerer = users.find_by_email(SOLO.email), users.find_by_email(PLUS.email)
    assert author is not None and answerer is not None
    clock.move_to(now - timedelta(hours=6))
    forum_thread(author, answerer, course_by_slug(), "Où placer les gabarits Jinja dans un projet Flask ?",
                 "Bonjour, je suis au chapitre sur Jinja : un dossier de gabarits par blueprint, ou tout dans "
                 "templates/ ?",
                 ["Un dossier par blueprint sous templates/ garde les noms uniques ; les macros communes vont "
                  "dans components/.", "Merci, c'est plus clair. Je range les miens ainsi.",
                  "C'est aussi ce que fait le chapitre suivant du cours."])


def accompanying_mentor(email: str, first_name: str, last_name: str, parcours_slugs: Sequence[str],
                        video_call_url: str, slots: Sequence[tuple[int, time]], password: str = PASSWORD) -> User:
    """A mentor who accompanies these Parcours: their Premium Plus learners get them when their contract takes
    effect (those already in it get them now); with their video-call room and their weekly slots (weekday, Paris
    time)."""
    mentor = signed_up(email, first_name, last_name, password, date(1985, 6, 9))
    roles.grant(mentor, roles.Role.MENTOR)
    for slug in parcours_slugs:
        parcours = browse.parcours_by_slug(slug)
        assert parcours is not None  # the demo catalogue has it
        mentors.accompany(mentor, parcours)
        for subscription in mentors.without_mentor(parcours):
            mentors.assign_when_due(subscription)
    availability.set_video_url(mentor, video_call_url)
    for weekday, at in slots:
        availability.add_slot(mentor, weekday, at, availability.DEFAULT_TIME_ZONE)
    commit()
    return mentor


def _mentor() -> None:
    """Thomas accompanies the Python and Data Analyst Parcours, on Tuesdays at 18:00 and Thursdays at 12:30."""
    accompanying_mentor(MENTOR.email, "Thomas", "Girard", (PARCOURS, DEFENCE_PARCOURS),
                        "https://visio.example.org/thomas-girard", ((1, time(18, 0)), (3, time(12, 30))))


def booked_first_free_start(subscription: Subscription) -> None:
    """The learner books the first free start their mentor offers (none when the mentor offers none)."""
    starts = availability.free_starts(subscription)
    if starts:
        sessions.book(subscription, starts[0])
        commit()


def _attendance_recorded() -> None:
    """Thomas records the sessions that took place: Léa came (with a note for her); Yanis missed both of his, the
    second time more than 15 minutes late, which puts him on Student Success's attendance list."""
    thomas = users.find_by_email(MENTOR.email)
    if thomas is None:
        return
    missed = 0
    for session in attendance.to_record(thomas):  # the oldest first
        if session.learner.email == PLUS.email:
            attendance.record(session, thomas, Attendance.PRESENT, "Bonne séance : nous avons revu le projet 3 "
                              "ensemble ; pensez aux tests de la classe Tournoi.")
        else:
            attendance.record(session, thomas, Attendance.LATE if missed else Attendance.ABSENT, "")
            missed += 1
        commit()


def _first_session() -> None:
    """Léa booked the first of Thomas's free slots (today's, so that it is ahead of her)."""
    lea = users.find_by_email(PLUS.email)
    subscription = subscriptions.current_subscription(lea.id, OfferKind.PLUS) if lea is not None else None
    starts = availability.free_starts(subscription) if subscription is not None else []
    if subscription is not None and starts:
        sessions.book(subscription, starts[0])
        commit()


def _requests(now: datetime) -> None:
    """Hugo asked about a payment (Inès answered) and has a complaint waiting, which he may add to."""
    hugo, staff = users.find_by_email(SOLO.email), users.find_by_email(STAFF.email)
    assert hugo is not None
    clock.move_to(now - timedelta(hours=3))
    question = wrote_to_student_success(hugo, ContactQuestion.PREMIUM, "Bonjour, mon prélèvement de ce mois "
                                        "apparaît deux fois sur mon relevé. Est-ce normal ?")
    if staff is not None and staff.is_staff:
        clock.move_to(now - timedelta(hours=2))
        requests.answer_request(question, staff, "Bonjour Hugo, le second montant est une pré-autorisation de "
                                "votre banque : elle disparaît sous 7 jours sans être débitée.")
        commit()
    clock.move_to(now - timedelta(hours=1))
    wrote_to_student_success(hugo, ContactQuestion.COMPLAINT, "Le quiz du chapitre 3 compte faux une réponse "
                             "juste : je demande la correction de ma note.")


def _minor(now: datetime) -> None:
    """Noah, 17, asks his mother's approval for Premium Solo today: her link is fresh."""
    clock.move_to(now)
    user = signed_up(MINOR.email, "Noah", "Leroy", PASSWORD, date(now.year - 17, now.month, 1))
    guardians.request_approval(user, OfferKind.SOLO, None, GUARDIAN)
    commit()


def _guardian_link() -> str | None:
    """A fresh link for the minor's pending request (a link lasts two weeks; the demo may be older)."""
    minor = users.find_by_email(MINOR.email)
    approval = guardians.latest(minor, OfferKind.SOLO, None) if minor is not None else None
    if approval is None or approval.status != GuardianStatus.PENDING:
        return None
    return links.absolute(url_for("guardians.answer",
                                  token=guardians.link_token(approval, current_app.config["SECRET_KEY"])))


def _guardian_space_link() -> str | None:
    """A fresh link to the space of Jade's father (a link lasts 30 days; the demo may be older)."""
    if users.find_by_email(WARD.email) is None:
        return None
    return links.absolute(url_for("guardian_space.open_link", token=guardians.space_token(WARD_GUARDIAN.email)))


def load_accounts() -> DemoOutcome:
    """Each demo account not there yet, made through its history, in the order of its dates; then the guardian's
    link. Needs a request context (the checkout's return addresses, the mails' links)."""
    missing = _missing()
    now = clock.now()
    with clock.travelling():
        clock.move_to(_history_start(now))
        if NEWCOMER.email in missing:
            signed_up(NEWCOMER.email, "Camille", "Martin", PASSWORD, date(1999, 3, 8))
        if MENTOR.email in missing:
            _mentor()
        if STAFF.email in missing:
            staff = signed_up(STAFF.email, "Inès", "Moreau", PASSWORD, date(1988, 1, 21))
            roles.grant(staff, roles.Role.STAFF)
            commit()
        renewed(_subscribers(simulated_provider(), missing, now), before=now)
        if PLUS.email in missing or DEFENCE.email in missing:
            _attendance_recorded()
        if SOLO.email in missing and _both_take_part():
            _forum(now)
        if SOLO.email in missing:
            _requests(now)
        if MINOR.email in missing:
            _minor(now)
    if PLUS.email in missing and MENTOR.email in missing:
        _first_session()
    return DemoOutcome([account.email for account in ACCOUNTS if account.email in missing], _guardian_link(),
                       _guardian_space_link())
