"""Diplomas in the browser-less client (CGS-DEF-3, CGS-2.2-A3): the staff page of final defences
(`/equipe/soutenances`: staff only, a form per learner, errors next to the fields), then the diploma the
certificate machinery gives: the learner's "Certificats" tab, the HTML view, the PDF in the page's language, the
public verification page (French and English, valid and revoked) and the public profile.

Learners complete a Parcours by being issued the certificate of each of its courses (`completion.issue`); the
rules themselves are proven in tests/services/test_diplomas.py."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import Certificate, CertificateKind, DefenceDecision, OutboxMessage
from app.models.commerce import OfferKind
from app.services.common import clock
from app.services.learning import certificates, diplomas
from tests.banners import SUCCESS_MESSAGE
from tests.conftest import PASSWORD, date_fields, soup_of, text_of
from tests.diploma_candidates import (
    COMMENTS,
    COMPLETED_AT,
    DECIDED_AT,
    DEFENCE,
    complete,
    learner_with,
    parcours_named,
    staff_member,
)
from tests.pdf_checks import figure_alternatives, normalised, structure_kinds
from tests.plus_learners import mentor

DEF3 = pytest.mark.clause("CGS-DEF-3")
A3 = pytest.mark.clause("CGS-2.2-A3")
PAGE = "/equipe/soutenances"
TAB = "/compte/parametres/certificats"


def signed_in_client(app, email: str):
    client = app.test_client()
    assert client.post("/connexion", data={"email": email, "password": PASSWORD}).status_code == 302
    client.get(TAB)  # shows (and so clears) "Vous êtes connecté."
    return client


@pytest.fixture
def parcours(app):
    return parcours_named()


@pytest.fixture
def candidate(app, parcours):
    """Léa Martin, Premium Plus on the Python Parcours, passed all its courses on 1 December 2026; it is now
    15 December 2026."""
    clock.freeze(COMPLETED_AT)
    learner = learner_with(OfferKind.PLUS)
    complete(learner, parcours)
    clock.freeze(DECIDED_AT)
    return learner


@pytest.fixture
def staff(app):
    member = staff_member()
    return signed_in_client(app, member.email)


@pytest.fixture
def diploma(app, candidate, parcours) -> Certificate:
    """Léa's diploma: her defence on 14 December 2026 was favourable."""
    decision = diplomas.record_decision(candidate, parcours, staff_member("jury.secretary@example.org"), DEFENCE,
                                        True, COMMENTS)
    db.session.commit()
    return decision.diploma


@pytest.fixture
def learner_client(app, candidate):
    return signed_in_client(app, candidate.email)


def section_of(soup, learner, parcours):
    return soup.select_one(f"#defence-{learner.id}-{parcours.id}")


def decision_form(learner, parcours, **fields) -> dict:
    """The learner's form as posted; `defended_on` as "YYYY-MM-DD", posted in its three boxes."""
    prefix = f"defence-{learner.id}-{parcours.id}"
    defended_on = fields.pop("defended_on", None)
    return {"user_id": learner.id, "parcours_id": parcours.id,
            **{f"{prefix}-{name}": value for name, value in fields.items()},
            **(date_fields(f"{prefix}-defended_on", defended_on) if defended_on is not None else {})}


def fields_of(soup) -> dict[str, str]:
    fields = soup.select_one("main dl.certificate-fields")
    return {text_of(row.dt): text_of(row.dd) for row in fields.find_all("div")}


# --- The staff page ------------------------------------------------------------------------------------------

@DEF3
def test_the_defences_page_is_for_staff_only(app, candidate, parcours):
    learner = signed_in_client(app, candidate.email)
    for someone in (app.test_client(), learner):
        for response in (someone.get(PAGE), someone.post(PAGE, data=decision_form(candidate, parcours,
                                                                                   defended_on="2026-12-14",
                                                                                   decision="favourable"))):
            assert response.status_code == 404
            assert text_of(soup_of(response).h1) == "Page introuvable"
    assert db.session.scalars(select(DefenceDecision)).all() == []


