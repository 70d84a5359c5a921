"""Any text, in any form or address, never gives a server error (issue 9, finding 12).

Every form of the portal is found from the URL map (each rule that accepts POST), shown as the person who can
use it (a visitor, a subscriber, staff), read from its HTML and sent back with one of its text fields holding
generated text (control characters, NUL, bidi overrides, line separators, combining marks, emoji, very long
strings) and valid values everywhere else. Then:
- never a 5xx;
- a text holding a refused character is refused, with the message next to that field;
- otherwise either the form says what is wrong, or the text was kept as typed, in NFC and trimmed: it shows
  on the page the form leads to, or it is stored as such.
The same for the query parameters of every page. Each example runs in a savepoint rolled back afterwards, so
every example starts from the same state.
"""

import os
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from urllib.parse import quote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, Text, select

import tests.checkout_flow as flow
from app.extensions import db, limiter
from app.models import ForumPost, GuardianApproval, Parcours, Subscription
from app.models.commerce import GuardianStatus, OfferKind
from app.services.accounts import guardians, users
from app.services.common import clock, safe_text
from app.services.community import discussions
from tests.conftest import PASSWORD, make_user, soup_of
from tests.factories import make_staff, subscriber

EXAMPLES = 15
# Random on a developer's machine, to keep finding new cases; the same examples on every CI run, so that a
# submission is never refused for a case that it did not introduce (a case found locally becomes a regression test).
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=bool(os.environ.get("CI")),
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])
ASSIGNMENT_COURSE = "developpement-web-flask"
PLUS_PARCOURS = "developpeur-application-python"
TEXT_INPUT_TYPES = {"text", "email", "search", "tel", "url", "password"}

# What is typed by people and by attackers: letters, accents written both ways, emoji, every kind of control
# and invisible character.
NASTY = ["\x00", "\x01", "\x07", "\x08", "\t", "\n", "\r", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f",
         "\u2028", "\u2029", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
         "\u2069", "\u200b", "\u200e", "\u200f", "\ufeff", "\ufffd", "\u0301", "\u0308", "\u0327", "e\u0301",
         "🙂", "👩‍👩‍👧", "🇫🇷", "'", '"', "<", ">", "&", "%", "_", "\\", "é", "ß", "ı", "Ω", "中", " ", "\u00a0"]
texts = st.one_of(
    st.lists(st.sampled_from(NASTY) | st.text(min_size=1, max_size=3), max_size=25).map("".join),
    st.text(max_size=40),
    st.builds(lambda piece, times: piece * times, st.sampled_from(["a", "é", "e\u0301", "🙂", "\x00", "ab "]),
              st.integers(min_value=150, max_value=12_000)),
)

VALID = {
    "first_name": "Ana", "last_name": "Lopez", "name": "Ana Lopez", "guardian_name": "Marie Lopez",
    "billing_postal_code": "75005", "billing_city": "Paris",
    "billing_address": "12 rue des Écoles", "billing_name": "Ana Lopez", "phone": "06 12 34 56 78",
    "password": PASSWORD, "current_password": PASSWORD, "promo_code": "", "number": "4000 0000 0000 0002",
    "holder": "Ana Lopez", "expiry": "03/30", "cvc": "737", "title": "Réviser ensemble",
}
SENTENCE = "Un texte écrit pour l'essai, assez long pour passer chaque règle de longueur de ce formulaire ici."
# Fields whose accepted text is used and never kept (a password is stored hashed; a sign-in address is checked).
NOT_KEPT = {"password", "current_password", "auth.sign_in:email", "auth.forgot_password:email", "number",
            "holder", "expiry", "cvc"}


# --- The people and the pages that show each form ---------------------------------------------------------------

