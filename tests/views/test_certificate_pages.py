"""Certificates of achievement in the browser-less client (CGS-2.1-A2, CGS-2.2-A3): the "Certificats" tab of
Mes paramètres, the learner's HTML view and stored PDF (owner only), the public verification page (valid,
unknown, revoked, rate-limited), the "Vérifier un certificat" form and the opt-in public profile.

Certificates are issued here with `completion.issue` (what `record_progress` calls once a course is passed);
the course-passed rule itself is proven in tests/services/test_certificates.py through the quiz and
peer-review services.
"""

import hashlib
import io
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db, limiter
from app.models import CertificatePdf, Course
from app.services.common import clock
from app.services.learning import certificates, completion
from tests.conftest import PASSWORD, make_user, text_of
from tests.pdf_checks import figure_alternatives, normalised, structure_kinds

A2 = pytest.mark.clause("CGS-2.1-A2")
A3 = pytest.mark.clause("CGS-2.2-A3")
TAB = "/compte/parametres/certificats"
SLUG = "developpement-web-flask"


@pytest.fixture
def course(app):
    return db.session.scalar(select(Course).where(Course.slug == SLUG))


@pytest.fixture
def issued(app, signed_in, course):
    """Léa Martin (signed in) passed the Flask course with 84 % on 26 November 2026."""
    clock.freeze(datetime(2026, 11, 26, 15, 30, tzinfo=clock.PARIS))
    certificate = completion.issue(signed_in, course, 84)
    db.session.commit()
    return certificate


def fields_of(soup) -> dict[str, str]:
    """The certificate's fields as shown: label -> value."""
    fields = soup.select_one("main dl.certificate-fields")
    return {text_of(row.dt): text_of(row.dd) for row in fields.find_all("div")}


def sign_in_as_someone_else(app):
    other = app.test_client()
    make_user("noah.bernard@example.org")
    assert other.post("/connexion", data={"email": "noah.bernard@example.org", "password": PASSWORD}).status_code == 302
    return other


def verification_url(app, certificate) -> str:
    return f"{app.config['PUBLIC_BASE_URL']}/certificats/{certificate.public_id}"


# --- The "Certificats" tab -----------------------------------------------------------------------------------

@A2
@A3
def test_the_certificates_tab_lists_each_certificate_with_its_pdf_view_linkedin_and_link(app, page, issued, course):
    soup = page(TAB)
    assert text_of(soup.h1) == "Mes paramètres"
    current = soup.select_one("nav.tabs-nav a[aria-current='page']")
    assert text_of(current) == "Certificats" and current["href"] == TAB
    item = soup.select_one(f"#certificate-{issued.public_id}")
    assert text_of(item.h3) == course.title_fr
    assert "Délivré le 26 novembre 2026, note obtenue : 84 %." in text_of(item)
    pdf = item.select_one(f"a[href='/compte/certificats/{issued.public_id}.pdf']")
    assert text_of(pdf) == f"Télécharger le certificat « {course.title_fr} » (PDF)"
    assert pdf["type"] == "application/pdf"
    view = item.select_one(f"a[href='/compte/certificats/{issued.public_id}']")
    assert text_of(view) == f"Voir le certificat « {course.title_fr} »"
    linkedin = item.select_one("a.linkedin-link")
    assert text_of(linkedin) == f"Ajouter à mon profil LinkedIn : certificat « {course.title_fr} »"
    # Without JavaScript: a labelled read-only field holding the verification address; the button is hidden
    # until the script finds the clipboard API.
    field = item.select_one("input[readonly]")
    assert field["value"] == verification_url(app, issued)
    assert text_of(soup.select_one(f"label[for='{field['id']}']")) == \
        f"Lien de vérification du certificat « {course.title_fr} »"
    button = item.select_one("button.copy-link-button")
    assert button.has_attr("hidden") and button["type"] == "button"
    assert button["data-copy-target"] == field["id"] and button["data-copied"] == "Lien copié"
    assert soup.select_one("script[src*='js/copy-link']") is not None


@A2
def test_the_linkedin_link_uses_the_public_add_to_profile_parameters(app, page, issued, course):
    href = page(TAB).select_one("a.linkedin-link")["href"]
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    parameters = {name: values[0] for name, values in parse_qs(parts.query).items()}
    assert parameters == {
        "startTask": "CERTIFICATION_NAME", "name": course.title_fr,
        "organizationName": app.config["COMPANY"]["name"], "issueYear": "2026", "issueMonth": "11",
        "certUrl": verification_url(app, issued), "certId": issued.public_id,
    }


