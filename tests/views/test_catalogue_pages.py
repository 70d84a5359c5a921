"""Catalogue, course and Parcours pages (articles 1, 2.2 and 5 of the terms)."""

import pytest

from tests.conftest import text_of


def test_catalogue_lists_courses_with_filters_and_a_plain_get_form(page):
    soup = page("/cours")
    form = soup.select_one("form[role=search]")
    assert form["method"] == "get" and form["action"] == "/cours"
    assert {field["name"] for field in form.select("input, select")} >= {"q", "categorie", "niveau", "format"}
    for control in form.select("input[name], select"):
        assert soup.select_one(f"label[for='{control['id']}']"), control["id"]
    assert text_of(soup.select_one("#results-title")).endswith("cours trouvés")
    assert len(soup.select("#results .cards > li")) == 12
    assert soup.select_one(".pagination a[rel=next]")["href"] == "/cours?page=2"


def test_search_without_accents_in_the_url_is_shareable(page):
    soup = page("/cours?q=developpement")
    titles = [text_of(h) for h in soup.select("#results h3")]
    assert "Développement web avec Flask" in titles
    assert soup.select_one("#q")["value"] == "developpement"
    assert soup.title.get_text().startswith("« developpement »")


def test_filters_are_kept_in_the_form_and_in_pagination_links(page):
    soup = page("/cours?format=video")
    assert soup.select_one("#format option[selected]")["value"] == "video"
    assert all("Vidéo" in text_of(card.select_one(".facts")) for card in soup.select("#results .cards > li"))
    next_link = soup.select_one(".pagination a[rel=next]")
    if next_link:
        assert "format=video" in next_link["href"]


def test_no_result_says_what_to_do(page):
    soup = page("/cours?q=zzzzzz")
    assert text_of(soup.select_one("#results-title")) == "0 cours trouvé"
    assert "Essayez un autre mot" in text_of(soup.select_one("#results"))


def test_htmx_search_returns_the_results_fragment_and_announces_the_count(client):
    response = client.get("/cours?q=flask", headers={"HX-Request": "true", "Accept-Language": "fr"})
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.select_one("html") is None and soup.select_one("section#results")
    status = soup.select_one("#status[hx-swap-oob]")
    assert text_of(status) == text_of(soup.select_one("#results-title"))
    assert "HX-Request" in response.headers["Vary"]


def test_catalogue_in_english_shows_english_titles(page):
    soup = page("/cours?q=flask", lang="en")
    assert "Web Development with Flask" in [text_of(h) for h in soup.select("#results h3")]


def test_course_page_lists_its_chapters(page):
    soup = page("/cours/developpement-web-flask")
    assert text_of(soup.h1) == "Développement web avec Flask"
    assert len(soup.select("ol.chapters > li")) >= 3
    assert soup.select_one("nav.breadcrumb a[aria-current=page]")


def test_unknown_course_is_404(page):
    page("/cours/nexiste-pas", status=404)


@pytest.mark.clause("CGS-2.2-B1")
def test_choose_a_parcours_lists_every_parcours(page):
    from app.services.catalog import browse

    soup = page("/parcours")
    assert text_of(soup.h1) == "Choisir un Parcours"
    links = {a["href"] for a in soup.select(".cards h2 a")}  # right under the page's h1
    assert links == {f"/parcours/{p.slug}" for p in browse.all_parcours()}
    assert len(links) >= 6


def test_each_parcours_card_gives_its_diploma_with_its_level_and_its_price(page):
    card = page("/parcours").find("a", href="/parcours/developpeur-application-python").find_parent("li")
    facts = {text_of(row.dt): text_of(row.dd) for row in card.select("dl.facts > div")}
    assert facts["Diplôme"] == "RNCP38606 — Niveau 6 (équivalent bac+3/4)"
    assert facts["Prix"].endswith("par mois")
    english = page("/parcours", lang="en").find("a", href="/parcours/developpeur-application-python")
    assert "Level 6 (equivalent to a bachelor's degree)" in text_of(english.find_parent("li"))