@DEF3
def test_staff_see_each_learner_who_completed_a_parcours_with_a_form_of_their_own(app, staff, candidate, parcours):
    clock.freeze(COMPLETED_AT)
    other = learner_with(OfferKind.PLUS, "hugo.hamel@example.org", first_name="Hugo", last_name="Hamel")
    complete(other, parcours)
    clock.freeze(DECIDED_AT)
    soup = soup_of(staff.get(PAGE))  # the checked client fails on any duplicate id
    assert text_of(soup.h1) == "Soutenances finales et diplômes"
    for learner in (candidate, other):
        section = section_of(soup, learner, parcours)
        prefix = f"defence-{learner.id}-{parcours.id}"
        assert text_of(section.h3) == f"{learner.full_name} — Parcours {parcours.title_fr}"
        assert "Parcours achevé le 1 décembre 2026 (cours réussis, projets validés)." in text_of(section)
        form = section.form
        assert form["method"] == "post" and form["action"] == PAGE
        assert form.select_one("input[name=user_id]")["value"] == str(learner.id)
        date_group = form.select_one(f"fieldset#{prefix}-defended_on[role=group]")
        assert text_of(date_group.legend) == "Date de la soutenance"
        assert [box["id"] for box in date_group.select("input")] == [
            f"{prefix}-defended_on-{part}" for part in ("day", "month", "year")]
        fieldset = form.select_one(f"fieldset#{prefix}-decision")
        assert text_of(fieldset.legend) == "Décision du jury"
        radios = fieldset.select("input[type=radio]")
        assert [radio["value"] for radio in radios] == ["favourable", "unfavourable"]
        assert [text_of(form.select_one(f"label[for={radio['id']}]")) for radio in radios] == [
            "Avis favorable : le diplôme est délivré",
            "Avis défavorable : pas de diplôme, une nouvelle soutenance reste possible"]
        comments = form.select_one(f"textarea#{prefix}-comments")
        assert text_of(form.select_one(f"label[for={prefix}-comments]")) == "Observations du jury"
        assert comments["aria-describedby"] == f"{prefix}-comments-hint"
        assert text_of(form.button) == \
            f"Enregistrer la décision du jury — {learner.full_name}, {parcours.title_fr}"
    # Digital only: nothing on the page asks for a postal address to send a diploma to.
    assert not soup.select("main input[name*=address], main input[name*=postal]")


@DEF3
def test_an_empty_decision_shows_each_error_next_to_its_field(app, staff, candidate, parcours):
    clock.freeze(COMPLETED_AT)
    other = learner_with(OfferKind.PLUS, "hugo.hamel@example.org", first_name="Hugo", last_name="Hamel")
    complete(other, parcours)
    clock.freeze(DECIDED_AT)
    response = staff.post(PAGE, data=decision_form(candidate, parcours, defended_on="", comments=""))
    assert response.status_code == 200
    soup = soup_of(response)
    prefix = f"defence-{candidate.id}-{parcours.id}"
    assert text_of(soup.title).startswith("Erreur :")
    section = section_of(soup, candidate, parcours)
    error = section.select_one(f"#{prefix}-defended_on-error")
    assert text_of(error) == "Erreur : Indiquez la date de la soutenance."
    assert f"{prefix}-defended_on-error" in section.select_one(f"fieldset#{prefix}-defended_on")[
        "aria-describedby"].split()
    fieldset = section.select_one(f"fieldset#{prefix}-decision")
    assert text_of(fieldset.select_one(f"#{prefix}-decision-error")) == "Erreur : Indiquez la décision du jury."
    assert f"{prefix}-decision-error" in fieldset["aria-describedby"].split()
    summary = section.select_one("#error-summary")
    assert [link["href"] for link in summary.select("a")] == [f"#{prefix}-defended_on-day", f"#{prefix}-decision-0"]
    # The other learner's form is untouched, and nothing was recorded.
    assert section_of(soup, other, parcours).select(".govuk-error-message") == []
    assert db.session.scalars(select(DefenceDecision)).all() == []


def test_an_unfavourable_decision_needs_the_jurys_comments_next_to_them(app, staff, candidate, parcours):
    response = staff.post(PAGE, data=decision_form(candidate, parcours, defended_on="2026-12-14",
                                                   decision="unfavourable", comments="  "))
    soup = soup_of(response)
    prefix = f"defence-{candidate.id}-{parcours.id}"
    assert text_of(soup.select_one(f"#{prefix}-comments-error")) == (
        "Erreur : Indiquez les observations du jury : elles expliquent à l'apprenant la décision défavorable.")
    assert [box["value"] for box in soup.select(f"fieldset#{prefix}-defended_on input")] == ["14", "12", "2026"]
    assert soup.select_one(f"#{prefix}-decision-1").has_attr("checked")
    assert db.session.scalars(select(DefenceDecision)).all() == []


