"""The terms and the Student Rules heard without JavaScript: under each heading, a player for that section in the
reader's language, and the MP3 served as stored (cacheable for ever, seekable)."""

import pytest

from app.extensions import db
from app.services.legal import audio, documents
from tests.conftest import text_of
from tests.speech import publish_sample, require_speech

NAME = {"fr": "Écouter la section « {} » (voix de synthèse)", "en": "Listen to the section “{}” (synthetic voice)"}
DOWNLOAD = {"fr": "Télécharger (MP3)", "en": "Download (MP3)"}


@pytest.fixture
def heard_terms():
    require_speech()
    version = publish_sample("2099-heard")
    audio.store_audio(version.id)
    db.session.commit()
    return version


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_section_of_the_terms_has_its_player_under_its_heading(page, heard_terms, lang):
    soup = page(f"/conditions-generales/version/{heard_terms.version}", lang=lang)
    headings = soup.select("#terms-body h2")
    assert [text_of(h) for h in headings][:1] == [{"fr": "Article 1. Objet", "en": "Article 1. Purpose"}[lang]]
    for heading in headings:
        player = heading.find_next_sibling()
        assert "section-audio" in player["class"]
        sound = player.select_one("audio[controls]")
        assert sound["aria-label"] == NAME[lang].format(text_of(heading))
        assert sound["src"] == (f"/conditions-generales/version/{heard_terms.version}/audio/{lang}/"
                                f"{heading['id']}.mp3")
        assert sound["preload"] == "none"  # nothing is downloaded before the reader asks for it
        download = player.select_one("a[download]")
        assert download["href"] == sound["src"]
        assert text_of(download) == f"{DOWNLOAD[lang]} — {text_of(heading)}"
    assert soup.select_one(".audio-note")


def test_the_rules_play_their_opening_before_their_first_article(page):
    require_speech()
    version = publish_sample("2099-rules-heard", documents.RULES)
    audio.store_audio(version.id, ["fr"])
    db.session.commit()
    soup = page(f"/reglement-interieur/version/{version.version}")
    article = soup.select_one("#rules-body")
    first = article.find(True)
    assert "section-audio" in first["class"]
    assert first.audio["aria-label"] == "Écouter le début de « Conditions d'essai » (voix de synthèse)"
    assert len(article.select("audio")) == 3


def test_a_page_without_audio_offers_no_player(page):
    soup = page("/conditions-generales")
    assert soup.select("#terms-body h2") and not soup.select("audio, .section-audio, .audio-note")


def test_a_section_is_served_as_stored_cacheable_and_seekable(client, heard_terms):
    url = f"/conditions-generales/version/{heard_terms.version}/audio/en/article-2-price.mp3"
    whole = client.get(url)
    assert whole.status_code == 200 and whole.mimetype == "audio/mpeg"
    assert whole.data.startswith(b"ID3")
    assert whole.cache_control.immutable and whole.cache_control.max_age >= 365 * 24 * 3600
    assert whole.headers["Accept-Ranges"] == "bytes"
    part = client.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == whole.data[100:200]
    assert client.get(url, headers={"If-None-Match": whole.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize("wrong", ["/audio/de/article-2-price.mp3", "/audio/en/article-9.mp3"])
def test_an_unknown_section_or_language_is_not_found(client, heard_terms, wrong):
    response = client.get(f"/conditions-generales/version/{heard_terms.version}{wrong}")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_a_section_of_the_rules_is_not_served_as_one_of_the_terms(client):
    require_speech()
    version = publish_sample("2099-rules-only", documents.RULES)
    audio.store_audio(version.id, ["fr"])
    db.session.commit()
    assert client.get(f"/reglement-interieur/version/{version.version}/audio/fr/article-1-objet.mp3").status_code == 200
    assert client.get(f"/conditions-generales/version/{version.version}/audio/fr/article-1-objet.mp3") \
        .status_code == 404