@pytest.mark.clause("CGS-2.2-D1")
def test_parcours_page_shows_every_pedagogical_field(page):
    from app.services.catalog import browse

    parcours = browse.parcours_by_slug("developpeur-application-python")
    soup = page("/parcours/developpeur-application-python")
    body = text_of(soup.main)
    for field in ("prerequisites", "education_level", "work_nature", "training_conditions", "support", "methods",
                  "assessments", "instructions"):
        assert " ".join(getattr(parcours, f"{field}_fr").split()) in body, field
    assert [text_of(li) for li in soup.select("#programme ~ ol > li")] == parcours.programme_fr
    assert [text_of(li) for li in soup.select("#debouches ~ ul > li")] == parcours.jobs_fr
    assert "12 mois" in text_of(soup.select_one("#apercu").parent)
    assert f"{parcours.min_projects} projets au minimum" in body


@pytest.mark.clause("CGS-2.2-G2")
def test_parcours_duration_is_explained_as_indicative_at_35_hours_a_week(page):
    note = text_of(page("/parcours/data-scientist").select_one("#duration-note"))
    assert "indicative" in note and "35 heures par semaine" in note
    assert "35 hours a week" in text_of(page("/parcours/data-scientist", lang="en").select_one("#duration-note"))


@pytest.mark.clause("CGS-2.2-A2")
def test_registered_title_is_shown_with_code_and_level(page):
    registry = text_of(page("/parcours/developpeur-application-python").select_one("#registry"))
    assert "RNCP" in registry and "RNCP38606" in registry and "Niveau 6" in registry
    assert "RS6543" in text_of(page("/parcours/consultant-marketing-digital").select_one("#registry"))
    assert page("/parcours/designer-ux-ui").select_one("#registry") is None


@pytest.mark.clause("CGS-5-02")
def test_hardware_prerequisites_sit_under_overview_prerequisites_equipment(page):
    soup = page("/parcours/data-scientist")
    overview = soup.select_one("section[aria-labelledby=apercu]")
    headings = [(h.name, text_of(h)) for h in overview.select("h2, h3, h4")]
    assert headings[0] == ("h2", "Aperçu")
    assert ("h3", "Prérequis") in headings and ("h4", "Matériel") in headings
    assert headings.index(("h3", "Prérequis")) < headings.index(("h4", "Matériel"))
    assert "Go" in text_of(overview.select_one("#materiel").find_next_sibling("p"))
    assert page("/parcours/designer-ux-ui").select_one("#materiel") is None


@pytest.mark.clause("CGS-2.2-F1")
def test_monthly_price_is_at_the_bottom_under_financer_votre_parcours(page):
    soup = page("/parcours/developpeur-application-python")
    last_section = soup.main.find_all("section", recursive=False)[-1]
    assert text_of(last_section.h2) == "Financer votre parcours"
    assert text_of(last_section.select_one(".tab-title")) == "Abonnement mensuel"
    assert "300,00 € TTC par mois" in text_of(last_section)
    english = page("/parcours/developpeur-application-python", lang="en")
    assert "€300.00" in text_of(english.main.find_all("section", recursive=False)[-1])


@pytest.mark.clause("CGS-1-07")
def test_a_parcours_not_yet_open_shows_its_opening_period_and_cannot_be_started(page):
    soup = page("/parcours/administrateur-infrastructure-cloud")
    status = text_of(soup.select_one("#opening-status"))
    assert "pas encore ouvert" in status and "Printemps 2027" in status
    assert "reporté" in status  # the delayed-opening notice
    assert not [a for a in soup.select("main a, main button") if "Démarrer" in text_of(a)]
    open_one = page("/parcours/data-scientist")
    assert open_one.select_one("#opening-status") is None


