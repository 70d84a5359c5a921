"""Support for the tests of documents read aloud: a short document in both languages, the synthesiser required
(CI installs it), and how long an MP3 plays (decoded again by lame)."""

import os
import subprocess
import tempfile
import wave
from datetime import date
from pathlib import Path

import pytest

from app.services.common import speech
from app.services.legal import documents

SAMPLE_FR = """# Conditions d'essai

Version d'essai, pour l'écoute.

## Article 1. Objet

Le **présent** texte renvoie à la [page de contact](/contact).

- un premier point
- un second point

## Article 2. Prix

Un abonnement coûte trente euros par mois, payés chaque mois, pendant toute la durée de l'abonnement, sans aucun
frais supplémentaire, et il peut être résilié à tout moment depuis les paramètres du compte.
"""

SAMPLE_EN = """# Sample terms

A sample version, for listening.

## Article 1. Purpose

This **present** text refers to the [contact page](/contact).

- a first point
- a second point

## Article 2. Price

A subscription costs thirty euros a month, paid every month, for as long as the subscription lasts, with no
further charge, and it can be cancelled at any time from the account's settings.
"""


def require_speech() -> None:
    if not speech.available():
        message = "espeak-ng and lame are missing: apt-get install espeak-ng lame"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def publish_sample(version: str, document: str = documents.TERMS):
    """A published version of the short document, taking effect in 2099 (no one is asked to accept it)."""
    return documents.publish_version(document, version, date(2099, 1, 1), False, SAMPLE_FR, SAMPLE_EN)


def seconds_of(mp3: bytes) -> float:
    with tempfile.TemporaryDirectory() as folder:
        encoded, decoded = Path(folder) / "sound.mp3", Path(folder) / "sound.wav"
        encoded.write_bytes(mp3)
        subprocess.run(["lame", "--quiet", "--decode", str(encoded), str(decoded)], check=True)
        with wave.open(str(decoded)) as sound:
            return sound.getnframes() / sound.getframerate()
