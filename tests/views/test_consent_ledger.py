""""Ce que j'ai accepté" in Mes paramètres: each consent recorded for the learner, with its date, the box's text,
who gave it, and the document's version as it was accepted, readable again."""

from datetime import datetime

from app.extensions import db
from app.models import Consent, LegalDocumentVersion, User
from app.models.commerce import ConsentKind
from app.services.common import clock
from app.services.legal import documents
from tests import checkout_flow as flow
from tests.conftest import signed_in_client, soup_of, text_of
from tests.factories import make_user

PAGE = "/compte/parametres/consentements"


def rows_of(page) -> list[list[str]]:
    return [[text_of(cell) for cell in row.select("td")] for row in page.select("table#consents tbody tr")]


def test_a_subscriber_reads_each_consent_with_the_version_of_the_terms_they_accepted(client):
    clock.freeze(datetime(2027, 1, 31, 10, 0, tzinfo=clock.PARIS))
    flow.buy_solo(client)
    page = soup_of(client.get(PAGE))
    assert text_of(page.select_one(".tabs-nav a[aria-current=page]")) == "Ce que j'ai accepté"
    rows = rows_of(page)
    assert len(rows) == 3 and all(row[0] == "31 janvier 2027 à 10:00" and row[3] == "Vous" for row in rows)
    terms = documents.version_in_force(documents.TERMS)
    terms_row = next(row for row in page.select("table#consents tbody tr")
                     if "conditions générales de services" in text_of(row))
    link = terms_row.select_one("a")
    assert link["href"] == f"/conditions-generales/version/{terms.version}"
    assert f"Version {terms.version}" in text_of(link)
    declarations = [row for row in rows if row[2] == "Une déclaration, sans document"]
    assert len(declarations) == 2  # immediate access and the payment method's holder
    as_accepted = soup_of(client.get(link["href"]))
    assert text_of(as_accepted.h1) == "Conditions générales de services"


def test_a_premium_plus_learner_reads_the_student_rules_they_accepted(client):
    clock.freeze(datetime(2027, 1, 4, 9, 0, tzinfo=clock.PARIS))
    reference = flow.start(client, "/parcours/developpeur-application-python/demarrer")
    flow.details(client, reference)
    flow.payment_step(client, reference, consents=flow.PLUS_CONSENTS)
    rules = documents.version_in_force(documents.RULES)
    links = [a["href"] for a in soup_of(client.get(PAGE)).select("table#consents a")]
    assert f"/reglement-interieur/version/{rules.version}" in links
    assert text_of(soup_of(client.get(f"/reglement-interieur/version/{rules.version}")).h1)
    assert client.get("/reglement-interieur/version/0000-00").status_code == 404


def test_a_guardians_consent_is_shown_as_theirs_and_nobody_elses_consents_are_shown(app):
    learner, other = make_user("noah.leroy@example.org"), make_user("autre@example.org")
    terms = db.session.query(LegalDocumentVersion).filter_by(document=documents.TERMS).first()
    db.session.add_all([
        Consent(kind=ConsentKind.GUARDIAN_TERMS, user_id=learner.id, document_version_id=terms.id,
                wording="J'ai lu et j'accepte les conditions générales pour Noah.", given_by="claire.leroy@example.org",
                ip_address="127.0.0.1", given_at=clock.now()),
        Consent(kind=ConsentKind.TERMS, user_id=other.id, document_version_id=terms.id,
                wording="Une case d'un autre apprenant.", given_by=other.email, ip_address="127.0.0.1",
                given_at=clock.now())])
    db.session.commit()
    rows = rows_of(soup_of(signed_in_client(app, learner).get(PAGE)))
    assert len(rows) == 1
    assert rows[0][1] == "J'ai lu et j'accepte les conditions générales pour Noah."
    assert rows[0][3] == "Votre représentant légal (claire.leroy@example.org)"


def test_with_nothing_accepted_the_page_says_so_in_english_too(app):
    learner = make_user("lea.martin@example.org")
    db.session.query(User).filter_by(id=learner.id).update({"locale": "en"})
    page = soup_of(signed_in_client(app, learner).get(PAGE, headers={"Accept-Language": "en"}))
    assert page.select_one("table#consents") is None
    assert "You have not accepted anything yet" in text_of(page.main)
