"""The back office's front page: linked in the header for staff only, with each queue and what waits in it."""

from datetime import datetime

from app.extensions import db
from app.models import ContactQuestion, ContactRequest
from app.services.common import clock
from tests.conftest import PASSWORD, signed_in_client, soup_of, text_of
from tests.factories import make_staff


def test_staff_find_every_queue_with_what_waits_in_it(client, page):
    staff = make_staff("equipe@example.org")
    db.session.add(ContactRequest(name="Camille", email="c@example.org", question=ContactQuestion.COMPLAINT,
                                  message="Double prélèvement.", language="fr",
                                  created_at=datetime(2027, 1, 5, tzinfo=clock.PARIS)))
    db.session.commit()
    client.post("/connexion", data={"email": staff.email, "password": PASSWORD})
    soup = page("/equipe")
    assert soup.select_one("header a[href='/equipe']") is not None
    queues = {text_of(li.a): text_of(li) for li in soup.select("ul.staff-queues li")}
    assert queues["Demandes et réclamations"].endswith("1 en attente")
    assert queues["Changements de Parcours"].endswith("0 en attente")
    assert [li.a["href"] for li in soup.select("ul.staff-queues li")] == [
        "/equipe/demandes", "/equipe/force-majeure", "/equipe/changements-de-parcours", "/equipe/signalements",
        "/equipe/soutenances", "/equipe/assiduite", "/equipe/mails-en-echec", "/equipe/mentors"]
    assert text_of(page("/equipe", lang="en").h1) == "Student Success area"


def test_learners_neither_see_the_link_nor_reach_the_page(client, signed_in, page):
    assert page("/cours").select_one("header a[href='/equipe']") is None
    assert client.get("/equipe").status_code == 404


def _back_office_requests(app):
    """Every route of the back office with each of its methods, arguments filled in (ids of rows that exist or
    not: the answer must not tell)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] != "staff":
            continue
        url = rule.build({name: 1 for name in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


def test_every_back_office_page_is_not_found_for_visitors_and_learners(app, client, user):
    routes = list(_back_office_requests(app))
    assert ("GET", "/equipe/demandes") in routes and ("POST", "/equipe/signalements/1") in routes
    as_learner = signed_in_client(app, user)
    for method, url in routes:
        for who, browser in (("visitor", client), ("learner", as_learner)):
            response = browser.open(url, method=method, data={"decision": "hide", "request_id": "1"})
            assert response.status_code == 404, (who, method, url)
            assert text_of(soup_of(response).h1) == "Page introuvable", (who, method, url)
    staff = make_staff("equipe@example.org")
    db.session.commit()
    assert signed_in_client(app, staff).get("/equipe/signalements").status_code == 200