def test_a_defence_in_the_future_is_refused_in_english_for_an_english_reader(app, staff, candidate, parcours):
    response = staff.post(PAGE, data=decision_form(candidate, parcours, defended_on="2027-01-10",
                                                   decision="favourable"), headers={"Accept-Language": "en"})
    soup = soup_of(response)
    prefix = f"defence-{candidate.id}-{parcours.id}"
    assert text_of(soup.h1) == "Final defences and diplomas"
    assert text_of(soup.select_one(f"fieldset#{prefix}-decision legend")) == "Jury's decision"
    assert text_of(soup.select_one(f"#{prefix}-defended_on-error")) == \
        "Error: The date of the defence cannot be in the future."


@DEF3
def test_staff_record_a_favourable_decision_and_the_diploma_is_issued(app, staff, candidate, parcours):
    response = staff.post(PAGE, data=decision_form(candidate, parcours, defended_on="2026-12-14",
                                                   decision="favourable", comments=COMMENTS))
    assert response.status_code == 302 and response.headers["Location"] == PAGE
    diploma = diplomas.diploma_for(candidate.id, parcours.id)
    assert diploma is not None and diploma.defended_on == DEFENCE
    soup = soup_of(staff.get(PAGE))
    notice = text_of(soup.select_one(f"main {SUCCESS_MESSAGE}"))
    assert notice == (f"Avis favorable enregistré : le diplôme {diploma.public_id} du Parcours {parcours.title_fr} "
                      f"est délivré à Léa Martin, qui en est informé par email.")
    assert section_of(soup, candidate, parcours) is None
    assert text_of(soup.select_one("#no-candidates")) == "Aucun apprenant n'attend la décision d'un jury."
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == candidate.email)).all()
    assert mail.subject == f"Votre diplôme du Parcours {parcours.title_fr}"


@DEF3
def test_after_an_unfavourable_decision_the_learner_stays_listed_with_it(app, staff, candidate, parcours):
    response = staff.post(PAGE, data=decision_form(candidate, parcours, defended_on="2026-12-14",
                                                   decision="unfavourable", comments=COMMENTS))
    assert response.status_code == 302
    soup = soup_of(staff.get(PAGE))
    assert "Avis défavorable enregistré pour Léa Martin" in text_of(soup.select_one(f"main {SUCCESS_MESSAGE}"))
    section = section_of(soup, candidate, parcours)
    assert "le 14 décembre 2026 : avis défavorable" in text_of(section)
    assert diplomas.diploma_for(candidate.id, parcours.id) is None


# --- The learner's tab and HTML view -------------------------------------------------------------------------

@DEF3
@A3
def test_the_learners_certificates_tab_lists_the_diploma(app, learner_client, diploma, parcours):
    soup = soup_of(learner_client.get(TAB))
    section = soup.select_one("section[aria-labelledby=diplomas-title]")
    assert text_of(section.h2) == "Mes diplômes"
    assert "uniquement numérique" in text_of(section)
    item = section.select_one(f"#certificate-{diploma.public_id}")
    assert text_of(item.h3) == parcours.title_fr
    assert "Diplôme délivré le 15 décembre 2026, après la soutenance finale du 14 décembre 2026." in text_of(item)
    assert f"Identifiant : {diploma.public_id}" in text_of(item)
    pdf = item.select_one(f"a[href='/compte/certificats/{diploma.public_id}.pdf']")
    assert text_of(pdf) == f"Télécharger le diplôme « {parcours.title_fr} » (PDF)" and pdf["hreflang"] == "fr"
    assert text_of(item.select_one(f"a[href='/compte/certificats/{diploma.public_id}']")) == \
        f"Voir le diplôme « {parcours.title_fr} »"
    linkedin = item.select_one("a.linkedin-link")
    assert text_of(linkedin) == f"Ajouter à mon profil LinkedIn : diplôme « {parcours.title_fr} »"
    query = {key: value[0] for key, value in parse_qs(urlsplit(linkedin["href"]).query).items()}
    assert query["name"] == parcours.title_fr and query["certId"] == diploma.public_id
    field = item.select_one("input[readonly]")
    assert field["value"] == f"{app.config['PUBLIC_BASE_URL']}/certificats/{diploma.public_id}"
    assert text_of(soup.select_one(f"label[for='{field['id']}']")) == \
        f"Lien de vérification du diplôme « {parcours.title_fr} »"
    # The course certificates stay in their own list, and nothing offers a paper copy.
    courses = soup.select("section[aria-labelledby=certificates-title] li.certificate-item")
    assert len(courses) == len(parcours.courses)
    assert not soup.select("main input[name*=address], main input[name*=postal], main select")
    assert "courrier" not in text_of(soup.main).lower() and "papier" not in text_of(soup.main).lower()


