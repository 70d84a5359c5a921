"""Between two versions of the terms (or of the Student Rules), the passages that changed, side by side: the
words taken out struck through, the words put in underlined, both announced to a screen reader (not shown by
colour alone). Reached from "Ce que j'ai accepté" and from the notice of a material change (issue: proofs)."""

from datetime import date, datetime

import pytest

from app.extensions import db
from app.services.commerce import terms_changes
from app.services.common import clock
from app.services.legal import changes, documents
from tests import checkout_flow as flow
from tests.conftest import soup_of, text_of

OPENING = "Les Conditions Générales de Services vous sont opposables à partir du moment où"


def test_a_rewritten_passage_shows_the_words_taken_out_and_put_in():
    [change] = changes.compare("# T\n\n## Article 3\n\nLe prix est de **20 €** par mois.\n",
                               "# T\n\n## Article 3\n\nLe prix est de **25 €** par mois.\n")
    assert change.section == "Article 3"
    assert [(piece.text, piece.kind) for piece in change.before] == [
        ("Le prix est de ", "same"), ("20", "removed"), (" € par mois.", "same")]
    assert [(piece.text, piece.kind) for piece in change.after] == [
        ("Le prix est de ", "same"), ("25", "added"), (" € par mois.", "same")]


def test_added_and_removed_passages_come_under_their_sections_and_the_rest_is_left_out():
    older = "# T\n\n## Article 1\n\nInchangé.\n\n- premier\n- second\n\n## Article 2\n\nInchangé aussi.\n"
    newer = ("# T\n\n## Article 1\n\nInchangé.\n\n- premier\n\n## Article 2\n\nInchangé aussi.\n\n"
             "Voir [la page des offres](/offres).\n")
    removed, added = changes.compare(older, newer)
    assert (removed.section, [p.text for p in removed.before], removed.after) == ("Article 1", ["second"], ())
    assert (added.section, added.before, [p.text for p in added.after]) == (
        "Article 2", (), ["Voir la page des offres."])  # as it reads: the link's target left out
    assert [section.title for section in changes.by_section([removed, added])] == ["Article 1", "Article 2"]


@pytest.fixture
def next_terms(client):
    """A subscriber who accepted the terms in force; then a new version rewrites a sentence and adds an article."""
    clock.freeze(datetime(2027, 1, 20, 10, 0, tzinfo=clock.PARIS))
    flow.buy_solo(client)
    accepted = documents.version_in_force(documents.TERMS)
    clock.freeze(datetime(2027, 2, 1, 9, 0, tzinfo=clock.PARIS))
    newer = documents.publish_version(
        documents.TERMS, "2027-02", date(2027, 2, 1), False,
        accepted.body_fr.replace(OPENING, OPENING.replace("vous sont opposables", "s'appliquent à vous"), 1)
        + "\n\n## Article 99 - Nouveautés\n\nUn article ajouté.\n",
        accepted.body_en + "\n\n## Article 99 - News\n\nAn added article.\n")
    db.session.commit()
    return accepted, newer


def test_the_ledger_links_an_accepted_version_to_what_changed_since(client, next_terms):
    accepted, newer = next_terms
    ledger = soup_of(client.get("/compte/parametres/consentements"))
    link = ledger.find("a", string=f"Ce qui a changé depuis (version {newer.version}, en vigueur)")
    assert link["href"] == f"/conditions-generales/version/{newer.version}/changements-depuis/{accepted.version}"
    page = soup_of(client.get(link["href"]))
    assert text_of(page.h1) == "Ce qui change dans les conditions générales"
    rewritten = page.select_one("section.changes")
    assert text_of(rewritten.h2).startswith("Article 1.")
    before, after = rewritten.select_one(".change-before"), rewritten.select_one(".change-after")
    # Struck through and underlined, and said: a screen reader hears where each change starts and ends.
    assert text_of(before.select_one("del")) == "[texte supprimé :] sont opposables [fin du texte supprimé]"
    assert text_of(after.select_one("ins")) == "[texte ajouté :] s'appliquent à [fin du texte ajouté]"
    assert "de Services vous [texte supprimé :]" in text_of(before)  # the words around, unchanged
    assert text_of(before.select_one(".change-label")) == f"Avant (version {accepted.version})"
    added = page.select("section.changes")[-1]
    assert text_of(added.h2) == "Article 99 - Nouveautés"
    assert [text_of(p) for p in added.select(".change-before p")][-1] == "Rien : ce passage est ajouté."
    # Only what changed: the rest of the terms is a link away.
    assert len(page.select(".change")) == 3  # the sentence, the new heading, the new paragraph
    assert page.find("a", href=f"/conditions-generales/version/{accepted.version}")


def test_the_comparison_reads_in_english(client, next_terms):
    accepted, newer = next_terms
    page = soup_of(client.get(f"/conditions-generales/version/{newer.version}/changements-depuis/{accepted.version}",
                              headers={"Accept-Language": "en"}))
    assert page.html["lang"] == "en"
    assert text_of(page.h1) == "What changes in the terms of service"
    assert text_of(page.select("section.changes")[-1].h2) == "Article 99 - News"


def test_an_unknown_version_or_the_same_version_twice_is_not_found(client, next_terms):
    accepted, newer = next_terms
    base = "/conditions-generales/version"
    assert client.get(f"{base}/{newer.version}/changements-depuis/inconnue").status_code == 404
    assert client.get(f"{base}/{newer.version}/changements-depuis/{newer.version}").status_code == 404
    assert client.get(f"/reglement-interieur/version/{newer.version}/changements-depuis/{accepted.version}"
                      ).status_code == 404  # a version of the terms is not one of the Student Rules


def test_the_notice_of_a_material_change_links_to_what_changes(client, next_terms):
    accepted, _newer = next_terms
    clock.freeze(datetime(2027, 2, 10, 9, 0, tzinfo=clock.PARIS))
    material = documents.publish_version(documents.TERMS, "2027-04", date(2027, 4, 1), True,
                                         accepted.body_fr + "\n\nUn prix nouveau.\n", accepted.body_en)
    terms_changes.notify(material)
    db.session.commit()
    notice = soup_of(client.get("/cours")).select_one("#terms-change-notice a")
    page = soup_of(client.get(notice["href"]))
    link = page.select_one("#terms-changes-link")
    # Against the version it follows (2027-02, in force when it was published), not the one accepted long ago.
    assert link["href"] == "/conditions-generales/version/2027-04/changements-depuis/2027-02"
    assert text_of(link) == "Voir ce qui change, passage par passage"