@A3
def test_a_learner_without_certificates_is_told_how_to_earn_one_and_that_they_are_digital(page, signed_in):
    soup = page(TAB)
    assert text_of(soup.select_one("#no-certificates")).startswith("Vous n'avez pas encore de certificat.")
    body = text_of(soup.main)
    assert "Il est uniquement numérique : un PDF et une page de vérification publique" in body
    # Digital only: nothing in the tab offers a paper copy or asks for a postal address.
    assert not soup.select("main input[name*=address], main input[name*=postal], main select")
    assert "courrier" not in body.lower() and "papier" not in body.lower()


def test_the_certificates_tab_is_in_english_for_an_english_reader(page, issued, course):
    soup = page(TAB, lang="en")
    assert text_of(soup.h1) == "My settings"
    item = soup.select_one(f"#certificate-{issued.public_id}")
    assert text_of(item.h3) == course.title_en
    assert text_of(item.select_one("a[download]")) == f"Download the certificate “{course.title_en}” (PDF)"
    assert text_of(item.select_one("a.linkedin-link")).startswith("Add to my LinkedIn profile")
    assert text_of(item.select_one("button.copy-link-button")).startswith("Copy the link")


def test_the_certificates_tab_needs_an_account(client):
    response = client.get(TAB)
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


# --- The learner's HTML view and PDF -------------------------------------------------------------------------

@A2
def test_the_owner_sees_every_field_of_their_certificate(app, page, issued, course):
    soup = page(f"/compte/certificats/{issued.public_id}")
    assert text_of(soup.h1) == f"Certificat de réussite — {course.title_fr}"
    assert fields_of(soup) == {
        "Nature du document": "Certificat de réussite d'un cours", "Titulaire": "Léa Martin",
        "Cours réussi": course.title_fr, "Date de délivrance": "26 novembre 2026",
        "Note obtenue": "84 %", "Identifiant": issued.public_id, "Délivré par": app.config["COMPANY"]["name"],
    }
    assert soup.select_one(f"main a[href='/certificats/{issued.public_id}']") is not None
    assert soup.select_one("#certificate-url")["value"] == verification_url(app, issued)


@A2
def test_nobody_else_sees_or_downloads_a_learners_certificate(app, issued):
    other = sign_in_as_someone_else(app)
    for url in (f"/compte/certificats/{issued.public_id}", f"/compte/certificats/{issued.public_id}.pdf"):
        response = other.get(url)
        assert response.status_code == 404
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert text_of(soup.h1) == "Page introuvable"
    anonymous = app.test_client()
    assert anonymous.get(f"/compte/certificats/{issued.public_id}.pdf").status_code == 302


