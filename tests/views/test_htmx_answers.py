"""What htmx gets back: the fragment for a swap, the whole page whenever the browser needs a page (a boosted link,
Back or Forward restoring a page htmx no longer holds), and a redirect of the whole window to the sign-in page when
the session has ended, never the sign-in page inside a dialog."""

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import delete

from app.extensions import db
from app.models import UserSession
from app.models.commerce import SubscriptionStatus
from tests.conftest import signed_in_client, soup_of, text_of
from tests.factories import subscriber

HTMX = {"HX-Request": "true"}


def test_the_live_search_replaces_the_address_instead_of_adding_a_history_entry_per_pause(page):
    form = page("/cours").select_one("form[role=search]")
    assert form["hx-replace-url"] == "true"
    assert not form.has_attr("hx-push-url")


def test_a_history_restore_gets_the_whole_page_with_its_header_heading_and_form(client):
    fragment = soup_of(client.get("/cours?q=python", headers=HTMX))
    assert fragment.select_one("main") is None  # the swap itself gets the results alone
    restored = client.get("/cours?q=python", headers={**HTMX, "HX-History-Restore-Request": "true"})
    page = soup_of(restored)
    assert page.select_one("header nav") is not None and page.select_one("a.skip-link") is not None
    assert text_of(page.select_one("main h1")) == "Catalogue des cours"
    assert page.select_one("main form[role=search] input#q")["value"] == "python"
    assert "HX-History-Restore-Request" in restored.headers["Vary"]


def test_an_htmx_request_after_the_session_ended_sends_the_whole_window_to_sign_in_then_back(app):
    learner = subscriber("lea.martin@example.org")
    client = signed_in_client(app, learner)
    db.session.execute(delete(UserSession).where(UserSession.user_id == learner.id))  # signed out elsewhere
    db.session.commit()
    response = client.get("/compte/parametres/premium/resilier",
                          headers={**HTMX, "HX-Current-URL": "http://localhost/compte/parametres/premium"})
    assert response.status_code == 200 and response.get_data(as_text=True) == ""
    target = urlsplit(response.headers["HX-Redirect"])
    assert target.path == "/connexion"
    assert parse_qs(target.query)["next"] == ["/compte/parametres/premium"]
    sign_in_page = soup_of(client.get(response.headers["HX-Redirect"]))
    assert len(sign_in_page.select("main")) == 1 and len(sign_in_page.select("h1")) == 1
    assert "Connectez-vous pour accéder à cette page." in text_of(sign_in_page.select_one("main"))


def test_without_htmx_an_ended_session_redirects_to_sign_in_and_back(client):
    response = client.get("/compte/parametres/premium?onglet=factures")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/connexion"
    assert parse_qs(target.query)["next"] == ["/compte/parametres/premium?onglet=factures"]


def test_a_form_sent_by_htmx_after_the_subscription_ended_sends_the_whole_window_to_the_offers(app):
    former = subscriber("ancienne@example.org", status=SubscriptionStatus.ENDED)
    client = signed_in_client(app, former)
    for path, data in (("/cours/developpement-web-flask/quiz", {}),
                       ("/forum/general/nouveau-sujet", {"title": "Bonjour", "body": "Un message"})):
        response = client.post(path, data=data, headers=HTMX)
        assert response.headers["HX-Redirect"] == "/premium", path
        assert response.get_data(as_text=True) == ""
