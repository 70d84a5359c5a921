"""Bad input never gives a 500 (issue findings 2, 12 and 13): form fields refuse control and bidi-override
characters with a message next to the field and store NFC text; a NUL or an oversized number in an address
answers 400 or 404; `?page=` of any size shows a page; `next=` never carries a line break into a header; a
billing name already stored with a control character still lets its order be paid and invoiced; the PDF
renderer's static-only rule holds after percent-decoding; downloads name their charset once; the terms PDF
is cached per language."""

import importlib
import inspect
import io
import pkgutil

import pytest
from facturx import get_facturx_xml_from_pdf
from lxml import etree

import app.forms
import tests.checkout_flow as flow
from app.extensions import db, limiter
from app.forms import Form
from app.models import AssignmentSubmission, ContactRequest, Invoice, Order
from app.models.commerce import OrderStatus
from app.services.common import pdf
from tests.conftest import PASSWORD, make_user, signed_in_client, soup_of, text_of
from tests.factories import make_staff, subscriber

RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
CONTACT = {"name": "Léa Martin", "email": "lea.martin@example.org", "question": "other",
           "message": "Bonjour, une question sur mon abonnement."}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    limiter.reset()
    yield
    limiter.reset()




def contact(client, **changes):
    question = soup_of(client.get("/contact")).select("#question option")[-1]["value"]
    return client.post("/contact", data={**CONTACT, "question": question, **changes})


# --- Form fields -----------------------------------------------------------------------------------------------

def test_every_form_of_the_portal_derives_from_the_cleaning_form():
    forms = []
    for module_info in pkgutil.iter_modules(app.forms.__path__):
        module = importlib.import_module(f"app.forms.{module_info.name}")
        forms += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                  if cls.__module__ == module.__name__ and hasattr(cls, "validate_on_submit")]
    assert len(forms) > 20
    assert [cls.__name__ for cls in forms if not issubclass(cls, Form)] == []


@pytest.mark.parametrize("name", ["Eve\nX", "Eve\u2028X", "Eve\x0bX"])
def test_a_line_break_in_a_name_is_refused_next_to_the_field_and_nothing_is_stored(client, name):
    response = contact(client, name=name)
    page = soup_of(response)
    assert response.status_code == 200
    assert "une seule ligne" in text_of(page.select_one("#name-error"))
    assert page.select_one("#name")["value"] == "Eve X"  # shown again without it, for the reader to check
    assert db.session.query(ContactRequest).count() == 0


@pytest.mark.parametrize(("text", "code"), [("Alice\x00Tester", "U+0000"), ("\u202egnp.exe", "U+202E"),
                                            ("Alice\x7fTester", "U+007F"), ("x\u2066y", "U+2066")])
def test_a_nul_or_a_bidi_override_in_a_name_is_refused_next_to_the_field(client, text, code):
    page = soup_of(contact(client, name=text))
    assert code in text_of(page.select_one("#name-error"))
    assert code in text_of(page.select_one("#error-summary"))
    assert db.session.query(ContactRequest).count() == 0


def test_the_refusal_is_said_in_english_too(client):
    page = soup_of(client.post("/contact", data={**CONTACT, "name": "A\x00B"}, headers={"Accept-Language": "en"}))
    assert "U+0000" in text_of(page.select_one("#name-error"))
    assert "invisible character" in text_of(page.select_one("#name-error"))


def test_text_is_stored_in_nfc_trimmed_with_its_line_breaks_and_tabs(client):
    response = contact(client, name="  Cafe\u0301 Lemai\u0302tre\t", message="Bonjour,\r\n\r\n\tma question\r\n\r\n")
    assert response.status_code == 302
    stored = db.session.query(ContactRequest).one()
    assert stored.name == "Caf\u00e9 Lema\u00eetre"
    assert stored.message == "Bonjour,\n\n\tma question"


def test_a_vertical_tab_in_a_text_area_is_refused_but_a_line_break_is_kept(client):
    page = soup_of(contact(client, message="Première ligne\x0bdeuxième"))
    assert "U+000B" in text_of(page.select_one("#message-error"))
    assert page.select_one("#message").get_text().strip() == "Première lignedeuxième"
    assert db.session.query(ContactRequest).count() == 0


def test_a_nul_in_a_forum_title_is_refused_next_to_the_field(app):
    lea = subscriber("lea.forum@example.org")
    client = signed_in_client(app, lea)
    response = client.post("/forum/general/nouveau-sujet", data={"title": "Réviser\x00 ensemble",
                                                                 "body": "Qui veut réviser ?"})
    page = soup_of(response)
    assert response.status_code == 200
    assert "U+0000" in text_of(page.select_one("#title-error"))


