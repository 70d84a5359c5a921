"""The legal documents read aloud, without JavaScript: each section of a published version, in each language, as
an MP3 made once by the speech synthesiser (espeak-ng) and kept.

A publication marks its session (documents.AUDIO_FLAG); after the commit the job queue runs `store_audio`, and a
periodic sweep makes what it missed, exactly as for the terms' PDF. A request only serves stored bytes. Where the
synthesiser is not installed (or DOCUMENT_AUDIO is off), nothing is made and the pages simply offer no audio."""

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from flask import current_app
from sqlalchemy import distinct, func, select

from app.extensions import db
from app.i18n import force_language
from app.models import LegalDocumentVersion, RenderedAudio
from app.services.common import clock, markdown, rows, speech
from app.services.legal import documents


def enabled() -> bool:
    """Whether this installation makes audio: switched on, and the synthesiser and the encoder are there."""
    return bool(current_app.config["DOCUMENT_AUDIO"]) and speech.available()


def sections(version: LegalDocumentVersion, language: str) -> list[markdown.SpokenSection]:
    """What is read of each section; the document's title opens the text before the first h2."""
    with force_language(language):
        body = version.t("body")
    title = documents.title_of(body)
    found = markdown.spoken_sections(documents.body_without_title(body))
    if found and found[0].anchor == markdown.INTRO:
        found[0] = markdown.SpokenSection(markdown.INTRO, title, f"{title}.\n{found[0].text}")
    return found


def store_audio(version_id: int, languages: Iterable[str] | None = None) -> int:
    """Speak and store every section of a published version in each language that has none yet; returns how
    many sections were stored. Everything is spoken before the first row is written, so that no lock is held
    while the synthesiser works, and a version's language is stored whole or not at all. Two workers at once
    store each section once (the first copy is kept)."""
    version = db.session.get(LegalDocumentVersion, version_id)
    if version is None:
        return 0
    done = stored_languages(version)
    spoken = [row for language in (languages or current_app.config["LANGUAGES"]) if language not in done
              for row in _spoken(version, language)]
    for row in spoken:
        rows.insert_if_absent(RenderedAudio, row, ["document_version_id", "language", "anchor"])
    return len(spoken)


def _spoken(version: LegalDocumentVersion, language: str) -> list[dict[str, object]]:
    """The rows of a version's sections in one language. The synthesiser and the encoder are processes of their
    own: one per core at a time (the whole terms take some 6 s per language on one core)."""
    found = sections(version, language)
    with force_language(language):
        album = f"{documents.title_of(version.t('body'))} — {version.version}"

    def speak(position: int, section: markdown.SpokenSection) -> bytes:
        return speech.mp3(section.text, language, title=section.title or album, album=album, track=position)

    positions = range(1, len(found) + 1)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        contents = list(pool.map(speak, positions, found))
    return [{"document_version_id": version.id, "language": language, "anchor": section.anchor,
             "position": position, "created_at": clock.now(), "content": content}
            for position, section, content in zip(positions, found, contents, strict=True)]


def stored_languages(version: LegalDocumentVersion) -> set[str]:
    return set(db.session.scalars(select(RenderedAudio.language).distinct().where(
        RenderedAudio.document_version_id == version.id)))


def stored_anchors(version: LegalDocumentVersion, language: str) -> set[str]:
    """The sections of this version heard in this language (one query, for the page that offers them)."""
    return set(db.session.scalars(select(RenderedAudio.anchor).where(
        RenderedAudio.document_version_id == version.id, RenderedAudio.language == language)))


def stored_section(version: LegalDocumentVersion, language: str, anchor: str) -> RenderedAudio | None:
    return db.session.scalar(select(RenderedAudio).where(
        RenderedAudio.document_version_id == version.id, RenderedAudio.language == language,
        RenderedAudio.anchor == anchor))


def waiting_among(version_ids: list[int]) -> list[int]:
    """The versions just published that this installation reads aloud: all of them, or none."""
    return list(version_ids) if enabled() else []


def waiting(published_before: datetime) -> list[int]:
    """The versions published by `published_before` still without audio in some language, newest first (for
    the periodic sweep); none where no audio is made."""
    if not enabled():
        return []
    complete = (select(RenderedAudio.document_version_id).group_by(RenderedAudio.document_version_id)
                .having(func.count(distinct(RenderedAudio.language)) >= len(current_app.config["LANGUAGES"])))
    return list(db.session.scalars(select(LegalDocumentVersion.id).where(
        LegalDocumentVersion.id.not_in(complete), LegalDocumentVersion.created_at <= published_before)
        .order_by(LegalDocumentVersion.id.desc())))