def _signed_in(app, user):
    client = app.test_client()
    assert client.post("/connexion", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def _staff(app):
    member = make_staff("sofia.staff@example.org")
    db.session.commit()
    return _signed_in(app, member)


def _plus(email: str = "paul.plus@example.org"):
    parcours = db.session.scalar(select(Parcours).where(Parcours.slug == PLUS_PARCOURS))
    return subscriber(email, "Paul", "Plus", offer=OfferKind.PLUS, parcours=parcours)


def _guardian_of_plus(app):
    """A guardian's browser in their space, for a 17-year-old's Premium Plus they approved."""
    learner = _plus("petra.ward@example.org")
    learner.date_of_birth = date(clock.today_in_paris().year - 17, 1, 1)
    subscription = db.session.scalars(select(Subscription).where(Subscription.user_id == learner.id)).one()
    db.session.add(GuardianApproval(learner=learner, offer=OfferKind.PLUS, parcours=subscription.parcours,
                                    guardian_name="Gil Gardien", guardian_email="gil.guardian@example.org",
                                    relationship_kind="parent", status=GuardianStatus.APPROVED,
                                    requested_at=clock.now()))
    db.session.commit()
    client = app.test_client()
    with app.test_request_context():
        token = guardians.space_token("gil.guardian@example.org")
    assert client.get(f"/representant/espace/acces/{token}").status_code == 302
    return client, f"/representant/espace/abonnements/{subscription.id}/force-majeure"


def _plus_with_mentor(app):
    from app.services.commerce import mentors
    from tests.plus_learners import mentor

    learner = _plus("mia.mentored@example.org")
    subscription = db.session.scalars(select(Subscription).where(Subscription.user_id == learner.id)).one()
    mentors.assign(subscription, mentor("max.mentor@example.org", PLUS_PARCOURS))
    db.session.commit()
    return _signed_in(app, learner), "/compte/parametres/premium/changer-de-mentor"


def _mentor_and_session(app):
    """A mentor with a slot, a learner who booked a session in it: the mentor's page, or the cancellation's."""
    from app.models import MentoringSession
    from app.services.mentoring import availability, sessions
    from tests.plus_learners import mentored_in_march

    coach, subscription = mentored_in_march("tom.mentor@example.org", "lise.learner@example.org")
    sessions.book(subscription, availability.free_starts(subscription)[0])
    db.session.commit()
    session_id = db.session.scalar(select(MentoringSession.id))
    clock.freeze(datetime(2027, 3, 14, 12, 0, tzinfo=clock.PARIS))  # late: the reason is asked
    return coach, subscription.user, f"/mon-parcours/seances/{session_id}/annuler"


def _attendance_to_record(app):
    """The mentor's space the day after the session: its attendance form."""
    from app.models import MentoringSession

    coach, _learner, _url = _mentor_and_session(app)
    clock.freeze(datetime(2027, 3, 15, 10, 0, tzinfo=clock.PARIS))
    session_id = db.session.scalar(select(MentoringSession.id))
    return _signed_in(app, coach), f"/mentor/seances/{session_id}/presence"


def _attendance_to_contest(app):
    from app.models import Attendance, MentoringSession
    from app.services.mentoring import attendance

    coach, learner, _url = _mentor_and_session(app)
    clock.freeze(datetime(2027, 3, 15, 10, 0, tzinfo=clock.PARIS))
    session = db.session.scalars(select(MentoringSession)).one()
    attendance.record(session, coach, Attendance.ABSENT, "")
    db.session.commit()
    return _signed_in(app, learner), f"/mon-parcours/seances/{session.id}/contester"


def _project_to_hand_in(app):
    from tests.plus_learners import first_project, mentored_in_march

    _coach, subscription = mentored_in_march("pia.mentor@example.org", "noe.learner@example.org")
    return _signed_in(app, subscription.user), f"/mon-parcours/projets/{first_project(subscription).id}"


def _project_to_evaluate(app):
    from tests.plus_learners import handed_in, mentored_in_march

    coach, subscription = mentored_in_march("pia.mentor@example.org", "noe.learner@example.org")
    return _signed_in(app, coach), f"/mentor/projets/{handed_in(subscription).id}"


def _defence_to_ask(app):
    from tests.diploma_candidates import complete, learner_with, parcours_named

    learner = learner_with(OfferKind.PLUS, email="ines.defence@example.org")
    complete(learner, parcours_named())
    return _signed_in(app, learner), "/mon-parcours/soutenance"


def _defence_to_schedule(app):
    from app.services.commerce import subscriptions
    from app.services.learning import defences

    client, _url = _defence_to_ask(app)
    learner = users.find_by_email("ines.defence@example.org")
    request = defences.ask(learner, subscriptions.current_subscription(learner.id, OfferKind.PLUS),
                           defences.Accommodations(extra_time=True))
    db.session.commit()
    return _signed_in(app, make_staff("sam.staff@example.org")), f"/equipe/soutenances/demandes/{request.id}/programmer"


def _procedure(app):
    """A Premium Plus learner with a procedure opened by Student Success, and the staff member who opened it."""
    from app.models import RuleBreached, Sanction
    from app.services.mentoring import discipline
    from tests.plus_learners import mentored_in_march

    _coach, subscription = mentored_in_march("pia.mentor@example.org", "noe.learner@example.org")
    staff = make_staff("sam.staff@example.org")
    case = discipline.open_case(subscription, staff, RuleBreached.ATTENDANCE, "Deux absences.",
                                Sanction.WARNING)
    db.session.commit()
    return staff, subscription, case


def _procedure_to_open(app):
    from tests.plus_learners import mentored_in_march

    _coach, subscription = mentored_in_march("pia.mentor@example.org", "noe.learner@example.org")
    return _signed_in(app, make_staff("sam.staff@example.org")), f"/equipe/procedures/nouvelle/{subscription.user_id}"


def _procedure_to_decide(app):
    staff, _subscription, case = _procedure(app)
    clock.freeze(datetime(2027, 3, 20, 10, 0, tzinfo=clock.PARIS))  # the 8 days are over
    return _signed_in(app, staff), f"/equipe/procedures/{case.id}"


def _contested_attendance(app):
    from app.models import Attendance, MentoringSession
    from app.services.mentoring import attendance

    coach, learner, _url = _mentor_and_session(app)
    clock.freeze(datetime(2027, 3, 15, 10, 0, tzinfo=clock.PARIS))
    session = db.session.scalars(select(MentoringSession)).one()
    attendance.record(session, coach, Attendance.ABSENT, "")
    db.session.commit()
    _signed_in(app, learner).post(f"/mon-parcours/seances/{session.id}/contester",
                                  data={"message": "J'étais là à l'heure."})
    return _signed_in(app, make_staff("sam.staff@example.org")), f"/equipe/assiduite/seances/{session.id}/corriger"


def _thread():
    author = subscriber("omar.author@example.org", "Omar", "Auteur")
    thread = discussions.start_thread(author, discussions.category_by_slug(discussions.GENERAL_FORUM_SLUG),
                                    "Réviser ensemble", "Qui veut réviser le chapitre sur les routes ?")
    db.session.commit()
    return author, thread


def _first_post_id() -> int:
    thread = _thread()[1]
    return db.session.scalar(select(ForumPost.id).where(ForumPost.thread_id == thread.id))


def _conversation(app):
    author, thread = _thread()
    lea = subscriber("lea.reader@example.org")
    message = discussions.write_to(author, lea, "Bonjour, merci d'avoir répondu à mon sujet.")
    db.session.commit()
    return lea, message


def _order(client, step: str) -> str:
    reference = flow.start(client)
    if step != "coordonnees":
        flow.details(client, reference)
    return f"/commande/{reference}/{step}"


def _hosted_payment(client) -> str:
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    return flow.validate(client, reference).headers["Location"].removeprefix(flow.BASE)


def _guardian_request(client) -> str:
    clock.freeze(datetime(2026, 11, 26, 10, 0, tzinfo=clock.PARIS))
    flow.enter(client, date_of_birth="2009-05-01")
    return "/accord-representant/solo"


def _review(app):
    from tests.assignments import reviewer

    sam = subscriber("sam.submitter@example.org", "Sam", "Soumis")
    _signed_in(app, sam).post(f"/cours/{ASSIGNMENT_COURSE}/devoir", content_type="multipart/form-data",
                              data={"text": SENTENCE})
    return _signed_in(app, reviewer()), f"/cours/{ASSIGNMENT_COURSE}/evaluer"


def _staff_request(app):
    client = app.test_client()
    question = BeautifulSoup(client.get("/contact").get_data(as_text=True), "html.parser").select(
        "#question option")[-1]["value"]
    client.post("/contact", data={"name": "Ana Lopez", "email": "ana@example.org", "question": question,
                                  "message": SENTENCE})
    from app.models import ContactRequest

    request_id = db.session.scalar(select(ContactRequest.id))
    return _staff(app), f"/equipe/demandes/{request_id}"


def _parcours_change_to_decide(app):
    plus = _plus()
    target = db.session.scalar(select(Parcours.id).where(Parcours.slug == "data-scientist"))
    _signed_in(app, plus).post("/compte/parametres/premium/changer-de-parcours",
                               data={"target": str(target), "reason": SENTENCE})
    return _staff(app), "/equipe/changements-de-parcours"


def _defence(app):
    from tests.diploma_candidates import COMPLETED_AT, DECIDED_AT, complete, learner_with, parcours_named

    clock.freeze(COMPLETED_AT)
    complete(learner_with(OfferKind.PLUS), parcours_named())
    clock.freeze(DECIDED_AT)
    return _staff(app), "/equipe/soutenances"


def _open_request(app):
    from app.models import ContactQuestion
    from app.services.support import requests

    learner = make_user("rita.requester@example.org")
    requests.submit_contact_request(requests.ContactData(
        name=learner.full_name, email=learner.email, question=ContactQuestion.PREMIUM.value,
        message="Mon paiement apparaît deux fois.", user_id=learner.id))
    return _signed_in(app, learner), "/compte/parametres/demandes"


# endpoint -> how to get a client that may use the form, and the address of the page that shows it
FORMS: dict[str, Callable] = {
    "auth.sign_up": lambda app: (app.test_client(), "/inscription"),
    "auth.sign_in": lambda app: (app.test_client(), "/connexion"),
    "auth.forgot_password": lambda app: (app.test_client(), "/mot-de-passe-oublie"),
    "auth.reset_password": lambda app: (app.test_client(), "/reinitialiser-mot-de-passe/"
                                        + users.password_reset_token(make_user("reset.me@example.org"),
                                                                        app.config["SECRET_KEY"])),
    "auth.change_email": lambda app: (_signed_in(app, make_user("move.me@example.org")), "/compte/adresse-email"),
    "auth.change_password": lambda app: (_signed_in(app, make_user("change.me@example.org")), "/compte/mot-de-passe"),
    "privacy.close_account": lambda app: (_signed_in(app, make_user("close.me@example.org")), "/compte/cloture"),
    "privacy.profile": lambda app: (_signed_in(app, make_user("correct.me@example.org")), "/compte/parametres/profil"),
    "privacy.billing": lambda app: (_signed_in(app, subscriber("bill.me@example.org")),
                                    "/compte/parametres/facturation"),
    "support.contact": lambda app: (app.test_client(), "/contact"),
    "support.my_requests": _open_request,
    "staff.contact_request": _staff_request,
    "staff.parcours_changes": _parcours_change_to_decide,
    "staff.defences": _defence,
    "checkout.start": lambda app: (app.test_client(), "/commande/solo"),
    "checkout.details": lambda app: ((client := app.test_client()), _order(client, "coordonnees")),
    "checkout.payment": lambda app: ((client := app.test_client()), _order(client, "paiement")),
    "simulated_payment.page": lambda app: ((client := app.test_client()), _hosted_payment(client)),
    "guardians.request_page": lambda app: ((client := app.test_client()), _guardian_request(client)),
    "guardian_space.ask_link": lambda app: (app.test_client(), "/representant/espace/lien"),
    "guardian_space.force_majeure_request": _guardian_of_plus,
    "account.change_parcours": lambda app: (_signed_in(app, _plus()), "/compte/parametres/premium/changer-de-parcours"),
    "account.change_mentor": _plus_with_mentor,
    "mentoring.availability_page": lambda app: (_signed_in(app, _mentor_and_session(app)[0]),
                                                "/mentor/disponibilites"),
    "sessions.contest": _attendance_to_contest,
    "mentoring.record_attendance": _attendance_to_record,
    "projects.project": _project_to_hand_in,
    "mentoring.evaluate_project": _project_to_evaluate,
    "my_parcours.defence": _defence_to_ask,
    "staff.schedule_defence": _defence_to_schedule,
    "discipline.open_case": _procedure_to_open,
    "discipline.case": _procedure_to_decide,
    "staff.correct_attendance": _contested_attendance,
    "discipline.answer": lambda app: (lambda staff, subscription, case: (
        _signed_in(app, subscription.user), f"/mon-parcours/procedures/{case.id}"))(*_procedure(app)),
    "sessions.cancel": lambda app: (lambda coach, learner, url: (_signed_in(app, learner), url))(
        *_mentor_and_session(app)),
    "account.force_majeure_request": lambda app: (_signed_in(app, _plus()), "/compte/parametres/premium/force-majeure"),
    "assignments.assignment": lambda app: (_signed_in(app, subscriber("sam.submitter@example.org")),
                                           f"/cours/{ASSIGNMENT_COURSE}/devoir"),
    "assignments.review": _review,
    "community.new_thread": lambda app: (_signed_in(app, subscriber("lea.reader@example.org")),
                                         "/forum/general/nouveau-sujet"),
    "community.thread": lambda app: (_signed_in(app, subscriber("lea.reader@example.org")),
                                     f"/forum/general/{_thread()[1].id}"),
    "community.report_post": lambda app: (
        _signed_in(app, subscriber("lea.reader@example.org")),
        "/forum/general/{}/signaler/{}".format(*db.session.execute(select(ForumPost.thread_id, ForumPost.id).where(
            ForumPost.id == _first_post_id())).one())),
    "community.write": lambda app: (_signed_in(app, subscriber("lea.reader@example.org")),
                                    f"/messages/ecrire/{_first_post_id()}"),
    "community.conversation": lambda app: (
        lambda lea, message: (_signed_in(app, lea), f"/messages/{message.conversation_id}"))(*_conversation(app)),
    "community.report_message": lambda app: (
        lambda lea, message: (_signed_in(app, lea), f"/messages/{message.conversation_id}/signaler/{message.id}"))(
        *_conversation(app)),
}
# POST rules whose forms hold no text field (buttons, boxes, radio buttons, a hidden number), or no form at all.
WITHOUT_TEXT = {
    "auth.sign_out", "auth.sign_out_other_sessions", "auth.confirm_email_change", "auth.undo_email_change",
    "checkout.validate", "simulated_payment.cancel",
    "sessions.set_time_zone",  # a list of zones only: tests/views/test_mentoring_session_pages.py
    "payments.webhook",  # the provider's signed notification, not a form: its own tests
    "guardians.answer", "guardians.revoke", "contract.sign_post", "contract.give_up", "reader.complete",
    "quiz.take", "certificates.set_public_profile", "account.undo_cancel", "account.replace_payment_method",
    "account.settle", "account.cancel", "account.withdraw", "account.early_termination",
    "account.accept_terms_change", "account.refuse_terms_change", "staff.force_majeure",
    "staff.resolve_report", "reader.open_premium", "staff.failed_mail", "checkout.follow_link", "staff.mentors",
    "privacy.my_data",  # one button: asking for an export
    "privacy.reopen",  # one button, behind a signed link
    "auth.verify_email", "auth.resend_verification",  # one button each
    "guardian_space.leave", "guardian_space.cancel", "guardian_space.undo_cancel",  # one button each
    "guardian_space.early_termination",  # one button
    "guardian_space.approve_terms",  # one box
    "sessions.book", "sessions.move",  # a choice among the free starts
    "mentoring.remove_slot",  # one button
}


def test_every_form_of_the_portal_is_tried(app):
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posting - set(FORMS) - WITHOUT_TEXT == set(), "a new form: add it to FORMS (or to WITHOUT_TEXT)"
    assert set(FORMS) <= posting and WITHOUT_TEXT <= posting


# --- Reading and filling a form ---------------------------------------------------------------------------------


def form_on(page: BeautifulSoup, path: str):
    """The first form of `page` that posts to `path` and has a text field."""
    for form in page.find_all("form", method=re.compile("post", re.I)):
        if urlsplit(urljoin(path, form.get("action", ""))).path == path and text_fields(form):
            return form
    return None


def text_fields(form) -> list:
    return [tag for tag in form.find_all(["input", "textarea"])
            if tag.name == "textarea" or tag.get("type", "text").lower() in TEXT_INPUT_TYPES]


# A date's three boxes (name-day, name-month, name-year), by the date's own name.
VALID_DATES = {"date_of_birth": date(1990, 2, 3), "defended_on": date(2026, 12, 14)}


def valid_value(endpoint: str, tag, counter: list[int]) -> str:
    name = tag["name"]
    key = name.rsplit("-", 1)[-1]
    date_name = name.rsplit("-", 1)[0].rsplit("-", 1)[-1]
    if key in ("day", "month", "year") and date_name in VALID_DATES:
        return str(getattr(VALID_DATES[date_name], key))
    if key in VALID:
        return VALID[key]
    if tag.get("type") == "email" or key.endswith("email"):
        counter[0] += 1
        return f"essai.{counter[0]}@example.org"
    if tag.name == "input" and tag.get("value"):
        return tag["value"]
    return SENTENCE


def filled(endpoint: str, form, target: str, text: str, counter: list[int]) -> dict:
    """Every field of `form` with a valid value (the first choice, boxes ticked), `target` holding `text`."""
    data = {}
    for tag in form.find_all(["input", "textarea", "select"]):
        name, kind = tag.get("name"), tag.get("type", "text").lower()
        if not name or kind == "file":
            continue
        if name == target:
            data[name] = text
        elif tag.name == "select":
            options = [o.get("value", "") for o in tag.find_all("option") if o.get("value")]
            data[name] = options[0] if options else ""
        elif kind in ("checkbox",):
            data[name] = tag.get("value", "y")
        elif kind == "radio":
            data.setdefault(name, tag.get("value", ""))
        elif kind == "submit":
            data.setdefault("__submit__", (name, tag.get("value", "")))
        elif kind == "hidden":
            data[name] = tag.get("value", "")
        else:
            data[name] = valid_value(endpoint, tag, counter)
    for tag in form.find_all("button"):
        if tag.get("name"):
            data.setdefault("__submit__", (tag["name"], tag.get("value", "")))
    if "__submit__" in data:
        submit_name, submit_value = data.pop("__submit__")
        data.setdefault(submit_name, submit_value)
    return data


def folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def kept_somewhere(expected: str) -> bool:
    """`expected` (folded) is the whole or a part of a text column of some row."""
    needle = folded(expected)
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            if any(isinstance(value, str) and needle in folded(value) for value in row):
                return True
    return False


def error_id(tag) -> str:
    """Where a field's error is said: beside the field, or beside the group of a date's three boxes."""
    group = tag.find_parent("fieldset", attrs={"role": "group"})
    return group["id"] if group is not None else tag.get("id", tag["name"])


def error_next_to(page: BeautifulSoup, field_id: str) -> str:
    node = page.find(id=f"{field_id}-error")
    return node.get_text(" ", strip=True) if node else ""


def any_error(page: BeautifulSoup) -> bool:
    return bool(page.select(".govuk-error-message, #error-summary, [role=alert]"))


# --- The properties -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_any_text_in_any_form_is_refused_next_to_its_field_or_kept_as_typed(app, endpoint):
    client, url = FORMS[endpoint](app)
    path = urlsplit(url).path
    page = soup_of(client.get(url))
    form = form_on(page, path)
    assert form is not None, f"{endpoint}: no form with a text field at {url}"
    fields = [(tag["name"], error_id(tag), tag.name == "textarea", tag.get("type") == "password")
              for tag in text_fields(form)]
    db.session.commit()  # what the set-up wrote stays below the examples' savepoints
    db.session.remove()
    connection = db.session.get_bind()
    cookies = dict(client._cookies)
    counter = [0]

    @SETTINGS
    @given(field=st.sampled_from(fields), text=texts, around=st.booleans())
    def submit(field, text, around):
        name, field_id, multiline, password = field
        key = name.rsplit("-", 1)[-1]
        if around and not password:
            text = f"{valid_value(endpoint, form.find(attrs={'name': name}), counter)} {text} {SENTENCE[:20]}"
        limiter.reset()
        db.session.remove()
        savepoint = connection.begin_nested()
        try:
            browser = app.test_client()
            browser._cookies = dict(cookies)
            data = filled(endpoint, form, name, text, counter)
            response = browser.post(path, data=data, headers={"Accept-Language": "fr"})
            assert response.status_code < 500, f"{endpoint} {name}={text!r}: {response.status_code}"
            shown = soup_of(response) if response.mimetype == "text/html" else None
            if password:
                refused = "\x00" if "\x00" in text else None
            else:
                refused = safe_text.refused_character(safe_text.normalise(text, multiline), multiline)
            if refused is not None:
                assert response.status_code == 200 and shown is not None, (
                    f"{endpoint} {name}={text!r} accepted: {response.status_code} {response.headers.get('Location')}")
                assert safe_text.code_point(refused) in error_next_to(shown, field_id) or (
                    "une seule ligne" in error_next_to(shown, field_id)), f"{endpoint} {name}={text!r}"
                return
            expected = safe_text.normalise(text, multiline)
            if response.status_code >= 400 or (shown is not None and any_error(shown)):
                return  # refused for another reason, said on the page (a length, a format, an unknown address)
            if not expected or key in NOT_KEPT or f"{endpoint}:{key}" in NOT_KEPT:
                return
            if response.status_code in (301, 302, 303):
                landing = browser.get(response.headers["Location"].removeprefix(flow.BASE))
                if landing.mimetype == "text/html" and folded(expected) in folded(soup_of(landing).get_text(" ")):
                    return
            assert kept_somewhere(expected), f"{endpoint} {name}={text!r}: accepted but neither shown nor kept"
        finally:
            db.session.remove()
            savepoint.rollback()

    submit()


QUERIES = [("/cours", "q"), ("/cours", "page"), ("/cours", "categorie"), ("/cours", "niveau"), ("/cours", "format"),
           ("/certificats", "identifiant"), ("/connexion", "next"), ("/inscription", "next"), ("/langue/en", "next"),
           ("/contact", "parcours"), ("/contact", "sujet"), ("/forum/general", "page"), ("/forum", "page")]


def test_every_page_without_parameters_answers_any_query_without_a_server_error(app):
    """Views ignore what they do not read: every page of the URL map, with generated names and values."""
    client = _signed_in(app, subscriber("query.reader@example.org"))
    pages = sorted(rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static.serve")

    @settings(SETTINGS, max_examples=3 * EXAMPLES)
    @given(url=st.sampled_from(pages), name=st.sampled_from(["q", "page", "next", "x"]) | texts, value=texts)
    def visit(url, name, value):
        limiter.reset()
        response = client.get(url, query_string={name: value})
        assert response.status_code < 500, f"{url}?{name!r}={value!r}: {response.status_code}"

    visit()


@pytest.mark.parametrize(("url", "name"), QUERIES)
def test_any_text_in_a_query_parameter_answers_a_page_never_a_server_error(app, url, name):
    client = _signed_in(app, subscriber("query.reader@example.org"))

    @SETTINGS
    @given(value=texts | st.integers(min_value=-(2**80), max_value=2**80).map(str))
    def visit(value):
        limiter.reset()
        response = client.get(url, query_string={name: value})
        assert response.status_code < 500, f"{url}?{name}={value!r}: {response.status_code}"
        if "\x00" in value:
            assert response.status_code == 400
        if response.status_code in (301, 302, 303):
            location = response.headers["Location"]
            assert not safe_text.has_control(location) and not urlsplit(location).netloc.endswith("example")

    visit()


def test_any_text_or_number_in_any_address_answers_a_page_never_a_server_error(app):
    """Every GET rule of the URL map, its parts filled with generated text (a slug, a token, a reference) or
    numbers of any size (an id)."""
    client = _signed_in(app, subscriber("path.reader@example.org"))
    rules = sorted((rule for rule in app.url_map.iter_rules()
                    if "GET" in rule.methods and rule.arguments and rule.endpoint != "static.serve"),
                   key=lambda rule: rule.rule)
    numbers = st.integers(min_value=-(2**80), max_value=2**80).map(str)

    @settings(SETTINGS, max_examples=4 * EXAMPLES)  # one request each: cheap, and there are many rules
    @given(rule=st.sampled_from(rules), data=st.data())
    def visit(rule, data):
        limiter.reset()
        url = rule.rule
        for name, converter in rule._converters.items():
            value = data.draw(numbers if converter.regex.startswith("\\d") else texts.filter(bool), label=name)
            url = re.sub(rf"<(?:[a-z]+:)?{name}>", quote(value, safe=""), url)
        response = client.get(url)
        assert response.status_code < 500, f"{url}: {response.status_code}"

    visit()