def test_a_nul_in_a_billing_name_or_a_promo_code_is_refused_next_to_the_field(client):
    reference = flow.start(client)
    page = soup_of(client.post(f"/commande/{reference}/coordonnees",
                               data={**flow.DETAILS, "billing_name": "Ana\x00Lopez"}))
    assert "U+0000" in text_of(page.select_one("#billing_name-error"))
    assert "\x00" not in (db.session.query(Order).filter_by(reference=reference).one().billing_name or "")
    flow.details(client, reference)
    page = soup_of(flow.payment_step(client, reference, promo="BIEN\x00VENUE"))
    assert "U+0000" in text_of(page.select_one("#promo_code-error"))


def test_a_password_is_kept_as_typed_and_only_a_nul_is_refused(client, user):
    page = soup_of(client.post("/connexion", data={"email": user.email, "password": PASSWORD + "\x00"}))
    assert "U+0000" in text_of(page.select_one("#password-error"))
    spaced = make_user("spaced@example.org", password=f" {PASSWORD}\u2028")
    response = client.post("/connexion", data={"email": spaced.email, "password": f" {PASSWORD}\u2028"})
    assert response.status_code == 302


def test_review_points_written_as_other_digits_are_refused_not_a_crash():
    from app.forms.assignments import points_of

    class Criterion:
        id = 1

    class Assignment:
        criteria = [Criterion()]

    class Field:
        data = "²"

    class Posted:
        def __getattr__(self, _name):
            return Field()

    assert points_of(Posted(), Assignment()) == {1: None}


# --- Addresses and queries -------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/cours?q=%00", "/cours?categorie=a%00", "/forum/general?page=%00",
                                 "/certificats?identifiant=%00", "/connexion?next=%00", "/cours?%00=1"])
def test_a_nul_in_a_query_answers_a_translated_400_page(client, url):
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert text_of(soup_of(response).h1) == "Invalid request"


@pytest.mark.parametrize("url", ["/cours/a%00b", "/forum/a%00b", "/parcours/a%0Ab", "/conditions-generales/version/%00",
                                 "/commande/a%00/coordonnees", "/certificats/a%00b"])
