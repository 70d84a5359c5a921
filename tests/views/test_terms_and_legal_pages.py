"""The service terms (HTML and tagged PDF) and the legal pages."""

import io
import re
from datetime import datetime

import pytest
from pypdf import PdfReader

from app import jobs
from app.extensions import db
from app.models import RenderedPdf
from app.services.common import clock
from app.services.legal import documents
from tests import checkout_flow as flow
from tests.conftest import past_the_sweep_delay, text_of
from tests.pdf_checks import normalised, structure_kinds

L444_8_OPENING = "A peine de nullité, le contrat ne peut être signé qu'au terme d'un délai de sept jours"


def pdf_text(reader: PdfReader) -> str:
    return normalised("\n".join(p.extract_text() for p in reader.pages))


@pytest.mark.clause("CGS-1-10")
def test_terms_page_has_a_real_heading_structure(page):
    soup = page("/conditions-generales")
    assert text_of(soup.h1) == "Conditions générales de services"
    article_titles = [text_of(h) for h in soup.select("#terms-body h2")]
    assert "Définitions" in article_titles
    assert any(t.startswith("Article 2") for t in article_titles)
    assert any(t.startswith("Article 10") for t in article_titles)
    assert "2.1 Service Premium Solo" in [text_of(h) for h in soup.select("#terms-body h3")]
    levels = [int(h.name[1]) for h in soup.select("main h1, main h2, main h3, main h4")]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), "a heading level is skipped"
    for link in soup.select("nav.toc a"):
        assert soup.select_one(link["href"]), link["href"]


@pytest.mark.clause("CGS-6.2-05")
def test_terms_page_reproduces_article_l444_8_in_annex(page):
    soup = page("/conditions-generales")
    annex = soup.find("h2", string=lambda s: s and s.startswith("Annexe 1"))
    assert annex is not None
    annex_text = " ".join(text_of(p) for p in annex.find_next_siblings("p"))
    assert L444_8_OPENING in annex_text
    assert "ne saurait excéder 30 % du prix du contrat" in annex_text
    assert "Il ne peut comporter de clause attributive de compétence" in annex_text


@pytest.mark.clause("CGS-1-11")
def test_terms_page_gives_read_aloud_instructions_for_mac_and_windows(page):
    soup = page("/conditions-generales")
    box = soup.select_one("aside[aria-labelledby=listen-title]")
    text = text_of(box)
    assert "Sur Mac" in text and "Sur Windows" in text and "Ctrl + Entrée" in text
    assert box.select_one("a[href='/accessibilite']")
    assert box.select_one("a[href^='https://support.apple.com/']")
    assert box.select_one("a[href^='https://support.microsoft.com/']")
    panel = soup.select_one("section#read-aloud")
    assert panel.has_attr("hidden"), "the read-aloud controls only appear when the browser can speak"
    assert "Windows + Ctrl + Entrée le lancent (et, s'il est déjà lancé, l'arrêtent)" in text
    english = text_of(page("/conditions-generales", lang="en").select_one("aside[aria-labelledby=listen-title]"))
    assert "On a Mac" in english and "On Windows" in english


@pytest.mark.clause("CGS-10-01")
def test_terms_state_french_law_and_ame_conso_mediation(page):
    body = text_of(page("/conditions-generales").select_one("#terms-body"))
    assert "soumises à la loi française" in body and "AME Conso" in body
    assert page("/conditions-generales").select_one("#terms-body a[href='https://www.mediationconso-ame.com']")


@pytest.mark.clause("CGS-10-03")
def test_contact_page_shows_student_success_address_and_phone(page, app):
    body = text_of(page("/contact").select_one("address"))
    assert app.config["COMPANY"]["address"] in body and app.config["COMPANY"]["phone"] in body


@pytest.mark.clause("CGS-1-09")
def test_terms_page_offers_the_pdf_download(page):
    link = page("/conditions-generales").select_one("a[href='/conditions-generales.pdf']")
    assert "PDF" in text_of(link)


