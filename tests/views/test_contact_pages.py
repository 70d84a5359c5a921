""""Nous contacter" (form, errors, confirmation), the staff back office of requests, and the Student Rules page,
as a person uses them in a browser without JavaScript."""

import pytest

from app.extensions import db, limiter
from app.models import ContactRequest, OutboxMessage
from tests.conftest import PASSWORD, soup_of, text_of
from tests.factories import make_staff

PARCOURS_SLUG = "developpeur-application-python"
CONTACT = {
    "name": "Camille Durand", "email": "camille@example.org", "phone": "06 12 34 56 78", "question": "premium",
    "parcours": "", "message": "Mon paiement de novembre apparaît deux fois sur mon relevé.",
}
QUESTIONS_FR = [
    "Une question sur le contenu d'un Parcours", "Les prérequis et l'admission", "Le financement et le prix",
    "Mon abonnement Premium ou un paiement", "Un problème technique ou un service indisponible",
    "Une réclamation : un litige avec nous", "Autre chose",
]


def label_of(soup, field_id: str) -> str:
    return text_of(soup.select_one(f"label[for={field_id}]"))


@pytest.fixture
def staff(client):
    member = make_staff("equipe@example.org")
    db.session.commit()
    return member


def sign_in(client, user) -> None:
    assert client.post("/connexion", data={"email": user.email, "password": PASSWORD}).status_code == 302