@A2
@A3
def test_the_pdf_is_a_tagged_document_in_the_pages_language_with_a_qr_code(app, client, issued, course,
                                                                           weasyprint_errors):
    response = client.get(f"/compte/certificats/{issued.public_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f'filename="certificat-{issued.public_id}.pdf"' in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    text = normalised(" ".join(page.extract_text() for page in reader.pages))
    for expected in ("Certificat de réussite", "Léa Martin", course.title_fr, "26 novembre 2026", "84 %",
                     issued.public_id, app.config["COMPANY"]["name"], "uniquement sous forme numérique"):
        assert expected in text, expected
    # The verification address is printed (wrapped over lines: compare without spaces) and is a link.
    assert verification_url(app, issued) in text.replace(" ", "")
    links = [annotation.get_object()["/A"]["/URI"] for annotation in reader.pages[0]["/Annots"]]
    assert set(links) == {verification_url(app, issued)}
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert {"/Document", "/H1", "/Figure", "/L"} <= structure_kinds(reader)
    assert reader.metadata.title == f"Certificat de réussite — {course.title_fr}"
    assert len(reader.pages) == 1 and len(reader.pages[0].images) == 1  # the QR code
    alternative = f"Code QR menant à la page de vérification : {verification_url(app, issued)}"
    assert figure_alternatives(reader) == [alternative]


def pdf_text(response) -> tuple[PdfReader, str]:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return reader, normalised(" ".join(page.extract_text() for page in reader.pages))


@A2
def test_a_french_learners_pdf_downloaded_from_an_english_page_is_in_english(app, client, issued, course,
                                                                            weasyprint_errors):
    assert issued.user.locale == "fr"
    client.get("/langue/en")  # the learner reads the site in English
    response = client.get(f"/compte/certificats/{issued.public_id}.pdf")
    assert response.headers["Content-Language"] == "en"
    reader, text = pdf_text(response)
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata.title == f"Certificate of achievement — {course.title_en}"
    for expected in ("Certificate of achievement", "passed the course", course.title_en, "November 26, 2026",
                     "84%", "Certificate issued in digital form only.", issued.public_id, "Léa Martin"):
        assert expected in text, expected
    assert "Certificat de réussite" not in text and course.title_fr not in text
    assert {"/Document", "/H1", "/Figure", "/L"} <= structure_kinds(reader)
    # The tab's download link says which language it comes in: the page's.
    soup = BeautifulSoup(client.get(TAB).get_data(as_text=True), "html.parser")
    assert soup.select_one(f"a[href='/compte/certificats/{issued.public_id}.pdf']")["hreflang"] == "en"


@A2
def test_the_same_pdf_downloaded_from_a_french_page_is_in_french(app, client, issued, course, weasyprint_errors):
    client.get("/langue/en")
    pdf_text(client.get(f"/compte/certificats/{issued.public_id}.pdf"))
    client.get("/langue/fr")
    reader, text = pdf_text(client.get(f"/compte/certificats/{issued.public_id}.pdf"))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert reader.metadata.title == f"Certificat de réussite — {course.title_fr}"
    assert "Certificat de réussite" in text and course.title_fr in text and "26 novembre 2026" in text
    assert "Certificate of achievement" not in text


def test_the_pdf_of_an_english_reader_is_in_english_whatever_their_language_at_issue(app, client, course,
                                                                                   weasyprint_errors):
    learner = make_user("olivia.smith@example.org")
    learner.locale = "en"
    certificate = completion.issue(learner, course, 91)
    db.session.commit()
    assert client.post("/connexion", data={"email": learner.email, "password": PASSWORD}).status_code == 302
    reader, text = pdf_text(client.get(f"/compte/certificats/{certificate.public_id}.pdf",
                                       headers={"Accept-Language": "en"}))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "Certificate of achievement" in text and course.title_en in text and certificate.public_id in text
    reader, text = pdf_text(client.get(f"/compte/certificats/{certificate.public_id}.pdf",
                                       headers={"Accept-Language": "fr"}))
    assert reader.trailer["/Root"]["/Lang"] == "fr" and "Certificat de réussite" in text


@A2
def test_each_language_is_rendered_once_then_served_as_stored(app, client, issued, monkeypatch):
    rendered = []
    render = certificates.render

    def counting(certificate, language, url):
        rendered.append(language)
        return render(certificate, language, url)

    monkeypatch.setattr(certificates, "render", counting)
    url = f"/compte/certificats/{issued.public_id}.pdf"
    french = client.get(url, headers={"Accept-Language": "fr"}).data
    assert client.get(url, headers={"Accept-Language": "fr"}).data == french
    english = client.get(url, headers={"Accept-Language": "en"}).data
    assert client.get(url, headers={"Accept-Language": "en"}).data == english
    assert client.get(url, headers={"Accept-Language": "fr"}).data == french
    assert rendered == ["fr", "en"] and english != french
    stored = {row.language: row for row in db.session.scalars(
        select(CertificatePdf).where(CertificatePdf.certificate_id == issued.id))}
    assert set(stored) == {"fr", "en"}
    assert stored["fr"].content == french and stored["en"].content == english
    assert stored["fr"].sha256 == hashlib.sha256(french).hexdigest()
    assert stored["en"].sha256 == hashlib.sha256(english).hexdigest()


# --- The public verification page ----------------------------------------------------------------------------

@A2
@A3
def test_anyone_can_verify_a_certificate_and_see_every_field_without_an_account(app, issued, course):
    response = app.test_client().get(f"/certificats/{issued.public_id}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert text_of(soup.h1) == "Vérification d'un certificat"
    assert text_of(soup.select_one("#verification-result h2")) == "Ce certificat est authentique et valide"
    assert fields_of(soup) == {
        "Nature du document": "Certificat de réussite d'un cours", "Titulaire": "Léa Martin",
        "Cours réussi": course.title_fr, "Date de délivrance": "26 novembre 2026",
        "Note obtenue": "84 %", "Identifiant": issued.public_id, "Délivré par": app.config["COMPANY"]["name"],
    }
    assert soup.select_one("form[method=get] input[name=identifiant]") is not None


def test_the_verification_page_is_in_english_for_an_english_reader(app, page, issued, course):
    soup = page(f"/certificats/{issued.public_id}", lang="en")
    assert text_of(soup.h1) == "Certificate verification"
    assert text_of(soup.select_one("#verification-result h2")) == "This certificate is genuine and valid"
    fields = fields_of(soup)
    assert fields["Course passed"] == course.title_en and fields["Grade"] == "84%"
    assert fields["Date of issue"] == "November 26, 2026"


@A2
def test_an_unknown_identifier_is_said_not_to_exist(app, page):
    for identifier in ("AAAAAAAAAAAAAAAAAAAAAAAA", "not a certificate"):
        soup = page(f"/certificats/{identifier}", status=404)
        assert text_of(soup.h1) == "Certificat introuvable"
        result = text_of(soup.select_one("#verification-result"))
        assert f"Aucun certificat ne porte l'identifiant « {identifier} »." in result
        assert soup.select_one("input[name=identifiant]")["value"] == identifier
    soup = page("/certificats/AAAAAAAAAAAAAAAAAAAAAAAA", lang="en", status=404)
    assert text_of(soup.h1) == "Certificate not found"


@A2
def test_a_revoked_certificate_says_so_with_the_date_and_the_reason(app, page, issued):
    clock.freeze(datetime(2027, 1, 8, 11, 0, tzinfo=clock.PARIS))
    certificates.revoke(issued.public_id, "Fraude au quiz constatée")
    db.session.commit()
    soup = page(f"/certificats/{issued.public_id}")
    result = soup.select_one("#verification-result")
    assert text_of(result.h2) == "Ce certificat a été révoqué"
    assert "Il a été révoqué le 8 janvier 2027" in text_of(result) and "n'est plus valide" in text_of(result)
    assert "Motif : Fraude au quiz constatée" in text_of(result)
    assert fields_of(soup)["Identifiant"] == issued.public_id
    soup = page(f"/certificats/{issued.public_id}", lang="en")
    assert text_of(soup.select_one("#verification-result h2")) == "This certificate has been revoked"
    # Its owner no longer gets a LinkedIn link nor a link to share for it.
    item = page(TAB).select_one(f"#certificate-{issued.public_id}")
    assert "révoqué le 8 janvier 2027" in text_of(item)
    assert item.select_one("a.linkedin-link") is None and item.select_one("input[readonly]") is None


def test_the_verification_form_leads_to_the_certificates_page(app, client, page, issued):
    soup = page("/certificats")
    assert text_of(soup.h1) == "Vérifier un certificat"
    assert text_of(soup.select_one("label[for=identifiant]")) == "Identifiant du certificat"
    for typed in (issued.public_id, f"  {issued.public_id} ", issued.public_id.lower().replace("-", " "),
                  verification_url(app, issued)):
        response = client.get("/certificats", query_string={"identifiant": typed})
        assert response.status_code == 302 and response.headers["Location"] == f"/certificats/{issued.public_id}"


def test_an_identifier_in_lower_case_in_the_address_leads_to_the_printed_one(client, issued):
    response = client.get(f"/certificats/{issued.public_id.lower()}")
    assert response.status_code == 302 and response.headers["Location"] == f"/certificats/{issued.public_id}"


def test_an_empty_identifier_is_an_error_next_to_the_field(page):
    soup = page("/certificats?identifiant=+")
    assert text_of(soup.title).startswith("Erreur :")
    error = soup.select_one("#identifiant-error")
    assert text_of(error) == "Erreur : Indiquez l'identifiant du certificat."
    assert "identifiant-error" in soup.select_one("#identifiant")["aria-describedby"].split()
    assert soup.select_one("#error-summary a[href='#identifiant']") is not None


@A2
@pytest.mark.parametrize("lang, title", [("fr", "Trop de vérifications"), ("en", "Too many verifications")])
def test_the_public_verification_is_rate_limited(app, client, issued, lang, title):
    app.config["CERTIFICATE_VERIFY_RATE_LIMIT"] = "5 per minute"
    limiter.reset()
    try:
        codes = [client.get(f"/certificats/{issued.public_id}", headers={"Accept-Language": lang}).status_code
                 for _ in range(5)]
        blocked = client.get("/certificats?identifiant=x", headers={"Accept-Language": lang})
    finally:
        app.config["CERTIFICATE_VERIFY_RATE_LIMIT"] = "1000 per minute"
        limiter.reset()
    assert codes == [200] * 5 and blocked.status_code == 429
    soup = BeautifulSoup(blocked.get_data(as_text=True), "html.parser")
    assert text_of(soup.h1) == title and soup.html["lang"] == lang


def test_ordinary_pages_are_not_counted_by_the_verification_limit(app, client, issued):
    app.config["CERTIFICATE_VERIFY_RATE_LIMIT"] = "1 per minute"
    limiter.reset()
    try:
        codes = [client.get("/cours").status_code for _ in range(3)]
        first = client.get(f"/certificats/{issued.public_id}").status_code
    finally:
        app.config["CERTIFICATE_VERIFY_RATE_LIMIT"] = "1000 per minute"
        limiter.reset()
    assert codes == [200] * 3 and first == 200


# --- The public profile (opt-in) -----------------------------------------------------------------------------

@A2
def test_the_public_profile_is_off_by_default(app, page, issued):
    assert issued.user.public_profile is False and issued.user.public_profile_id is None
    soup = page(TAB)
    checkbox = soup.select_one("#public_profile")
    assert checkbox["type"] == "checkbox" and not checkbox.has_attr("checked")
    assert text_of(soup.select_one("label[for=public_profile]")) == "Rendre mon profil public"
    assert "à toute personne qui en connaît l'adresse" in text_of(soup.select_one("#public_profile-hint"))
    assert "public_profile-hint" in checkbox["aria-describedby"]
    assert text_of(soup.select_one("#public-profile-status")).startswith("Votre profil public est masqué")


@A2
def test_a_learner_who_opts_in_gets_a_public_profile_listing_their_valid_certificates(app, client, page, issued,
                                                                                      course):
    other_course = db.session.scalar(select(Course).where(Course.id != course.id).order_by(Course.id))
    revoked = completion.issue(issued.user, other_course, 75)
    certificates.revoke(revoked.public_id, "Erreur de délivrance")
    db.session.commit()
    response = client.post(f"{TAB}/profil-public", data={"public_profile": "y"})
    assert response.status_code == 302
    learner = issued.user
    db.session.refresh(learner)
    assert learner.public_profile is True and len(learner.public_profile_id) >= 16
    address = f"/profils/{learner.public_profile_id}"
    soup = page(TAB)
    assert soup.select_one("#public_profile").has_attr("checked")
    assert soup.select_one("#public-profile-url")["value"] == app.config["PUBLIC_BASE_URL"] + address

    profile = BeautifulSoup(app.test_client().get(address).get_data(as_text=True), "html.parser")
    assert text_of(profile.h1) == "Profil public de Léa Martin"
    rows = profile.select("#profile-certificates tbody tr")
    assert [text_of(row.th) for row in rows] == [course.title_fr]  # the revoked one is not listed
    assert rows[0].select_one("a")["href"] == f"/certificats/{issued.public_id}"
    assert learner.email not in text_of(profile)

    assert client.post(f"{TAB}/profil-public", data={}).status_code == 302  # opting out again
    assert app.test_client().get(address).status_code == 404


def test_a_profile_address_of_someone_who_never_opted_in_is_not_found(app, page, issued):
    page("/profils/AAAAAAAAAAAAAAAA", status=404)


@pytest.mark.clause("CGS-2.1-A2")
def test_the_course_page_shows_the_certificate_earned_and_links_to_it(page, issued, course):
    line = page(f"/cours/{SLUG}").select_one("#course-progress #certificate-status")
    assert line is not None
    assert f"avec {issued.grade_percent} %" in text_of(line).replace("\u202f", " ").replace("\u00a0", " ")
    assert line.select_one("a")["href"] == f"/compte/certificats/{issued.public_id}"
