"""What htmx gets back: the fragment for a swap, the whole page whenever the browser needs a page (a boosted link,
Back or Forward restoring a page htmx no longer holds), and a redirect of the whole window to the sign-in page when
the session has ended, never the sign-in page inside a dialog."""

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import delete

from app.extensions import db, limiter
from app.models import UserSession
from app.models.commerce import SubscriptionStatus
from app.services.community import discussions
from tests import checkout_flow as flow
from tests.conftest import signed_in_client, soup_of, text_of
from tests.factories import subscriber
from tests.forum import general

HTMX = {"HX-Request": "true"}
FRAGMENT_HEADERS = {"HX-Request", "HX-Boosted", "HX-History-Restore-Request"}


def varies_on(response) -> set[str]:
    return {value.strip() for value in response.headers.get("Vary", "").split(",")}


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


def test_the_order_confirmation_says_it_varies_with_htmx_as_a_page_a_refresh_or_a_redirect(client):
    reference = flow.start(client)
    flow.details(client, reference)
    flow.payment_step(client, reference)
    path = f"/commande/{reference}/confirmation"
    # Not paid yet: sent back to the review, by a redirect or, for htmx, HX-Redirect.
    answers = [client.get(path), client.get(path, headers=HTMX)]
    assert answers[0].status_code == 302 and answers[1].headers["HX-Redirect"] == answers[0].headers["Location"]
    flow.pay(client, flow.validate(client, reference).headers["Location"])
    page = client.get(path)
    refresh = client.get(path, headers=HTMX)
    assert text_of(soup_of(page).h1) == "Merci, vous êtes Premium" and refresh.headers["HX-Refresh"] == "true"
    for response in (*answers, page, refresh):
        assert FRAGMENT_HEADERS <= varies_on(response), response.headers.get("Vary")


def test_a_forum_reply_says_it_varies_with_htmx_as_a_fragment_a_redirect_or_the_form_again(app):
    limiter.reset()
    lea = subscriber("lea@example.org")
    thread = discussions.start_thread(lea, general(), "Réviser à plusieurs", "Qui veut réviser ?")
    db.session.commit()
    as_omar = signed_in_client(app, subscriber("omar@example.org", first_name="Omar"))
    path = f"/forum/{thread.category.slug}/{thread.id}"
    answers = [as_omar.post(path, data={"body": "Avec plaisir."}, headers=HTMX),
               as_omar.post(path, data={"body": "Moi aussi."}),
               as_omar.post(path, data={"body": ""}, headers=HTMX)]
    assert [response.status_code for response in answers] == [201, 302, 200]
    for response in answers:
        assert FRAGMENT_HEADERS <= varies_on(response), response.headers.get("Vary")
    limiter.reset()


def test_the_way_to_sign_in_says_it_varies_with_htmx(app, client):
    learner = subscriber("lea.martin@example.org")
    signed_out = signed_in_client(app, learner)
    db.session.execute(delete(UserSession).where(UserSession.user_id == learner.id))
    db.session.commit()
    for response in (signed_out.get("/compte/parametres/premium/resilier", headers=HTMX),
                     client.get("/compte/parametres/premium")):
        assert FRAGMENT_HEADERS <= varies_on(response), response.headers.get("Vary")