def send_request(client, **changes) -> ContactRequest:
    response = client.post("/contact", data={**CONTACT, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return db.session.query(ContactRequest).order_by(ContactRequest.id.desc()).first()


# --- "Nous contacter" ---------------------------------------------------------------------------------------


@pytest.mark.clause("CGS-2.2-B4")
@pytest.mark.clause("CGS-10-03")
def test_contact_page_keeps_the_details_and_offers_the_form(page, app):
    soup = page("/contact")
    address = text_of(soup.select_one("address"))
    assert app.config["COMPANY"]["address"] in address and app.config["COMPANY"]["phone"] in address
    assert app.config["COMPANY"]["support_email"] in address
    assert "AME Conso" in text_of(soup.select_one("main"))
    form = soup.select_one("main form[method=post][action='/contact']")
    assert form is not None
    assert label_of(form, "name") == "Nom et prénom"
    assert label_of(form, "email") == "Adresse email"
    assert label_of(form, "phone") == "Téléphone (facultatif)"
    assert label_of(form, "question") == "Votre question porte sur"
    assert label_of(form, "message") == "Votre message"
    assert form.select_one("input#name")["autocomplete"] == "name"
    assert form.select_one("input#email[type=email]")["autocomplete"] == "email"
    assert form.select_one("input#phone[type=tel]")["autocomplete"] == "tel"
    assert form.select_one("input#phone").get("aria-required") is None  # optional
    assert form.select_one("textarea#message")["aria-required"] == "true"
    options = form.select("select#question option")
    assert options[0]["value"] == "" and [text_of(o) for o in options[1:]] == QUESTIONS_FR
    button = form.select_one("button[type=submit]")
    assert text_of(button) == "Envoyer"


def test_contact_form_in_english(page):
    soup = page("/contact", lang="en")
    assert text_of(soup.h1) == "Contact Student Success"
    assert label_of(soup, "name") == "Full name"
    assert label_of(soup, "phone") == "Phone (optional)"
    assert "A technical problem or a service that is unavailable" in [
        text_of(o) for o in soup.select("select#question option")]
    assert text_of(soup.select_one("main form button[type=submit]")) == "Send"


@pytest.mark.clause("CGS-1-08")
@pytest.mark.clause("CGS-2.2-B4")
@pytest.mark.clause("CGS-10-03")
def test_sending_the_form_stores_the_request_and_acknowledges_it(client):
    response = client.post("/contact", data=CONTACT, headers={"Accept-Language": "fr"})
    assert response.status_code == 302 and response.headers["Location"] == "/contact/demande-envoyee"
    row = db.session.query(ContactRequest).one()
    assert (row.name, row.email, row.phone, row.question.value) == (
        "Camille Durand", "camille@example.org", "06 12 34 56 78", "premium")
    assert row.message == CONTACT["message"] and row.user_id is None and row.language == "fr"
    message = db.session.query(OutboxMessage).filter_by(recipient="camille@example.org").one()
    assert row.reference in message.subject and row.reference in message.body_text
    assert message.sent_at is not None  # delivered once the request was committed
    confirmation = soup_of(client.get("/contact/demande-envoyee"))
    assert text_of(confirmation.h1) == "Demande envoyée"
    body = text_of(confirmation.select_one("main"))
    assert row.reference in body and "camille@example.org" in body
    assert "Mon abonnement Premium ou un paiement" in body
    assert confirmation.select_one("main h2")  # what happens next


def test_the_confirmation_page_without_a_request_goes_back_to_the_form(client):
    response = client.get("/contact/demande-envoyee")
    assert response.status_code == 302 and response.headers["Location"] == "/contact"


@pytest.mark.clause("CGS-1-08")
def test_failed_submit_shows_errors_next_to_fields_and_loses_nothing(client):
    typed = {**CONTACT, "email": "pas-une-adresse", "question": "", "parcours": PARCOURS_SLUG,
             "message": "Ligne un\nLigne deux"}
    response = client.post("/contact", data=typed, headers={"Accept-Language": "fr"})
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Erreur : ")
    summary = soup.select_one("#error-summary")
    assert summary.select_one(":scope > [role=alert]") is not None  # GOV.UK: the focused block holds the alert
    assert {a["href"] for a in summary.select("a")} == {"#email", "#question"}
    for field_id in ("email", "question"):
        control = soup.select_one(f"#{field_id}")
        assert control["aria-invalid"] == "true"
        assert f"{field_id}-error" in control["aria-describedby"].split()
    assert "Indiquez une adresse email valide" in text_of(soup.select_one("#email-error"))
    assert "Choisissez le sujet de votre question" in text_of(soup.select_one("#question-error"))
    assert soup.select_one("#name")["value"] == "Camille Durand"
    assert soup.select_one("#email")["value"] == "pas-une-adresse"
    assert soup.select_one("#phone")["value"] == "06 12 34 56 78"
    assert soup.select_one("#parcours option[selected]")["value"] == PARCOURS_SLUG
    assert soup.select_one("#message").get_text().strip() == "Ligne un\nLigne deux"
    assert db.session.query(ContactRequest).count() == 0
    assert db.session.query(OutboxMessage).count() == 0


def test_an_unknown_question_posted_is_reported_on_the_question_field(client):
    soup = soup_of(client.post("/contact", data={**CONTACT, "question": "remboursement"}))
    assert "Choisissez le sujet" in text_of(soup.select_one("#question-error"))
    assert db.session.query(ContactRequest).count() == 0


def test_failed_submit_in_english(client):
    soup = soup_of(client.post("/contact", data={**CONTACT, "message": ""}, headers={"Accept-Language": "en"}))
    assert soup.title.get_text().startswith("Error: ")
    assert text_of(soup.select_one("#message-error")) == "Error: Write your message."


def test_a_signed_in_learner_finds_name_and_email_filled_in(client, signed_in):
    soup = soup_of(client.get("/contact"))
    assert soup.select_one("#name")["value"] == "Léa Martin"
    assert soup.select_one("#email")["value"] == signed_in.email
    row = send_request(client, name="Léa Martin", email=signed_in.email)
    assert row.user_id == signed_in.id


@pytest.mark.clause("CGS-2.2-B4")
def test_contact_from_a_parcours_preselects_the_question_and_remembers_the_parcours(client, page):
    soup = page(f"/contact?parcours={PARCOURS_SLUG}")
    assert soup.select_one("#question option[selected]")["value"] == "parcours"
    assert soup.select_one("#parcours option[selected]")["value"] == PARCOURS_SLUG
    assert label_of(soup, "parcours") == "Parcours concerné (facultatif)"
    row = send_request(client, question="parcours", parcours=PARCOURS_SLUG)
    assert row.parcours.slug == PARCOURS_SLUG and row.question.value == "parcours"
    assert row.parcours.title_fr in db.session.query(OutboxMessage).one().body_text
    unknown = page("/contact?parcours=nexiste-pas")
    assert not [o["value"] for o in unknown.select("#question option[selected], #parcours option[selected]")
                if o["value"]]


def test_contact_form_is_rate_limited(app, client):
    app.config["SIGNIN_RATE_LIMIT"] = "3 per minute"
    limiter.reset()
    try:
        codes = [client.post("/contact", data={**CONTACT, "message": ""}).status_code for _ in range(4)]
    finally:
        app.config["SIGNIN_RATE_LIMIT"] = "1000 per minute"
        limiter.reset()
    assert codes == [200, 200, 200, 429]


# --- Staff back office --------------------------------------------------------------------------------------


@pytest.mark.clause("CGS-2.2-B4")
def test_staff_list_the_requests_in_a_real_table(client, staff):
    row = send_request(client, name="Camille <Durand>")
    sign_in(client, staff)
    soup = soup_of(client.get("/equipe/demandes"))
    assert text_of(soup.h1) == "Demandes des apprenants"
    table = soup.select_one("table#open-requests")
    assert "en attente de réponse" in text_of(table.caption)
    headers = [text_of(th) for th in table.select("thead th[scope=col]")]
    assert headers == ["Référence", "Reçue le", "Nom", "Sujet", "Parcours", "Langue"]
    first = table.select_one("tbody tr")
    link = first.select_one("th[scope=row] a")
    assert text_of(link) == row.reference and link["href"] == f"/equipe/demandes/{row.id}"
    assert "Camille <Durand>" in text_of(first)  # escaped, shown as typed
    assert "Mon abonnement Premium ou un paiement" in text_of(first)


@pytest.mark.clause("CGS-2.2-B4")
def test_staff_answer_is_emailed_to_the_learner_and_closes_the_request(client, staff):
    row = send_request(client)
    client.post("/deconnexion")
    sign_in(client, staff)
    detail = soup_of(client.get(f"/equipe/demandes/{row.id}"))
    assert text_of(detail.h1) == f"Demande {row.reference}"
    assert CONTACT["message"] in text_of(detail.select_one("main"))
    form = detail.select_one(f"form[action='/equipe/demandes/{row.id}']")
    assert label_of(form, "answer") == "Votre réponse"
    empty = soup_of(client.post(f"/equipe/demandes/{row.id}", data={"answer": ""}))
    assert "Écrivez la réponse." in text_of(empty.select_one("#answer-error"))
    done = client.post(f"/equipe/demandes/{row.id}", data={"answer": "Le doublon est remboursé sous 5 jours."})
    assert done.status_code == 302 and done.headers["Location"] == "/equipe/demandes"
    db.session.refresh(row)
    assert row.answer == "Le doublon est remboursé sous 5 jours." and row.answered_by_id == staff.id
    assert row.answered_at is not None
    mail = db.session.query(OutboxMessage).filter_by(recipient="camille@example.org") \
        .order_by(OutboxMessage.id.desc()).first()
    assert row.reference in mail.subject and "Le doublon est remboursé sous 5 jours." in mail.body_text
    assert mail.sent_at is not None
    listing = soup_of(client.get("/equipe/demandes"))
    assert listing.select_one("table#open-requests") is None
    assert row.reference in text_of(listing.select_one("table#answered-requests"))
    after = soup_of(client.get(f"/equipe/demandes/{row.id}"))
    assert after.select_one("textarea#answer") is None
    assert "Le doublon est remboursé" in text_of(after.select_one("main"))


@pytest.mark.clause("CGS-2.2-B4")
def test_the_back_office_is_not_found_for_visitors_and_learners(client, user, staff):
    row = send_request(client)
    urls = ["/equipe/demandes", f"/equipe/demandes/{row.id}"]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(urls[1], data={"answer": "Pirate"}).status_code == 404
    sign_in(client, user)
    for url in urls:
        response = client.get(url, headers={"Accept-Language": "fr"})
        assert response.status_code == 404, url
        assert text_of(soup_of(response).h1) == "Page introuvable"
    assert client.post(urls[1], data={"answer": "Pirate"}).status_code == 404
    db.session.refresh(row)
    assert row.answer is None
    client.post("/deconnexion")
    sign_in(client, staff)
    assert client.get("/equipe/demandes/999999").status_code == 404


# --- Student Rules ------------------------------------------------------------------------------------------

RULES_ARTICLES = {
    "fr": ["Objet et champ d'application", "Assiduité aux séances de mentorat", "Comportement et respect",
           "Originalité des projets et plagiat", "Utilisation de la Plateforme et des données des apprenants",
           "Sanctions", "Procédure", "Réclamations"],
    "en": ["Purpose and scope", "Attendance at mentoring sessions", "Conduct and respect",
           "Originality of projects and plagiarism", "Use of the Platform and of learners' data", "Sanctions",
           "Procedure", "Complaints"],
}


@pytest.mark.clause("CGS-2.2-E1")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_student_rules_page_has_title_articles_and_a_working_table_of_contents(page, lang):
    soup = page("/reglement-interieur", lang=lang)
    assert text_of(soup.h1) == {"fr": "Règlement intérieur étudiant", "en": "Student Rules"}[lang]
    assert "2026" in text_of(soup.select_one("main .meta"))
    articles = [text_of(h) for h in soup.select("#rules-body h2")]
    assert len(articles) == len(RULES_ARTICLES[lang])
    for article, expected in zip(articles, RULES_ARTICLES[lang], strict=True):
        assert article.endswith(expected), article
    links = soup.select("nav.toc a")
    assert [text_of(a) for a in links] == articles
    for link in links:
        target = soup.select_one(link["href"])
        assert target is not None and target.name == "h2", link["href"]
    assert soup.select_one("#rules-body h1") is None  # the page's h1 is the only one
    assert soup.select_one("a[href='/conditions-generales.pdf']") is None  # no PDF for the rules
    # Read aloud like the terms: the panel (shown by the script where the browser can speak) reads these articles,
    # and the ways to hear them without it are given.
    panel = soup.select_one("section#read-aloud")
    assert panel["data-target"] == "rules-body" and panel.has_attr("hidden")
    listen = text_of(soup.select_one("aside[aria-labelledby=listen-title]"))
    assert {"fr": "Sur Windows, avec le Narrateur", "en": "On Windows, with Narrator"}[lang] in listen


@pytest.mark.clause("CGS-2.2-E1")
def test_student_rules_set_attendance_sanctions_and_the_right_to_be_heard(page):
    body = text_of(page("/reglement-interieur").select_one("#rules-body"))
    assert "au moins 24 heures à l'avance" in body
    assert "Deux absences non justifiées sur une période glissante de trois mois entraînent un avertissement" in body
    assert "la résiliation de l'Abonnement Premium Plus à notre initiative" in body
    assert "Vous disposez de 8 jours" in body
    assert "notifiée par écrit et indique son motif" in body
    english = text_of(page("/reglement-interieur", lang="en").select_one("#rules-body"))
    assert "at least 24 hours in advance" in english and "termination of the Premium Plus Subscription" in english


def test_every_page_links_the_student_rules_after_the_terms(page):
    for url in ("/", "/contact", "/conditions-generales"):
        links = [a["href"] for a in page(url).select("footer a")]
        assert links[links.index("/conditions-generales") + 1] == "/reglement-interieur", url
    assert text_of(page("/", lang="en").select_one("footer a[href='/reglement-interieur']")) == "Student Rules"