@pytest.mark.parametrize("lang, tagged", [("fr", "PDF balisé"), ("en", "tagged PDF")])
def test_no_page_calls_the_terms_pdf_accessible_as_nobody_has_audited_it(page, lang, tagged):
    """The terms' PDF declares PDF/UA-1 and is tagged, but no one has yet read it with assistive technology: it
    is called what it is, a tagged PDF, on the terms page and in the accessibility statement."""
    terms = page("/conditions-generales", lang=lang)
    assert tagged in text_of(terms.select_one("a[href='/conditions-generales.pdf']"))
    for soup in (terms, page("/accessibilite", lang=lang)):
        text = text_of(soup.main)
        assert not re.search(r"PDF accessible|accessible PDF|PDF,? (?:qui est |that is )?accessible", text,
                             re.IGNORECASE), re.findall(r".{60}accessible.{60}", text)
        assert tagged in text


@pytest.mark.clause("CGS-1-09")
@pytest.mark.clause("CGS-1-10")
def test_terms_pdf_is_tagged_with_language_title_and_extractable_text(client, weasyprint_errors):
    response = client.get("/conditions-generales.pdf", headers={"Accept-Language": "fr"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "fr"
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    assert "/StructTreeRoot" in catalog
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert reader.metadata.title.startswith("Conditions générales de services")
    assert b"pdfuaid" in reader.xmp_metadata.stream.get_data()  # declares PDF/UA
    text = pdf_text(reader)
    assert "Article 1. Dispositions générales" in text
    assert L444_8_OPENING in text  # the annex (CGS-6.2-05)


@pytest.mark.clause("CGS-1-10")
def test_terms_pdf_structure_tree_holds_headings_and_paragraphs(client):
    reader = PdfReader(io.BytesIO(client.get("/conditions-generales.pdf").data))
    kinds = structure_kinds(reader)
    assert {"/H1", "/H2", "/H3", "/P", "/L"} <= kinds


def pdf_links(reader: PdfReader) -> list[str]:
    return [annotation.get_object()["/A"]["/URI"] for page in reader.pages for annotation in page.get("/Annots", [])
            if "/URI" in annotation.get_object().get("/A", {})]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_link_of_the_terms_pdf_opens_the_portals_public_page(client, app, language):
    reader = PdfReader(io.BytesIO(client.get("/conditions-generales.pdf", headers={"Accept-Language": language}).data))
    links = pdf_links(reader)
    public = app.config["PUBLIC_BASE_URL"]
    assert f"{public}/contact" in links and f"{public}/accessibilite" in links
    assert all(link.startswith(("https://", "http://", "mailto:")) for link in links), links


def test_terms_pdf_in_english(client):
    reader = PdfReader(io.BytesIO(client.get("/conditions-generales.pdf", headers={"Accept-Language": "en"}).data))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "General Terms of Service" in pdf_text(reader)


@pytest.mark.clause("CGS-1-09")
def test_a_published_versions_pdfs_are_rendered_at_publication_never_on_a_request(client, page, monkeypatch):
    from datetime import date

    version = documents.publish_version("cgs", "2027-01", date(2027, 1, 1), False, "# CGS 2027\n\nTexte.",
                                        "# Terms 2027\n\nText.")
    db.session.commit()
    url = "/conditions-generales/version/2027-01.pdf"

    def must_not_render(*args, **kwargs):
        raise AssertionError("a request never renders a PDF")

    monkeypatch.setattr(documents, "render_pdf", must_not_render)
    waiting = client.get(url)  # published, its job not run yet: said, with the HTML version offered
    assert waiting.status_code == 202 and waiting.headers["Retry-After"] == "10"
    soup = page(url, status=202)
    assert text_of(soup.h1) == "Le PDF des conditions générales est en préparation"
    assert soup.select_one("main a[href='/conditions-generales/version/2027-01']")
    monkeypatch.undo()
    assert jobs.enqueue_committed_jobs() == 2  # one job for both languages of the PDF; one for the audio
    stored = {row.language: row.content for row in db.session.query(RenderedPdf).filter_by(
        document_version_id=version.id)}
    assert set(stored) == {"fr", "en"}
    monkeypatch.setattr(documents, "render_pdf", must_not_render)
    assert client.get(url, headers={"Accept-Language": "en"}).data == stored["en"]
    assert client.get(url, headers={"Accept-Language": "fr"}).data == stored["fr"]


def test_a_missed_rendering_of_the_terms_pdf_is_caught_by_the_periodic_sweep(app):
    from datetime import date

    documents.publish_version("cgs", "2027-01", date(2027, 1, 1), False, "# CGS 2027", "# Terms 2027")
    db.session.commit()
    db.session.info.pop(jobs.COMMITTED, None)  # the enqueue is lost (the queue was unreachable)
    past_the_sweep_delay()
    assert jobs.sweep_terms_pdfs.call_local() == 2
    assert jobs.sweep_terms_pdfs.call_local() == 0


def test_the_version_in_force_is_the_latest_effective_one():
    from datetime import date

    first = documents.version_in_force(on=date(2026, 11, 26))
    current = documents.version_in_force(on=date(2026, 12, 1))
    assert (first.version, current.version) == ("2026-11", "2026-12")
    future = documents.publish_version("cgs", "2027-01", date(2027, 1, 1), True, "# CGS 2027", "# Terms 2027")
    assert documents.version_in_force(on=date(2026, 12, 31)) == current
    assert documents.version_in_force(on=date(2027, 1, 1)) == future
    assert documents.publish_version("cgs", "2027-01", date(2027, 1, 1), True, "# changed", "# changed") == future


def test_pdf_renderer_fetches_nothing_outside_static():
    from app.services.common.pdf import LocalStaticFetcher

    fetcher = LocalStaticFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.org/logo.png")


@pytest.mark.clause("CGS-1-12")
def test_accessibility_page_gives_status_tests_and_how_to_report(page, app):
    soup = page("/accessibilite")
    text = text_of(soup.main)
    assert "non conforme" in text and "RGAA" in text
    assert app.config["COMPANY"]["accessibility_email"] in text
    assert "Défenseur des droits" in text
    assert "not compliant" in text_of(page("/accessibilite", lang="en").main)


@pytest.mark.parametrize("lang, sample_title, sample", [
    ("fr", "Pages de la Plateforme ayant fait l'objet de la vérification de conformité", {
        "checkout": "les étapes de la commande", "settings": "Mes paramètres : l'onglet Premium",
        "reader": "la lecture d'un chapitre", "quiz": "le quiz", "forum": "le forum"}),
    ("en", "Pages of the Platform checked for compliance", {
        "checkout": "the steps of an order", "settings": "Mes paramètres (My settings): the Premium tab",
        "reader": "reading a chapter", "quiz": "a Course's quiz", "forum": "the forum"}),
])
def test_the_accessibility_statement_names_the_pages_where_people_pay_and_learn_and_claims_no_check_not_made(
        page, lang, sample_title, sample):
    soup = page("/accessibilite", lang=lang)
    text = text_of(soup.main)
    heading = next(h3 for h3 in soup.main.select("h3") if text_of(h3) == sample_title)
    audited = [text_of(item) for item in heading.find_next_sibling("ul").select("li")]
    for name, words in sample.items():  # checkout, Mes paramètres, the reader, the quiz, the forum
        assert any(words in item for item in audited), (name, audited)
    settings = heading.find_next_sibling("ul").select_one("span[lang=fr]") if lang == "en" else None
    assert lang == "fr" or text_of(settings) == "Mes paramètres"  # the French label, said in French
    # Nobody has yet checked the pages with a screen reader: the statement says so, and that the PDF is not validated.
    assert ("aucune vérification n'a encore été faite par une personne" if lang == "fr"
            else "no check has yet been made by a person") in text
    assert ("pas encore été contrôlée" if lang == "fr" else "has not yet been checked") in text


@pytest.mark.clause("CGS-9-01")
def test_personal_data_policy_page_exists_in_both_languages(page, app):
    assert app.config["COMPANY"]["privacy_email"] in text_of(page("/donnees-personnelles").main)
    assert "CNIL" in text_of(page("/donnees-personnelles", lang="en").main)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_privacy_policy_says_where_data_is_exported_and_the_account_closed(page, lang):
    """The export and the closure are in Mes paramètres > Mes données: the policy says where, and the rules of the
    export's link and of the closure's undo."""
    policy = page("/donnees-personnelles", lang=lang).main
    text = text_of(policy)
    assert ("onglet Mes données" if lang == "fr" else "My data tab") in text
    assert ("ne s'ouvre qu'une fois, connecté à votre compte, pendant 7 jours" if lang == "fr"
            else "opens only once, signed in to your account, for 7 days") in text
    assert ("Vous clôturez vous-même votre compte, depuis le même onglet" if lang == "fr"
            else "You close your account yourself, from the same tab") in text
    assert ("un lien qui annule la clôture pendant 30 jours" if lang == "fr"
            else "a link that undoes the closure for 30 days") in text


def test_legal_notice_names_the_publisher_and_host(page, app):
    text = text_of(page("/mentions-legales").main)
    for key in ("name", "siren", "vat_number", "address", "host_name"):
        assert app.config["COMPANY"][key] in text, key


# --- the terms describe the portal as it is (labels that exist, reading aloud that works) -----------------------

# What the terms tell a learner to click, in each language: the portal's own labels. French ones, quoted in the
# English text, sit in an element that says they are French.
PORTAL_LABELS = {
    "fr": ["Mes paramètres", "Premium", "Résilier mon abonnement", "Confirmer la résiliation", "Mes factures",
           "Historique des transactions", "Devenir Premium Solo", "Choisir un Parcours", "Démarrer",
           "Nous contacter", "Envoyer", "Valider"],
    "en": ["My settings", "Premium", "Cancel my subscription", "Confirm the cancellation", "My invoices",
           "Transaction history", "Go Premium Solo", "Choose a Parcours", "Start", "Contact us", "Send", "Confirm"],
}
GONE = ["Compte et paramètres", "Account and settings", "avatar", "initiales", "initials", "Retournez à vos paramètres",
        "Go back to your settings", "Mon compte", "My account", "menu en haut à droite", "menu at the top right",
        "clic gauche", "left-click", "Nous Contacter", "Become Premium Solo"]
FRENCH = re.compile(r"[àâçéèêëîïôûùüÿœÀÉÈ«»]")


def in_force_from_december():
    clock.freeze(datetime(2026, 12, 6, 10, 0, tzinfo=clock.PARIS))


def quoted(text: str, lang: str) -> list[str]:
    return re.findall(r"« ([^»]+) »" if lang == "fr" else r'"([^"]+)"', text)


@pytest.mark.clause("CGS-2.1-D2")
@pytest.mark.clause("CGS-3.3-02")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_terms_point_to_the_settings_the_premium_tab_and_the_cancel_button_that_exist(client, page, lang):
    in_force_from_december()
    body = page("/conditions-generales", lang=lang).select_one("#terms-body")
    text = text_of(body)
    assert not [gone for gone in GONE if gone in text]
    said = set(quoted(text, lang))
    assert set(PORTAL_LABELS[lang]) <= said, set(PORTAL_LABELS[lang]) - said
    stop = text_of(body.find(lambda tag: tag.name == "p" and text_of(tag).startswith(
        ("Pour arrêter votre Abonnement", "To stop your Subscription"))))
    labels = PORTAL_LABELS[lang]
    assert stop.index(labels[0]) < stop.index(f"{labels[1]}") < stop.index(labels[2]) < stop.index(labels[3])
    # The same labels on the portal: the main menu, the tab, the button, the invoices, the cancel page.
    flow.buy_solo(client)
    premium = page("/compte/parametres/premium", lang=lang)
    assert labels[0] in [text_of(a) for a in premium.select("header nav a")]
    assert text_of(premium.select_one(".tabs-nav a[aria-current=page]")) == labels[1]
    assert text_of(premium.select_one("#cancel-trigger")) == labels[2]
    assert text_of(premium.select_one("#invoices-title")) == labels[4]
    assert text_of(premium.select_one("#transactions-title")) == labels[5]
    confirm = page("/compte/parametres/premium/resilier", lang=lang)
    assert labels[3] in [text_of(button) for button in confirm.select("main button")]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_labels_the_terms_quote_before_subscribing_exist(page, lang):
    in_force_from_december()
    labels = dict(zip(PORTAL_LABELS["fr"], PORTAL_LABELS[lang], strict=True))
    assert labels["Choisir un Parcours"] in [text_of(a) for a in page("/", lang=lang).select("header nav a")]
    assert labels["Devenir Premium Solo"] in text_of(page("/premium", lang=lang).select_one("main"))
    parcours = text_of(page("/parcours/developpeur-application-python", lang=lang).select_one("main"))
    assert labels["Démarrer"] in parcours and labels["Nous contacter"] in parcours
    assert labels["Envoyer"] in [text_of(b) for b in page("/contact", lang=lang).select("main button")]


@pytest.mark.clause("CGS-1-11")
def test_the_terms_say_how_to_have_them_read_aloud_on_a_mac_and_on_windows(page):
    in_force_from_december()
    french = text_of(page("/conditions-generales").select_one("#terms-body"))
    assert "faites un clic droit (ou Ctrl + clic) et choisissez « Parole » puis « Commencer la lecture »" in french
    assert "les touches logo Windows + Ctrl + Entrée le lancent et, s'il est déjà lancé, l'arrêtent" in french
    assert "placez le curseur" not in french
    english = text_of(page("/conditions-generales", lang="en").select_one("#terms-body"))
    assert 'right-click (or Control-click) and choose "Speech" then "Start Speaking"' in english
    assert "the Windows logo key + Ctrl + Enter starts it and, if it is already running, stops it" in english
    assert "mouse pointer" not in english


def french_outside_lang_fr(body) -> list[str]:
    """The texts of `body` in French (accents, guillemets) that no element marks as French."""
    return [str(node) for node in body.find_all(string=FRENCH)
            if not any(parent.get("lang") == "fr" for parent in node.parents if parent is not body)]


@pytest.mark.parametrize("url, body_id", [("/conditions-generales", "terms-body"),
                                          ("/reglement-interieur", "rules-body")])
def test_every_french_phrase_of_the_english_text_is_marked_as_french(page, url, body_id):
    in_force_from_december()
    body = page(url, lang="en").select_one(f"#{body_id}")
    assert not french_outside_lang_fr(body)
    marked = [text_of(span) for span in body.select("span[lang=fr]")]
    assert marked, "the French phrases are in spans that say so"
    if url == "/conditions-generales":
        assert {"Mes paramètres", "Résilier mon abonnement", "Mes factures", "Valider", "Nous contacter",
                "Code de l'éducation"} <= set(marked)
        for label in PORTAL_LABELS["fr"][2:]:  # "Premium" is the same word in English
            assert label in marked, label


@pytest.mark.clause("CGS-1-05")
def test_the_corrected_terms_are_a_new_version_and_the_one_accepted_before_is_kept_as_it_was(page):
    in_force_from_december()
    first, corrected = (documents.published_version(documents.TERMS, name) for name in ("2026-11", "2026-12"))
    assert not corrected.material_change  # the portal described as it is: nobody asked to accept it again
    assert documents.version_in_force().version == "2026-12"
    assert "avatar/initiales" in first.body_fr and "avatar/initiales" not in corrected.body_fr
    older = text_of(page("/conditions-generales/version/2026-11").select_one("main"))
    assert "Compte et paramètres" in older  # what a learner accepted in November, word for word
    rules = documents.published_version(documents.RULES, "2026-12")
    assert not rules.material_change and '<span lang="fr">' in rules.body_en