def test_the_learners_tab_lists_the_diploma_in_english(app, learner_client, diploma, parcours):
    soup = soup_of(learner_client.get(TAB, headers={"Accept-Language": "en"}))
    item = soup.select_one(f"#diploma-list #certificate-{diploma.public_id}")
    assert text_of(soup.select_one("#diplomas-title")) == "My diplomas"
    assert text_of(item.h3) == parcours.title_en
    assert text_of(item.select_one("a[download]")) == f"Download the diploma “{parcours.title_en}” (PDF)"
    assert "Diploma issued on December 15, 2026, after the final defence on December 14, 2026." in text_of(item)


@DEF3
def test_the_owner_sees_every_field_of_their_diploma(app, learner_client, diploma, parcours):
    soup = soup_of(learner_client.get(f"/compte/certificats/{diploma.public_id}"))
    assert text_of(soup.h1) == f"Diplôme — {parcours.title_fr}"
    assert fields_of(soup) == {
        "Nature du document": "Diplôme de fin de Parcours", "Titulaire": "Léa Martin",
        "Parcours": parcours.title_fr, "Date de la soutenance finale": "14 décembre 2026",
        "Décision du jury": "Avis favorable", "Date de délivrance": "15 décembre 2026",
        "Identifiant": diploma.public_id, "Délivré par": app.config["COMPANY"]["name"],
    }
    assert text_of(soup.select_one("label[for=certificate-url]")) == "Lien de vérification du diplôme"


# --- The public verification page ----------------------------------------------------------------------------

VERIFY = {
    "fr": {"h1": "Vérification d'un diplôme", "valid": "Ce diplôme est authentique et valide",
           "fields": lambda parcours, diploma, issuer: {
               "Nature du document": "Diplôme de fin de Parcours", "Titulaire": "Léa Martin",
               "Parcours": parcours.title_fr, "Date de la soutenance finale": "14 décembre 2026",
               "Décision du jury": "Avis favorable", "Date de délivrance": "15 décembre 2026",
               "Identifiant": diploma.public_id, "Délivré par": issuer}},
    "en": {"h1": "Diploma verification", "valid": "This diploma is genuine and valid",
           "fields": lambda parcours, diploma, issuer: {
               "Type of document": "Diploma awarded at the end of a Parcours", "Holder": "Léa Martin",
               "Parcours": parcours.title_en, "Date of the final defence": "December 14, 2026",
               "Jury's decision": "Favourable", "Date of issue": "December 15, 2026",
               "Identifier": diploma.public_id, "Issued by": issuer}},
}


@DEF3
@A3
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_verification_page_says_it_is_a_diploma_with_its_parcours_and_defence_date(app, diploma, parcours,
                                                                                       lang):
    response = app.test_client().get(f"/certificats/{diploma.public_id}", headers={"Accept-Language": lang})
    assert response.status_code == 200
    soup = soup_of(response)
    texts = VERIFY[lang]
    assert text_of(soup.h1) == texts["h1"]
    result = soup.select_one("#verification-result")
    assert text_of(result.h2) == texts["valid"]
    title = parcours.title_fr if lang == "fr" else parcours.title_en
    assert title in text_of(result)
    assert ("14 décembre 2026" if lang == "fr" else "December 14, 2026") in text_of(result)
    assert fields_of(soup) == texts["fields"](parcours, diploma, app.config["COMPANY"]["name"])


