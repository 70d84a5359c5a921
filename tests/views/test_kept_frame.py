"""The page frame's header is rendered once per variant and kept (app/frame.py): what it shows must still be each
reader's own, page by page, language by language, with a sign-out form that works for them alone."""

from app.extensions import db
from tests.conftest import PASSWORD, soup_of, text_of
from tests.factories import make_user


def _csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True


def _header_token(soup) -> str:
    return soup.select_one("header form input[name=csrf_token]")["value"]


def test_the_header_is_kept_and_each_sign_out_form_carries_its_readers_token(app):
    lea, hugo = make_user(), make_user("hugo.petit@example.org")
    clients = {}
    for person in (lea, hugo):
        client = app.test_client()
        client.post("/connexion", data={"email": person.email, "password": PASSWORD})
        clients[person.email] = client
    _csrf_on(app)
    try:
        first = soup_of(clients[lea.email].get("/cours"))
        hits_before = app.extensions["frame"].header.cache_info().hits
        again = soup_of(clients[lea.email].get("/cours"))
        assert app.extensions["frame"].header.cache_info().hits == hits_before + 1, "the header was kept"
        hugos = soup_of(clients[hugo.email].get("/cours"))
        # Hugo's kept header does not carry Léa's token: posted from his session, hers is refused.
        refused = clients[hugo.email].post("/deconnexion", data={"csrf_token": _header_token(first)})
        assert refused.status_code == 400
        signed_out = clients[hugo.email].post("/deconnexion", data={"csrf_token": _header_token(hugos)})
        assert signed_out.status_code == 302
        assert text_of(soup_of(clients[hugo.email].get("/cours")).header).count("Se connecter") == 1
        assert "Se déconnecter" in text_of(again.header)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_kept_header_marks_the_page_being_read(app, signed_in, client):
    for path, item in (("/cours", "Catalogue"), ("/parcours", "Choisir un Parcours"), ("/cours", "Catalogue")):
        current = soup_of(client.get(path)).select("header [aria-current=page]")
        assert [text_of(node) for node in current] == [item], path


def test_the_kept_header_follows_the_unread_messages_and_the_language(app, signed_in, client):
    assert text_of(soup_of(client.get("/cours")).select_one("#nav-messages")) == "Messages"
    signed_in.unread_messages = 2
    db.session.commit()
    assert text_of(soup_of(client.get("/cours")).select_one("#nav-messages")) == "Messages (2 non lus)"
    english = soup_of(client.get("/cours", headers={"Accept-Language": "en"}))
    assert text_of(english.select_one("#nav-messages")) == "Messages (2 unread)"
    assert english.select_one("header a[hreflang=fr]")["href"].endswith("next=/cours")


def test_the_language_switch_returns_to_the_page_with_its_query_from_one_kept_header(app, client):
    soup = soup_of(client.get("/cours?q=flask&niveau=debutant"))
    assert soup.select_one("header a[hreflang=en]")["href"].endswith("next=/cours?q%3Dflask%26niveau%3Ddebutant")
    kept = app.extensions["frame"].header.cache_info().currsize
    soup = soup_of(client.get("/cours?q=python"))
    assert soup.select_one("header a[hreflang=en]")["href"].endswith("next=/cours?q%3Dpython")
    assert app.extensions["frame"].header.cache_info().currsize == kept, "a new query is no new header"


def test_the_footer_is_rendered_once_per_language(app, client):
    footer = app.extensions["frame"].footer
    french = soup_of(client.get("/cours", headers={"Accept-Language": "fr"}))
    english = soup_of(client.get("/parcours", headers={"Accept-Language": "en"}))
    misses = footer.cache_info().misses
    again = soup_of(client.get("/contact", headers={"Accept-Language": "fr"}))
    assert footer.cache_info().misses == misses, "kept"
    assert text_of(again.footer) == text_of(french.footer)
    assert "General terms of service" in text_of(english.footer) and "Mentions légales" in text_of(french.footer)
