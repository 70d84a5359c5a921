"""The legal documents read aloud without JavaScript: each section, in each language, spoken once by the
synthesiser at publication and kept."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.models import RenderedAudio
from app.services.common import clock, markdown
from app.services.legal import audio, documents
from tests.speech import SAMPLE_FR, publish_sample, require_speech, seconds_of


def stored(version, language):
    return db.session.scalars(select(RenderedAudio).where(
        RenderedAudio.document_version_id == version.id, RenderedAudio.language == language)
        .order_by(RenderedAudio.position)).all()


def test_each_section_is_read_from_its_heading_in_plain_sentences():
    sections = markdown.spoken_sections(documents.body_without_title(SAMPLE_FR))
    anchors = [heading.anchor for heading in markdown.headings(SAMPLE_FR)]
    assert [section.anchor for section in sections] == [markdown.INTRO, *anchors]
    purpose = sections[1]
    assert purpose.title == "Article 1. Objet"
    # The heading and each list item end as sentences, so the voice pauses after them.
    assert purpose.text.splitlines() == [
        "Article 1. Objet.", "Le présent texte renvoie à la page de contact.", "un premier point.",
        "un second point."]
    # What is heard is the text: no Markdown mark, no link address.
    assert "**" not in purpose.text and "/contact" not in purpose.text and "#" not in purpose.text


def test_the_text_before_the_first_heading_opens_with_the_document_title():
    version = publish_sample("2099-intro")
    opening = audio.sections(version, "en")[0]
    assert opening.anchor == markdown.INTRO
    assert opening.text.splitlines() == ["Sample terms.", "A sample version, for listening."]


def test_a_published_document_is_read_aloud_section_by_section_in_each_language():
    require_speech()
    version = publish_sample("2099-audio")
    assert audio.store_audio(version.id) == 6
    for language in ("fr", "en"):
        sections = stored(version, language)
        assert [row.anchor for row in sections] == [section.anchor for section in audio.sections(version, language)]
        lengths = [seconds_of(row.content) for row in sections]
        # Really spoken: the long article on price lasts longer than the short opening, and none is silence.
        assert all(length > 1 for length in lengths)
        assert lengths[2] > lengths[0] + 3
    # The file says what it is (ID3 title, in UTF-16): a downloaded section is recognised in a player.
    assert "Article 2. Price".encode("utf-16-le") in stored(version, "en")[2].content[:400]


def test_a_version_is_read_aloud_once():
    require_speech()
    version = publish_sample("2099-once")
    assert audio.store_audio(version.id, ["fr"]) == 3
    assert audio.store_audio(version.id) == 3  # the English only
    assert audio.store_audio(version.id) == 0
    assert len(stored(version, "fr")) == 3


def test_publishing_reads_the_new_version_aloud_after_the_commit(app, monkeypatch):
    require_speech()
    monkeypatch.setitem(app.config, "DOCUMENT_AUDIO", True)
    version = publish_sample("2099-job")
    assert stored(version, "fr") == []
    db.session.commit()
    jobs.enqueue_committed_jobs()  # immediate here; a worker's job elsewhere
    assert len(stored(version, "fr")) == len(stored(version, "en")) == 3
    assert version.id not in audio.waiting(clock.now() + timedelta(seconds=1))


def test_nothing_is_read_aloud_where_audio_is_switched_off(app, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENT_AUDIO", False)
    version = publish_sample("2099-off")
    assert audio.waiting(clock.now() + timedelta(seconds=1)) == [] and audio.waiting_among([version.id]) == []


@pytest.mark.parametrize("missing", ["espeak-ng", "lame"])
def test_without_the_synthesiser_no_audio_is_promised(app, monkeypatch, missing):
    monkeypatch.setitem(app.config, "DOCUMENT_AUDIO", True)
    real_which = audio.speech.shutil.which
    monkeypatch.setattr(audio.speech.shutil, "which", lambda name: None if name == missing else real_which(name))
    version = publish_sample("2099-missing")
    assert audio.waiting_among([version.id]) == [] and audio.waiting(clock.now() + timedelta(seconds=1)) == []