def test_a_course_certificate_says_it_is_one_on_its_verification_page(app, candidate, parcours):
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == candidate.id,
                                                              Certificate.kind == CertificateKind.COURSE))
    soup = soup_of(app.test_client().get(f"/certificats/{certificate.public_id}"))
    assert text_of(soup.h1) == "Vérification d'un certificat"
    assert fields_of(soup)["Nature du document"] == "Certificat de réussite d'un cours"
    assert "Parcours" not in fields_of(soup)


@DEF3
def test_a_revoked_diploma_says_so_on_its_verification_page(app, diploma):
    certificates.revoke(diploma.public_id, "Plagiat du projet final constaté")
    db.session.commit()
    for lang, heading in (("fr", "Ce diplôme a été révoqué"), ("en", "This diploma has been revoked")):
        soup = soup_of(app.test_client().get(f"/certificats/{diploma.public_id}", headers={"Accept-Language": lang}))
        assert text_of(soup.select_one("#verification-result h2")) == heading
    assert "Plagiat du projet final constaté" in text_of(soup.select_one("#verification-result"))


@DEF3
def test_the_public_profile_lists_the_diploma(app, candidate, diploma, parcours):
    certificates.set_public_profile(candidate, True)
    db.session.commit()
    soup = soup_of(app.test_client().get(f"/profils/{candidate.public_profile_id}"))
    [row] = soup.select("#profile-diplomas tbody tr")
    assert text_of(row.th) == parcours.title_fr
    assert [text_of(cell) for cell in row.select("td")][:2] == ["14 décembre 2026", "15 décembre 2026"]
    assert row.select_one("a")["href"] == f"/certificats/{diploma.public_id}"
    assert len(soup.select("#profile-certificates tbody tr")) == len(parcours.courses)


# --- The PDF -------------------------------------------------------------------------------------------------

@DEF3
@A3
def test_the_diploma_pdf_is_a_tagged_document_with_the_learner_parcours_and_identifier(app, learner_client,
                                                                                      diploma, parcours,
                                                                                      weasyprint_errors):
    response = learner_client.get(f"/compte/certificats/{diploma.public_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f'filename="diplome-{diploma.public_id}.pdf"' in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    text = normalised(" ".join(page.extract_text() for page in reader.pages))
    for expected in ("Diplôme", "Léa Martin", "a réussi tous les cours du Parcours", parcours.title_fr,
                     "14 décembre 2026", "avis favorable", diploma.public_id, app.config["COMPANY"]["name"],
                     "Diplôme délivré uniquement sous forme numérique."):
        assert expected in text, expected
    url = f"{app.config['PUBLIC_BASE_URL']}/certificats/{diploma.public_id}"
    assert url in text.replace(" ", "")
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert reader.metadata.title == f"Diplôme — {parcours.title_fr}"
    assert {"/Document", "/H1", "/Figure", "/L"} <= structure_kinds(reader)
    assert len(reader.pages) == 1 and len(reader.pages[0].images) == 1  # the QR code
    assert figure_alternatives(reader) == [f"Code QR menant à la page de vérification : {url}"]


@DEF3
def test_the_diploma_pdf_from_an_english_page_is_in_english(app, learner_client, diploma, parcours,
                                                           weasyprint_errors):
    learner_client.get("/langue/en")
    reader = PdfReader(io.BytesIO(learner_client.get(f"/compte/certificats/{diploma.public_id}.pdf").data))
    text = normalised(" ".join(page.extract_text() for page in reader.pages))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata.title == f"Diploma — {parcours.title_en}"
    for expected in ("Diploma", "passed every course of the Parcours", parcours.title_en, "December 14, 2026",
                     diploma.public_id, "Diploma issued in digital form only."):
        assert expected in text, expected
    assert "Diplôme" not in text


@A3
def test_the_learner_finds_their_diploma_on_continuer_and_on_mon_parcours(app, diploma, parcours, learner_client):
    mentor("thomas@example.org", parcours.slug)  # "Mon parcours" is a mentored learner's
    for url in ("/continuer", "/mon-parcours"):
        page = soup_of(learner_client.get(url))
        [link] = page.select(f"main a[href$='/certificats/{diploma.public_id}']")
        assert text_of(link) == "Votre diplôme, délivré le 15 décembre 2026", url