def test_a_control_character_in_a_path_is_not_found(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert text_of(soup_of(response).h1) == "Page introuvable"


@pytest.mark.parametrize("url", ["/forum/general/99999999999999999999999", f"/messages/{2**63}",
                                 f"/cours/python-debutant/chapitres/{2**64}", f"/compte/conditions-generales/{2**31}",
                                 f"/cours/x/quiz/tentatives/{2**70}"])
def test_a_number_beyond_the_database_range_in_a_path_is_not_found(app, url):
    client = signed_in_client(app, subscriber("big.numbers@example.org"))
    response = client.get(url)
    assert response.status_code == 404
    assert text_of(soup_of(response).h1) == "Page introuvable"


@pytest.mark.parametrize(("asked", "shown"), [(str(2**70), "last"), (str(2**63), "last"), ("-3", "1"),
                                              ("abc", "1"), ("0", "1"), ("1e9", "1")])
def test_a_catalogue_page_number_of_any_size_shows_a_page(app, client, monkeypatch, asked, shown):
    monkeypatch.setitem(app.config, "CATALOGUE_PAGE_SIZE", 2)
    response = client.get(f"/cours?page={asked}")
    page = soup_of(response)
    assert response.status_code == 200
    pages = page.select("nav.pagination a[href*='page=']")
    last = max(int(a["href"].rsplit("page=", 1)[1]) for a in pages)
    current = page.select_one("nav.pagination [aria-current=page]")
    assert text_of(current) == f"Page {last if shown == 'last' else 1}"
    assert page.select("#results ul.cards > *")


@pytest.mark.parametrize("asked", [str(2**70), "-1", "x"])
def test_a_forum_page_number_of_any_size_shows_a_page(app, asked):
    client = signed_in_client(app, subscriber("forum.pages@example.org"))
    client.post("/forum/general/nouveau-sujet", data={"title": "Réviser ensemble", "body": "Qui veut réviser ?"})
    response = client.get(f"/forum/general?page={asked}")
    assert response.status_code == 200
    assert "Réviser ensemble" in text_of(soup_of(response).main)


@pytest.mark.parametrize("target", ["/compte/parametres\r\nSet-Cookie: evil=1", "/\t/evil.example",
                                    "/compte\u2028x", "/compte\x0bx"])
def test_a_line_break_in_next_redirects_to_a_local_default(client, user, target):
    response = client.post("/connexion", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "evil" not in location and "\n" not in location and "\r" not in location
    assert location.startswith("/") and not location.startswith("//")
    assert "Set-Cookie" not in response.headers or "evil" not in response.headers["Set-Cookie"]
    response = client.get("/langue/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


# --- Writers: XML, PDF, downloads ------------------------------------------------------------------------------

def test_a_control_character_in_a_stored_billing_name_never_stops_a_paid_order(client):
    reference = flow.start(client)
    flow.details(client, reference)
    order = db.session.query(Order).filter_by(reference=reference).one()
    order.billing_name = "Alice\x0bTester"  # stored before names were checked, or by another way in
    db.session.commit()
    assert flow.payment_step(client, reference).status_code == 302
    landing = flow.pay(client, flow.validate(client, reference).headers["Location"])
    assert landing.endswith("/confirmation")
    assert db.session.query(Order).filter_by(reference=reference).one().status == OrderStatus.PAID
    invoice = db.session.query(Invoice).one()
    _filename, xml = get_facturx_xml_from_pdf(invoice.pdf, check_xsd=False)
    names = etree.fromstring(xml).iter(f"{RAM}Name")
    assert "Alice Tester" in [name.text for name in names]


def test_the_factur_x_xml_leaves_out_what_xml_forbids(app):
    from datetime import UTC, datetime

    from app.models.invoice import InvoiceKind
    from app.services.billing import invoices

    invoice = Invoice(number="FA-2026-000001", kind=InvoiceKind.INVOICE, issued_at=datetime(2026, 12, 1, tzinfo=UTC),
                      seller=invoices.seller_snapshot(), customer_name="Alice\x00\x0bTester\ufffe",
                      amount_ht_cents=1667, vat_cents=333, amount_ttc_cents=2000)
    names = [node.text for node in etree.fromstring(invoices.facturx_xml(invoice)).iter(f"{RAM}Name")]
    assert names[-1] == "Alice Tester"


def test_the_pdf_renderer_refuses_a_percent_encoded_way_out_of_static():
    fetcher = pdf.LocalStaticFetcher()
    static = pdf.STATIC_DIR.as_uri()
    for url in (f"{static}/%2e%2e/app/config.py", f"{static}/..%2Fapp/config.py", f"{static}/%2E%2E/pyproject.toml"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    css = next(pdf.STATIC_DIR.rglob("*.css")).relative_to(pdf.STATIC_DIR).as_posix()
    assert fetcher.fetch(f"{static}/{css}").status in (None, 200)


def test_a_text_file_download_names_its_charset_once(app):
    from tests.assignments import SLUG
    from tests.factories import subscriber as assignment_subscriber

    learner = assignment_subscriber("sam.text@example.org", "Sam", "Texte")
    client = signed_in_client(app, learner)
    client.post(f"/cours/{SLUG}/devoir", content_type="multipart/form-data",
                data={"text": "Mon travail, expliqué en quelques lignes pour la relecture.",
                      "file": (io.BytesIO(b"Notes de travail, en texte brut.\n"), "notes.txt")})
    submission = db.session.query(AssignmentSubmission).one()
    response = client.get(f"/cours/{SLUG}/devoir/rendus/{submission.id}/fichier")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"


def test_the_terms_pdf_is_cached_once_per_language(client):
    response = client.get("/conditions-generales.pdf", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"]
    assert "accept-language" in {value.strip().lower() for value in response.headers["Vary"].split(",")}


@pytest.mark.parametrize("url", ["/equipe/force-majeure", "/equipe/changements-de-parcours"])
@pytest.mark.parametrize("posted", [str(2**70), "²", "-1", "x"])
def test_a_forged_request_number_posted_to_the_back_office_finds_nothing(app, url, posted):
    staff = make_staff("sofia.staff@example.org")
    db.session.commit()
    response = signed_in_client(app, staff).post(url, data={"request_id": posted, "accept": "y"})
    assert response.status_code == 404
    assert text_of(soup_of(response).h1) == "Page introuvable"


@pytest.mark.parametrize("posted", [str(2**70), "²"])
def test_a_forged_submission_number_posted_with_a_review_finds_nothing(app, posted):
    from tests.assignments import COMMENTS, SLUG, reviewer

    client = signed_in_client(app, reviewer())
    response = client.post(f"/cours/{SLUG}/evaluer", data={"submission_id": posted, "comments": COMMENTS})
    assert response.status_code == 404