def test_a_parcours_page_gives_its_essentials_near_the_top(page):
    soup = page("/parcours/developpeur-application-python")
    summary = soup.select_one("aside#parcours-summary")
    assert summary.find_previous("h2") is None  # before any other section of the page
    facts = {text_of(row.dt): text_of(row.dd) for row in summary.select("dl > div")}
    assert facts["Prix"].startswith("300,00") and "TTC par mois, avec Premium Plus" in facts["Prix"]
    assert facts["Durée moyenne"] == "12 mois"
    assert "RNCP" in facts["Diplôme"]
    start = summary.select_one("a.govuk-button")
    assert start["href"] == "/parcours/developpeur-application-python/demarrer" and "Démarrer" in text_of(start)
    english = page("/parcours/developpeur-application-python", lang="en").select_one("aside#parcours-summary")
    assert text_of(english.h2) == "At a glance"


def test_each_course_card_has_its_categorys_picture_and_says_premium_includes_it(client, page):
    cards = page("/cours").select("#results .card")
    assert cards
    for card in cards:
        picture = card.select_one("img.card-illustration")
        assert picture["alt"] == ""  # decorative: the title says what the course is
        assert client.get(picture["src"]).status_code == 200
        assert text_of(card.select_one(".govuk-tag")) == "Inclus dans Premium"
    assert {card.select_one("img")["src"] for card in cards} != {cards[0].select_one("img")["src"]}  # by category
    english = page("/cours", lang="en").select_one("#results .card .govuk-tag")
    assert text_of(english) == "Included in Premium"


FLASK_CARD_FACTS = {
    "fr": {"Niveau": "Intermédiaire", "Durée": "12 heures", "Format": "Texte et vidéo"},
    "en": {"Level": "Intermediate", "Length": "12 hours", "Format": "Text and video"},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_course_card_gives_its_level_length_and_format(page, lang):
    """The Flask course of the demo catalogue: intermediate, 12 hours, text and video (app/demo/catalogue.json)."""
    link = page("/cours?q=flask", lang=lang).select_one("#results .card h3 a[href='/cours/developpement-web-flask']")
    card = link.find_parent("li", class_="card")
    facts = {text_of(row.dt): text_of(row.dd) for row in card.select("dl.facts > div")}
    assert facts.items() >= FLASK_CARD_FACTS[lang].items(), facts


HOME = {
    "fr": {"catalogue": "Parcourir le catalogue", "diploma": "Diplôme", "price": "Prix", "per_month": "par mois",
           "known": ("RNCP38587 — Niveau 6 (équivalent bac+3/4)", "320,00 € par mois")},
    "en": {"catalogue": "Browse the catalogue", "diploma": "Diploma", "price": "Price", "per_month": "per month",
           "known": ("RNCP38587 — Level 6 (equivalent to a bachelor's degree)", "€320.00 per month")},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_home_opens_on_a_hero_and_gives_each_parcours_its_diploma_level_and_monthly_price(client, page, lang):
    """A hero with the page's h1, a decorative picture and a call to action; then the Parcours, each card with its
    diploma and level (when it leads to one) and its monthly price, under the section's h2."""
    from app.extensions import db
    from app.models import Parcours

    words = HOME[lang]
    soup = page("/", lang=lang)
    hero = soup.select_one(".hero")
    assert hero.select_one("h1") is soup.h1
    picture = hero.select_one("img")
    assert picture["alt"] == "" and client.get(picture["src"]).status_code == 200
    action = hero.find("a", href="/cours")
    assert action is not None and text_of(action) == words["catalogue"]
    section = soup.select_one("section[aria-labelledby=featured-parcours]")
    cards = section.select(".cards > li.card")
    assert cards and all(card.find("h3") for card in cards)  # under the section's h2
    for card in cards:
        parcours = db.session.query(Parcours).filter_by(slug=card.h3.a["href"].rsplit("/", 1)[1]).one()
        facts = {text_of(row.dt): text_of(row.dd) for row in card.select("dl.facts > div")}
        assert facts[words["price"]].endswith(words["per_month"]), facts
        level = parcours.registry_level_fr if lang == "fr" else parcours.registry_level_en
        if level:
            assert facts[words["diploma"]].endswith(level), facts
    known = section.find("a", href="/parcours/chef-de-projet-digital").find_parent("li")
    facts = {text_of(row.dt): text_of(row.dd) for row in known.select("dl.facts > div")}
    assert (facts[words["diploma"]], facts[words["price"]]) == words["known"]
